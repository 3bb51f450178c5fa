"""The daily digest end to end: real aiosmtpd and pymap on loopback, a real SQLite file, a clock
the test controls."""

from __future__ import annotations

import email
from datetime import UTC, datetime, timedelta
from email import policy
from email.utils import make_msgid

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mailbot import digest
from mailbot.adapters.imap_source import ImapSource
from mailbot.adapters.store import DigestLog, Event, InboundMessage, Outbox, Signature, WorkerIncident
from mailbot.cli import main
from mailbot.core.model import Status
from mailbot.pipeline import Runtime, poll
from tests.servers import CAMPAIGN, imap_server, smtp_sink, write_config  # noqa: F401

STAFF = "ana@staff.example"
DIGEST_CONFIG = f"""
[schedule]
digest_at = "08:00"
timezone = "Europe/Paris"
[digest]
recipients = ["{STAFF}", "team@campaign.example"]
staff = ["{STAFF}"]
grace = "12h"
review_url = "https://review.campaign.example/"
alert_after = "1h"
[security]
authserv_id = "mx.campaign.example"
"""


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def cfg(tmp_path, imap_server, smtp_sink):
    return write_config(tmp_path, imap_server, smtp_sink, extra=DIGEST_CONFIG)


@pytest.fixture
def clock():
    return Clock(datetime(2025, 3, 14, 6, 59, tzinfo=UTC))  # 07:59 in Paris


def paris(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2025, 3, day, hour - 1, minute, tzinfo=UTC)  # CET is UTC+1 in March


def add_signatures(rt: Runtime, at: datetime) -> list[int]:
    with Session(rt.engine) as s, s.begin():
        rows = [Signature(email="nico@example.ar", first_name="Nicolás", name="del Caño",
                          country_code="AR", country="Argentina", presentation="Deputy",
                          status=Status.approved, signed_at=at, updated_at=at),
                Signature(email="jean@example.fr", first_name="Jean", name="Lafont",
                          country_code="FR", country="France", status=Status.pending,
                          confidence=0.3, reasons=["labeled form"], signed_at=at, updated_at=at),
                Signature(email="x@example.de", first_name="Xaver", name="Unklar",
                          status=Status.pending, confidence=0.2, signed_at=at, updated_at=at)]
        s.add_all(rows)
        s.flush()
        return [r.id for r in rows]


def parsed(sink) -> list[email.message.EmailMessage]:
    return [email.message_from_bytes(data, policy=policy.default) for _, _, data in sink.messages]


def digests_sent(rt: Runtime) -> int:
    with Session(rt.engine) as s:
        return s.scalar(select(func.count()).select_from(DigestLog)) or 0


def test_digest_goes_out_through_smtp_and_reads_back(cfg, smtp_sink, clock):
    """At 08:00 each recipient gets one multipart digest with the numbers, threaded replies possible."""
    rt = Runtime.open(cfg, clock=clock)
    add_signatures(rt, clock.now - timedelta(hours=3))
    assert digest.send_if_due(rt) is None and not smtp_sink.messages  # 07:59: not yet
    clock.now = paris(14, 8, 0)
    assert str(digest.send_if_due(rt)) == "2025-03-14"
    mails = parsed(smtp_sink)
    assert sorted(m["To"].addresses[0].addr_spec for m in mails) == sorted(cfg.digest.recipients)
    mail = mails[0]
    assert mail["Subject"].startswith("Digest 2025-03-14: 1 approved, 3 new, 2 pending")
    assert mail["From"].addresses[0].addr_spec == CAMPAIGN
    assert mail["Auto-Submitted"] == "auto-replied"
    assert mail.get_content_type() == "multipart/alternative"
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    assert "WAITING FOR A DECISION: 2 pending" in text and "#2  Jean Lafont | France" in text
    assert "Review page: https://review.campaign.example/" in text
    assert 'href="https://review.campaign.example/"' in html and "<img" not in html
    assert "Nicolás del Caño" in html and 'bgcolor="#3b6ea5"' in html
    with Session(rt.engine) as s:
        rows = s.scalars(select(Outbox).where(Outbox.kind == "digest")).all()
        assert {r.message_id for r in rows} == {m["Message-ID"] for m in mails}
        assert all(r.status == "sent" for r in rows)
        log = s.get(DigestLog, "2025-03-14")
        assert log is not None and log.totals == {"approved": 1, "pending": 2, "withdrawn": 0,
                                                   "rejected": 0}


