"""The IMAP adapter and one poll against a real Dovecot: thousands of mails, keywords, MOVE, UIDVALIDITY.

pymap (tests/servers.py) is slow beyond a few hundred messages and keeps no custom keywords; Dovecot
does both, and refuses command lines over 64 KiB as large real servers do. Dovecot missing is a
failure, never a skip: `.ci/run` installs dovecot-imapd.
"""

from __future__ import annotations

import dataclasses
import imaplib
import time

import pytest
from imapclient.exceptions import IMAPClientError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mailbot.adapters.imap_source import HANDLED_KEYWORD, ImapSource
from mailbot.adapters.store import InboundMessage, MailboxState, Outbox, OutboxStatus, Signature
from mailbot.errors import SourceError
from mailbot.pipeline import Runtime, Stats, fetch_from_imap, poll
from tests.dovecot import (
    INSTALL_HINT,
    MAX_LINE,
    DovecotServer,
    dovecot_binary,
    dovecot_server,
    signature_mail,
)
from tests.servers import smtp_sink, write_config  # noqa: F401  (fixtures)

LARGE = 2000  # mails in the large-mailbox test: 3,000 took 55-67 s on 2 cores, over budget
# A campaign this size must be allowed to confirm every signer in one poll.
LIMITS = """
[limits]
confirmations_per_hour = 100000
"""


def counts(rt: Runtime) -> dict[str, int]:
    with Session(rt.engine) as s:
        def n(model, *where):
            return s.scalar(select(func.count()).select_from(model).where(*where)) or 0

        return {
            "inbound": n(InboundMessage),
            "distinct keys": s.scalar(select(func.count(func.distinct(InboundMessage.message_key)))) or 0,
            "signatures": n(Signature),
            "distinct emails": s.scalar(select(func.count(func.distinct(Signature.email)))) or 0,
            "outbox": n(Outbox),
            "sent": n(Outbox, Outbox.status == OutboxStatus.sent),
            "unmarked": n(InboundMessage, InboundMessage.handled_on_server.is_(False)),
        }


def test_dovecot_is_installed():
    """Say plainly what is missing instead of skipping the Dovecot tests."""
    assert dovecot_binary() is not None, INSTALL_HINT


def test_large_mailbox_is_stored_once_and_flagged(tmp_path, dovecot_server, smtp_sink):
    """2,000 replies: one poll stores each once, confirms each once, flags each with the keyword."""
    dovecot_server.deliver(signature_mail(i) for i in range(LARGE))
    cfg = write_config(tmp_path, dovecot_server, smtp_sink, extra=LIMITS)
    rt = Runtime.open(cfg)
    before = dovecot_server.flags()
    assert len(before) == LARGE and not [f for f in before.values() if b"\\Seen" in f]

    started = time.perf_counter()
    stats = poll(rt)
    seconds = time.perf_counter() - started
    assert (stats.fetched, stats.signed, stats.failed, stats.attention, stats.duplicates) == \
        (LARGE, LARGE, 0, 0, 0), stats.summary()
    assert stats.sent == LARGE and len(smtp_sink.messages) == LARGE, stats.summary()
    assert counts(rt) == {"inbound": LARGE, "distinct keys": LARGE, "signatures": LARGE,
                          "distinct emails": LARGE, "outbox": LARGE, "sent": LARGE, "unmarked": 0}
    assert len({rcpt for _, rcpts, _ in smtp_sink.messages for rcpt in rcpts}) == LARGE
    print(f"\n{LARGE} mails, one poll: {seconds:.1f} s ({LARGE / seconds:.0f} mails/s)")

    flags = dovecot_server.flags()  # our own connection: what the server really kept
    assert len(flags) == LARGE
    missing = {uid: f for uid, f in flags.items() if b"\\Seen" not in f or HANDLED_KEYWORD not in f}
    assert not missing, f"{len(missing)} messages lack \\Seen or {HANDLED_KEYWORD!r}"

    again = poll(rt)
    assert (again.fetched, again.sent, again.duplicates) == (0, 0, 0), again.summary()
    assert len(smtp_sink.messages) == LARGE
    assert counts(rt)["inbound"] == LARGE


