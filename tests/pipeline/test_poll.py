"""One poll end to end: real pymap IMAP, real aiosmtpd SMTP, a real SQLite file."""

from __future__ import annotations

import dataclasses
import email
import json
from email import policy

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mailbot.adapters import store
from mailbot.adapters.imap_source import ImapSource
from mailbot.adapters.store import Event, InboundMessage, Outbox, Signature
from mailbot.core.model import Status
from mailbot.errors import SourceError
from mailbot.pipeline import Runtime, Stats, fetch_from_imap, poll
from tests.servers import SAMPLES, cfg, imap_server, smtp_sink  # noqa: F401  (fixtures)

TRUTH = json.loads((SAMPLES / "truth.json").read_text())
MESSAGES = TRUTH["messages"]
PEOPLE = {"signature", "signature-hostile", "signature-again", "correction", "withdrawal"}


def fill_inbox(cfg) -> None:
    with ImapSource(cfg.imap) as src:
        for m in MESSAGES:
            src.append((SAMPLES / m["file"]).read_bytes())


def sent_mails(sink):
    return [email.message_from_bytes(data, policy=policy.default) for _, _, data in sink.messages]


def test_poll_stores_confirms_and_publishes_once(cfg, smtp_sink):
    """Every signer is stored once and mailed only for what they sent; machines get nothing."""
    fill_inbox(cfg)
    rt = Runtime.open(cfg)
    stats = poll(rt)
    assert stats.fetched == len(MESSAGES) and stats.failed == 0

    with Session(rt.engine) as s:
        sigs = {sig.email: sig for sig in s.scalars(select(Signature))}
        events = s.scalar(select(func.count()).select_from(Event))
    assert set(sigs) == set(TRUTH["signers"])
    assert events >= len(sigs)
    for address, truth in TRUTH["signers"].items():
        if truth["final"] == "withdrawn":
            assert sigs[address].status == Status.withdrawn, address
        elif truth["final"] == "active":
            assert sigs[address].status in (Status.approved, Status.pending), address

    mails = sent_mails(smtp_sink)
    by_sender = {m["sender"]: m for m in MESSAGES}
    expected = {}
    for m in MESSAGES:
        if m["kind"] in ("signature", "signature-hostile", "correction", "withdrawal"):
            expected[m["sender"]] = expected.get(m["sender"], 0) + 1
    got: dict[str, int] = {}
    message_ids = {email.message_from_bytes((SAMPLES / m["file"]).read_bytes(),
                                            policy=policy.default)["Message-ID"] for m in MESSAGES}
    for mail in mails:
        rcpt = mail["To"].addresses[0].addr_spec
        got[rcpt] = got.get(rcpt, 0) + 1
        assert mail["Auto-Submitted"] == "auto-replied"
        assert mail["In-Reply-To"] in message_ids
        assert mail["From"].addresses[0].addr_spec == "appeal@campaign.example"
        assert by_sender[rcpt]["kind"] in PEOPLE
    assert got == expected
    assert stats.sent == len(mails)

    lists = cfg.export.directory
    names = sorted(p.name for p in lists.iterdir())
    assert names == ["changes.json", "signatories.csv", "signatories.fragment.html", "signatories.html",
                     "signatories.json", "signatories.md", "signatories.txt"]
    for path in lists.iterdir():
        text = path.read_text()
        assert not [a for a in TRUTH["signers"] if a in text], path.name
        assert "holmstrom" not in text.lower()  # withdrawn: gone from every list
    published = json.loads((lists / "signatories.json").read_text())
    assert {r["status"] for r in published} == {"approved"}

    again = poll(rt)
    assert again.fetched == 0 and again.sent == 0 and len(smtp_sink.messages) == len(mails)
    with ImapSource(cfg.imap) as src:
        flags = src.client.get_flags(src.client.search(["ALL"]))
        assert len(flags) == len(MESSAGES) and all(b"\\Seen" in f for f in flags.values())


def test_uidvalidity_reset_brings_no_duplicates(cfg, imap_server, smtp_sink):
    """A mailbox rebuilt by the server (new UIDVALIDITY, same mail) adds and sends nothing."""
    fill_inbox(cfg)
    rt = Runtime.open(cfg)
    poll(rt)
    with Session(rt.engine) as s:
        before = s.scalar(select(func.count()).select_from(Signature))
    sent = len(smtp_sink.messages)
    imap_server.restart()
    fill_inbox(cfg)
    stats = poll(rt)
    assert stats.fetched == 0 and stats.duplicates == len(MESSAGES)
    assert len(smtp_sink.messages) == sent
    with Session(rt.engine) as s:
        assert s.scalar(select(func.count()).select_from(Signature)) == before
        assert s.scalar(select(func.count()).select_from(InboundMessage)) == len(MESSAGES)
    with ImapSource(cfg.imap) as src:  # and the server knows they were handled
        flags = src.client.get_flags(src.client.search(["ALL"]))
        assert all(b"\\Seen" in f for f in flags.values())


class CrashBeforeMarking(ImapSource):
    """Our own adapter, stopping where a killed worker would: after the commit, before the flag."""

    def mark_handled(self, uids):
        raise SourceError("connection lost")


def test_crash_between_commit_and_marking_is_finished_next_time(cfg, smtp_sink):
    """Mail stored but not flagged is flagged by the next poll, and not processed again."""
    fill_inbox(cfg)
    rt = Runtime.open(cfg)
    with pytest.raises(SourceError), CrashBeforeMarking(cfg.imap) as src:
        fetch_from_imap(rt, Stats(), src)
    with Session(rt.engine) as s:
        stored = s.scalar(select(func.count()).select_from(InboundMessage))
        assert stored > 0
        assert store.unmarked_uids(s, cfg.imap.folder, src.uidvalidity)
    stats = poll(rt)
    with Session(rt.engine) as s:
        assert not store.unmarked_uids(s, cfg.imap.folder, src.uidvalidity)
        assert s.scalar(select(func.count()).select_from(InboundMessage)) == len(MESSAGES)
    assert stats.fetched == len(MESSAGES) - stored


def test_smtp_down_keeps_confirmations_queued(cfg, smtp_sink):
    """With the SMTP server down, confirmations wait in the outbox and go out later, once."""
    fill_inbox(cfg)
    rt = Runtime.open(cfg)
    smtp_sink.stop()
    stats = poll(rt)
    assert stats.sent == 0 and stats.send_waiting > 0
    with Session(rt.engine) as s:
        queued = s.scalars(select(Outbox).where(Outbox.status == "queued")).all()
        assert len(queued) == stats.send_waiting
        assert all(r.attempts == 1 and "cannot connect" in r.last_error for r in queued)
        for r in queued:  # as if the backoff delay had passed
            r.next_attempt_at = store.utcnow()
        s.commit()
    smtp_sink.start()
    rt.cfg = dataclasses.replace(rt.cfg, smtp=dataclasses.replace(rt.cfg.smtp,
                                                                   port=smtp_sink.port))
    later = poll(rt)
    assert later.sent == stats.send_waiting and len(smtp_sink.messages) == later.sent