def test_never_twice_and_catch_up_after_downtime(cfg, smtp_sink, clock):
    """One digest per day, also after a restart; a missed one goes out late within the grace only."""
    rt = Runtime.open(cfg, clock=clock)
    clock.now = paris(14, 8, 0, )
    assert digest.send_if_due(rt) is not None
    clock.now = paris(14, 8, 1)
    assert digest.send_if_due(rt) is None
    restarted = Runtime.open(cfg, clock=clock)  # a new process on the same database
    clock.now = paris(14, 15, 0)
    assert digest.send_if_due(restarted) is None
    assert digests_sent(rt) == 1 and len(smtp_sink.messages) == 2

    clock.now = paris(15, 19, 30)  # down all day on the 15th, back 11.5 h after 08:00: catch up
    later = Runtime.open(cfg, clock=clock)
    assert str(digest.send_if_due(later)) == "2025-03-15"
    assert digest.send_if_due(Runtime.open(cfg, clock=clock)) is None
    clock.now = paris(16, 20, 30)  # back 12.5 h late: the 16th is skipped, not sent at night
    assert digest.send_if_due(Runtime.open(cfg, clock=clock)) is None
    clock.now = paris(17, 8, 0)
    assert str(digest.send_if_due(later)) == "2025-03-17"
    with Session(rt.engine) as s:
        assert [r.day for r in s.scalars(select(DigestLog).order_by(DigestLog.day))] == [
            "2025-03-14", "2025-03-15", "2025-03-17"]
    assert len(smtp_sink.messages) == 6


def test_second_digest_shows_change_since_the_first(cfg, smtp_sink, clock):
    """The totals of the previous digest are the baseline of the next one."""
    rt = Runtime.open(cfg, clock=clock)
    add_signatures(rt, clock.now - timedelta(hours=1))
    clock.now = paris(14, 8, 0)
    digest.send_if_due(rt)
    with Session(rt.engine) as s, s.begin():
        s.add(Signature(email="new@example.br", first_name="Ana", name="Lima", country="Brazil",
                        country_code="BR", status=Status.approved, signed_at=paris(14, 12),
                        updated_at=paris(14, 12)))
        s.add(WorkerIncident(at=paris(14, 13), kind="imap", message="login refused"))
    clock.now = paris(15, 8, 0)
    digest.send_if_due(rt)
    text = parsed(smtp_sink)[-1].get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert "approved        2  (+1 since the last digest)" in text
    assert "NEW SIGNATORIES SINCE THE DIGEST OF 2025-03-14 08:00: 1\n  Brazil\n    #4  Ana Lima" in text
    assert "imap: login refused" in text and "Nicolás" not in text.split("NEW SIGNATORIES")[1]


def staff_reply(in_reply_to: str, body: str, *, sender: str = STAFF,
                auth: str = "dmarc=pass header.from=staff.example") -> bytes:
    return (f"Authentication-Results: mx.campaign.example; {auth}\r\n"
            f"From: Ana <{sender}>\r\nTo: {CAMPAIGN}\r\nSubject: Re: Digest 2025-03-14\r\n"
            f"Message-ID: {make_msgid(domain=sender.rpartition('@')[2])}\r\n"
            f"In-Reply-To: {in_reply_to}\r\nReferences: {in_reply_to}\r\n"
            "Date: Fri, 14 Mar 2025 09:00:00 +0100\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
            f"{body}\r\n\r\nOn Fri, 14 Mar 2025, Appeal wrote:\r\n> To decide, reply with\r\n"
            "> approve 12 14\r\n").encode()


def digest_message_id(rt: Runtime) -> str:
    with Session(rt.engine) as s:
        return s.scalars(select(Outbox.message_id).where(Outbox.kind == "digest")).first()


def test_staff_reply_approves_and_rejects(cfg, smtp_sink, clock):
    """An authenticated staff reply "approve 2" / "reject 3" decides, with the staff address as actor."""
    rt = Runtime.open(cfg, clock=clock)
    nico, jean, xaver = add_signatures(rt, clock.now - timedelta(hours=3))
    clock.now = paris(14, 8, 0)
    digest.send_if_due(rt)
    sent_before = len(smtp_sink.messages)
    with ImapSource(cfg.imap) as src:
        src.append(staff_reply(digest_message_id(rt), f"approve {jean}\r\nreject #{xaver}"))
    clock.now = paris(14, 9, 0)
    stats = poll(rt)
    assert stats.lists_written and stats.attention == 0
    with Session(rt.engine) as s:
        assert s.get(Signature, jean).status == Status.approved
        assert s.get(Signature, xaver).status == Status.rejected
        assert s.get(Signature, nico).status == Status.approved  # quoted "approve 12" ignored
        events = s.scalars(select(Event).where(Event.actor == STAFF)).all()
        assert sorted((e.signature_id, e.action) for e in events) == [(jean, "approved"),
                                                                      (xaver, "rejected")]
        assert all(e.inbound_id is not None for e in events)
        inbound = s.scalars(select(InboundMessage)).one()
        assert inbound.state == "processed" and inbound.signature_id is None
        assert s.scalar(select(func.count()).select_from(Signature)) == 3  # no signature from staff
    assert len(smtp_sink.messages) == sent_before  # staff get no confirmation