@pytest.fixture
def command_lines(monkeypatch):
    """Every command line an IMAP client of this process sends (imaplib sends each in one call)."""
    lines: list[bytes] = []
    send = imaplib.IMAP4.send

    def recording_send(self, data):
        lines.append(bytes(data))
        return send(self, data)

    monkeypatch.setattr(imaplib.IMAP4, "send", recording_send)
    return lines


BIG_UIDS = 6200  # x 11 bytes ("1000001234,") = 68,200 bytes: one unbatched UID list is too long
FIRST_UID = 1_000_000_000  # UIDs of a mailbox with years of traffic behind it


def test_no_command_line_reaches_dovecots_limit(tmp_path, dovecot_server, smtp_sink, command_lines):
    """With 10-digit UIDs and the largest batch_size allowed, every command stays under 64 KiB.

    Only the fetch half of a poll talks IMAP (SEARCH, FETCH headers, FETCH bodies, STORE), so it
    runs alone here: parsing 6,200 mails would add two minutes and no IMAP command. The mailbox is
    big enough that an unbatched UID list is refused by Dovecot (checked at the end), so a lost
    batch makes this test fail.
    """
    dovecot_server.set_next_uid(FIRST_UID)
    dovecot_server.deliver(signature_mail(i) for i in range(BIG_UIDS))
    cfg = write_config(tmp_path, dovecot_server, smtp_sink)
    cfg = dataclasses.replace(cfg, imap=dataclasses.replace(cfg.imap, batch_size=1000))
    rt = Runtime.open(cfg)

    stats = Stats()
    with ImapSource(cfg.imap) as src:
        fetch_from_imap(rt, stats, src)
    assert (stats.fetched, stats.duplicates) == (BIG_UIDS, 0), stats.summary()
    with Session(rt.engine) as s:
        uids = list(s.scalars(select(InboundMessage.uid).order_by(InboundMessage.uid)))
        assert uids == list(range(FIRST_UID, FIRST_UID + BIG_UIDS))
        assert s.scalar(select(MailboxState.last_uid)) == FIRST_UID + BIG_UIDS - 1
    assert counts(rt)["unmarked"] == 0
    flags = dovecot_server.flags()
    assert len(flags) == BIG_UIDS
    assert all(b"\\Seen" in f and HANDLED_KEYWORD in f for f in flags.values())

    longest = max(command_lines, key=len)
    assert len(longest) < MAX_LINE, longest[:120]
    uid_lists = [line for line in command_lines if b" UID " in line and b"," in line]
    assert {line.split()[2] for line in uid_lists} == {b"FETCH", b"STORE"}
    assert max(len(line) for line in uid_lists) > 10_000  # whole batches of 1,000 10-digit UIDs
    assert "too long" not in dovecot_server.log().lower()

    # The control: the same UIDs in one command are refused, so a lost batch would fail the poll.
    client = dovecot_server.client()
    try:
        uids = client.search(["ALL"])
        assert len(uids) == BIG_UIDS and len(",".join(map(str, uids))) > MAX_LINE
        with pytest.raises(IMAPClientError, match="Too long argument"):
            client.fetch(uids, ["FLAGS"])
    finally:
        client.shutdown()


PROCESSED = 300


