"""Guards against floods and oversized input: mailbot is never a spam cannon."""

from __future__ import annotations

import dataclasses

from sqlalchemy import select
from sqlalchemy.orm import Session

from mailbot.adapters.imap_source import ImapSource
from mailbot.adapters.store import InboundMessage, Outbox, Signature
from mailbot.core.model import Status
from mailbot.pipeline import Runtime, poll
from tests.servers import cfg, imap_server, smtp_sink, write_config  # noqa: F401


def signing(n: int, sender: str | None = None, country: str = "France", presentation: str = "Teacher",
            body_extra: str = "") -> bytes:
    sender = sender or f"person{n}@example{n}.org"
    return (f"From: {sender}\r\nTo: appeal@campaign.example\r\nSubject: Re: appeal\r\n"
            f"Message-ID: <s{n}-{abs(hash(sender))}@x>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
            f"First name: Anne{chr(97 + n % 26)}\r\nName: Martin\r\nCountry: {country}\r\n"
            f"Presentation: {presentation}\r\n{body_extra}").encode()


def append(cfg, *mails: bytes) -> None:
    with ImapSource(cfg.imap) as src:
        for m in mails:
            src.append(m)


def with_limits(cfg, **limits):
    return dataclasses.replace(cfg, limits=dataclasses.replace(cfg.limits, **limits))


def test_hourly_mail_cap_holds_the_rest_back(cfg, smtp_sink):
    """With a cap of 4 mails an hour, 7 signatures get 4 confirmations now, the rest wait."""
    append(cfg, *(signing(n) for n in range(7)))
    rt = Runtime.open(with_limits(cfg, confirmations_per_hour=4))
    stats = poll(rt)
    assert stats.signed == 7 and stats.sent == 4 and len(smtp_sink.messages) == 4
    assert stats.send_waiting == 3
    with Session(rt.engine) as s:
        assert len(s.scalars(select(Outbox).where(Outbox.status == "queued")).all()) == 3


def test_per_recipient_cap_and_sender_flood(cfg, smtp_sink):
    """One address replying 6 times gets at most 3 mails; its later entries wait for review."""
    me = "busy@example.org"
    append(cfg, *(signing(n, sender=me, presentation=f"Teacher {n}") for n in range(6)))
    rt = Runtime.open(cfg)
    poll(rt)
    assert [rcpt for _, (rcpt,), _ in smtp_sink.messages] == [me] * 3
    with Session(rt.engine) as s:
        sig = s.scalars(select(Signature)).one()
        assert sig.status == Status.pending
        assert any(r.startswith("flood: 6 replies from this address") for r in sig.reasons)
        notes = [m.note for m in s.scalars(select(InboundMessage).order_by(InboundMessage.id))]
        assert sum("no mail: 3 mails to this address in 24 h" in n for n in notes) == 3


def test_oversized_mail_is_kept_truncated(cfg, smtp_sink):
    """A 3 MB mail under a 1 MB cap is stored as its first megabyte and still processed."""
    big = signing(1, body_extra="\r\n" + "A" * 3_000_000)
    append(cfg, big)
    rt = Runtime.open(with_limits(cfg, max_message_mb=1))
    stats = poll(rt)
    assert stats.fetched == 1 and stats.failed == 0
    with Session(rt.engine) as s:
        row = s.scalars(select(InboundMessage)).one()
        assert len(row.raw) == 1024 * 1024 and row.raw == big[:1024 * 1024]