@pytest.mark.parametrize(("sender", "auth", "why"), [
    ("mallory@evil.example", "dmarc=pass header.from=evil.example", "not staff"),
    (STAFF, "dmarc=fail (p=reject) header.from=staff.example", "authenticity failed"),
    (STAFF, "none", "authenticity unknown"),
], ids=["non-staff", "dmarc-fail", "no-results"])
def test_untrusted_digest_reply_changes_nothing(cfg, smtp_sink, clock, sender, auth, why):
    """A digest reply from a stranger, or from a staff address that fails DMARC, only needs attention."""
    rt = Runtime.open(cfg, clock=clock)
    _, jean, _ = add_signatures(rt, clock.now - timedelta(hours=3))
    clock.now = paris(14, 8, 0)
    digest.send_if_due(rt)
    with ImapSource(cfg.imap) as src:
        src.append(staff_reply(digest_message_id(rt), f"approve {jean}", sender=sender, auth=auth))
    stats = poll(rt)
    assert stats.attention == 1
    with Session(rt.engine) as s:
        assert s.get(Signature, jean).status == Status.pending
        assert s.scalar(select(func.count()).select_from(Event)) == 0
        inbound = s.scalars(select(InboundMessage)).one()
        assert inbound.state == "needs attention" and why in inbound.note
        assert s.scalar(select(func.count()).select_from(Signature)) == 3


def test_alert_once_per_streak_of_failures(cfg, smtp_sink, clock):
    """After an hour of failures staff get one short alert; the same streak never a second one."""
    rt = Runtime.open(cfg, clock=clock)
    start = paris(14, 10, 0)
    with Session(rt.engine) as s, s.begin():
        s.add_all(WorkerIncident(at=start + timedelta(minutes=5 * i), kind="imap",
                                 message="IMAP login refused for campaign") for i in range(12))
    clock.now = start + timedelta(minutes=56)
    assert not digest.alert_if_failing(rt)  # 55 minutes of failures: not yet
    with Session(rt.engine) as s, s.begin():
        s.add(WorkerIncident(at=start + timedelta(minutes=60), kind="imap",
                             message="IMAP login refused for campaign"))
    clock.now = start + timedelta(minutes=61)
    assert digest.alert_if_failing(rt)
    assert not digest.alert_if_failing(Runtime.open(cfg, clock=clock))
    alerts = parsed(smtp_sink)
    assert len(alerts) == 2 and alerts[0]["Subject"].startswith("Alert: mailbot has been failing for 1 hour")
    assert "imap: IMAP login refused for campaign" in alerts[0].get_body(("plain",)).get_content()
    later = start + timedelta(hours=5)  # fine for hours, then failing again: a new streak
    with Session(rt.engine) as s, s.begin():
        s.add_all(WorkerIncident(at=later + timedelta(minutes=10 * i), kind="smtp",
                                 message="cannot connect") for i in range(8))
    clock.now = later + timedelta(minutes=71)
    assert digest.alert_if_failing(rt)
    assert len(smtp_sink.messages) == 4


def test_cli_digest_print_and_send(cfg, smtp_sink, capsys):
    """`digest --print` shows the text and sends nothing; `digest --send` sends it now."""
    rt = Runtime.open(cfg)
    add_signatures(rt, datetime.now(UTC) - timedelta(hours=1))
    assert main(["--config", str(cfg.path), "digest", "--print"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Subject: Digest ") and "WAITING FOR A DECISION: 2 pending" in out
    assert not smtp_sink.messages
    assert main(["--config", str(cfg.path), "digest", "--print", "--html"]) == 0
    assert capsys.readouterr().out.startswith("<!doctype html>")
    assert main(["--config", str(cfg.path), "digest", "--send"]) == 0
    assert "2 mails sent" in capsys.readouterr().out and len(smtp_sink.messages) == 2
    assert digests_sent(rt) == 1