def test_processed_folder_receives_all_mail(tmp_path, dovecot_server, smtp_sink):
    """With processed_folder, handled mail is moved there: INBOX empty, nothing deleted or lost."""
    dovecot_server.deliver(signature_mail(i) for i in range(PROCESSED))
    cfg = write_config(tmp_path, dovecot_server, smtp_sink, extra=LIMITS, processed_folder="Processed")
    rt = Runtime.open(cfg)

    stats = poll(rt)
    assert (stats.fetched, stats.signed, stats.sent, stats.failed) == \
        (PROCESSED, PROCESSED, PROCESSED, 0), stats.summary()
    assert dovecot_server.flags("INBOX") == {}
    moved = dovecot_server.flags("Processed")
    assert len(moved) == PROCESSED
    assert not [f for f in moved.values() if b"\\Deleted" in f]
    client = dovecot_server.client("Processed")
    try:
        ids = set()
        for start in range(0, PROCESSED, 500):
            got = client.fetch(sorted(moved)[start:start + 500], ["BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"])
            ids.update(v[b"BODY[HEADER.FIELDS (MESSAGE-ID)]"].strip() for v in got.values())
    finally:
        client.logout()
    assert ids == {f"Message-ID: <sig-{i}@d{i}.example>".encode() for i in range(PROCESSED)}
    assert counts(rt)["unmarked"] == 0

    again = poll(rt)
    assert (again.fetched, again.sent, again.duplicates) == (0, 0, 0), again.summary()
    assert len(smtp_sink.messages) == PROCESSED


RESET = 300


def test_uidvalidity_change_stores_and_sends_nothing_new(tmp_path, dovecot_server, smtp_sink):
    """Dovecot rebuilds the folder's UIDs (new UIDVALIDITY, same mail): nothing stored or sent twice."""
    dovecot_server.deliver(signature_mail(i) for i in range(RESET))
    cfg = write_config(tmp_path, dovecot_server, smtp_sink, extra=LIMITS)
    rt = Runtime.open(cfg)
    first = poll(rt)
    assert (first.fetched, first.sent) == (RESET, RESET), first.summary()
    with ImapSource(cfg.imap) as src:
        old_validity = src.uidvalidity

    dovecot_server.reset_uids()
    with ImapSource(cfg.imap) as src:
        assert src.uidvalidity != old_validity
        assert len(src.new_uids(0)) == RESET
    # Clear the flags too, so that only the Message-ID can tell these mails were handled.
    client = dovecot_server.client()
    try:
        uids = client.search(["ALL"])
        client.remove_flags(uids, [b"\\Seen", HANDLED_KEYWORD])
    finally:
        client.logout()
    assert not [f for f in dovecot_server.flags().values() if b"\\Seen" in f]

    again = poll(rt)
    assert (again.fetched, again.signed, again.sent, again.duplicates) == (0, 0, 0, RESET), \
        again.summary()
    assert len(smtp_sink.messages) == RESET
    found = counts(rt)
    assert (found["inbound"], found["signatures"], found["outbox"], found["unmarked"]) == \
        (RESET, RESET, RESET, 0)
    with Session(rt.engine) as s:
        state = s.get(MailboxState, "INBOX")
        assert state is not None and state.uidvalidity != old_validity
        assert set(s.scalars(select(InboundMessage.uidvalidity))) == {state.uidvalidity}
    flags = dovecot_server.flags()  # the server is told again that they were handled
    assert len(flags) == RESET and all(b"\\Seen" in f and HANDLED_KEYWORD in f for f in flags.values())


HUGE = 92_000  # x 11 bytes (" 1000001234") > 1,000,000: imaplib's cap on one response line


def test_new_uids_on_a_huge_backlog(tmp_path, dovecot_server, smtp_sink):
    """92,000 new mails with 10-digit UIDs: the first step of a poll must still list them."""
    dovecot_server.set_next_uid(FIRST_UID)
    dovecot_server.deliver(b"From: s%d@example.org\r\nMessage-ID: <h%d@example.org>\r\n\r\nx\r\n" % (i, i)
                           for i in range(HUGE))
    cfg = write_config(tmp_path, dovecot_server, smtp_sink)
    with ImapSource(cfg.imap) as src:
        uids = src.new_uids(0)
    assert uids == list(range(FIRST_UID, FIRST_UID + HUGE))


def test_server_class_fails_clearly_without_dovecot(monkeypatch):
    """No dovecot binary: a failure that names .ci/run and the package, not a skip or a traceback."""
    monkeypatch.setattr("tests.dovecot.dovecot_binary", lambda: None)
    with pytest.raises(RuntimeError, match=r"\.ci/run.*dovecot-imapd"):
        DovecotServer().start()
