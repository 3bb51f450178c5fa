"""Shared fixtures: real servers on loopback and a config pointing at them."""

from __future__ import annotations

from pathlib import Path

import pytest

from mailbot.config import Config, load_config
from mailbot.local_servers import PymapServer, SmtpSink

SAMPLES = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "samples"
CAMPAIGN = "appeal@campaign.example"


def write_config(directory: Path, imap: PymapServer, smtp: SmtpSink, extra: str = "",
                 **imap_keys: str) -> Config:
    imap_extra = "".join(f'{k} = "{v}"\n' for k, v in imap_keys.items())
    path = directory / "config.toml"
    path.write_text(f"""
[campaign]
name = "Test appeal"
address = "{CAMPAIGN}"
[imap]
host = "127.0.0.1"
port = {imap.port}
security = "plain"
username = "{imap.username}"
password = "{imap.password}"
timeout = 10
{imap_extra}
[smtp]
host = "127.0.0.1"
port = {smtp.port}
security = "plain"
timeout = 10
[export]
directory = "lists"
{extra}
""", encoding="utf-8")
    return load_config(path, environ={})


@pytest.fixture
def imap_server():
    with PymapServer() as server:
        yield server


@pytest.fixture
def smtp_sink():
    with SmtpSink() as sink:
        yield sink


@pytest.fixture
def cfg(tmp_path, imap_server, smtp_sink) -> Config:
    return write_config(tmp_path, imap_server, smtp_sink)
