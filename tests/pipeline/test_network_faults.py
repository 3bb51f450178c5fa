"""Dropped connections, silent servers, restarts: nothing lost, nothing doubled, the worker goes on."""

from __future__ import annotations

import dataclasses
import json
import time

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mailbot.adapters.imap_source import ImapSource
from mailbot.adapters.smtp_sender import Envelope, SmtpSender
from mailbot.adapters.store import InboundMessage, Signature, WorkerIncident
from mailbot.errors import SourceError, SourceTimeout, TemporarySendError
from mailbot.pipeline import Runtime, poll
from tests.faults import CuttingProxy, SilentServer
from tests.servers import SAMPLES, cfg, imap_server, smtp_sink  # noqa: F401

TRUTH = json.loads((SAMPLES / "truth.json").read_text())


def fill(cfg) -> None:
    with ImapSource(cfg.imap) as src:
        for m in TRUTH["messages"]:
            src.append((SAMPLES / m["file"]).read_bytes())


def count(rt, model) -> int:
    with Session(rt.engine) as s:
        return s.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("cut_after", [2_000, 20_000, 60_000])
def test_imap_connection_dropped_mid_fetch(cfg, smtp_sink, cut_after):
    """A connection cut during a fetch loses nothing: the next poll completes the same state."""
    fill(cfg)
    proxy = CuttingProxy(cfg.imap.port)
    proxy.cut_after = cut_after
    via_proxy = dataclasses.replace(cfg, imap=dataclasses.replace(cfg.imap, port=proxy.port,
                                                                  batch_size=10))
    rt = Runtime.open(via_proxy)
    with pytest.raises(SourceError):
        poll(rt)
    assert proxy.cuts == 1
    with Session(rt.engine) as s:
        incidents = [i.kind for i in s.scalars(select(WorkerIncident))]
    assert incidents == ["imap"]
    proxy.cut_after = None
    poll(rt)
    assert count(rt, InboundMessage) == len(TRUTH["messages"])
    assert count(rt, Signature) == len(TRUTH["signers"])
    rcpts = [r for _, (r,), _ in smtp_sink.messages]
    assert len(rcpts) == 29 and len(set(rcpts)) == 26  # 26 signers, 2 corrections, 1 withdrawal
    proxy.close()


def test_imap_server_restart_between_polls(cfg, imap_server, smtp_sink):
    """A poll against a server that is down fails clearly; after the restart, work resumes."""
    fill(cfg)
    rt = Runtime.open(cfg)
    poll(rt)
    imap_server.stop()
    with pytest.raises(SourceError, match="cannot connect to IMAP server 127.0.0.1"):
        poll(rt)
    imap_server.restart()
    fill(cfg)  # the restarted in-memory server holds the same mail under a new UIDVALIDITY
    stats = poll(rt)
    assert stats.fetched == 0 and count(rt, Signature) == len(TRUTH["signers"])


def test_silent_imap_server_times_out():
    """An IMAP server that never answers is given up after the configured timeout."""
    from mailbot.config import ImapSettings

    silent = SilentServer()
    settings = ImapSettings(host="127.0.0.1", port=silent.port, security="plain", username="x",
                            password="x", timeout=1)
    started = time.monotonic()
    with pytest.raises(SourceTimeout, match="did not answer within 1 s"):
        ImapSource(settings).connect()
    assert time.monotonic() - started < 10
    silent.close()


def test_silent_smtp_server_is_a_temporary_failure():
    """An SMTP server that never greets makes every mail wait for a retry, not vanish."""
    from mailbot.config import SmtpSettings

    silent = SilentServer()
    sender = SmtpSender(SmtpSettings(host="127.0.0.1", port=silent.port, security="plain", timeout=1))
    results = sender.send_all([Envelope(1, "a@campaign.example", "b@example.org", b"x")])
    assert isinstance(results[0].error, TemporarySendError)
    silent.close()
