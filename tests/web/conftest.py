"""A real `mailbot serve` on a loopback port, over the sample campaign."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import pytest

from mailbot.pipeline import Runtime
from mailbot.web.auth import hash_password
from mailbot.web.server import bind, make_server
from tests.web.campaign import PASSWORD, campaign_runtime


@dataclass
class LiveServer:
    rt: Runtime
    url: str  # ends with "/"


@pytest.fixture
def live(tmp_path):
    rt = campaign_runtime(tmp_path)
    sock = bind("127.0.0.1", 0)
    port = sock.getsockname()[1]
    server = make_server(rt, host="127.0.0.1", port=port,
                         organizers={"ana": hash_password(PASSWORD)})
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    yield LiveServer(rt, f"http://127.0.0.1:{port}/")
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()
