"""One poll, end to end: fetch, parse, store, mark, send, publish.

The one place that decides the order of side effects: the database commit comes first, then the
server is told the mail was handled, then confirmations go out, then the lists are rewritten. A crash
anywhere leaves work that the next run finishes (at worst one confirmation sent twice).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields, replace
from datetime import datetime, timedelta
from email.parser import BytesHeaderParser
from email.policy import compat32
from pathlib import Path

from jinja2 import Environment
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from mailbot import changes, ledger
from mailbot.adapters import exporters, store
from mailbot.adapters.imap_source import ImapSource, batches
from mailbot.adapters.outgoing import compose
from mailbot.adapters.smtp_sender import Envelope, SendResult, SmtpSender
from mailbot.adapters.store import InboundMessage, InboundState, Outbox, OutboxStatus
from mailbot.adapters.templates import make_template_env
from mailbot.adapters.worker_lock import worker_lock
from mailbot.config import Config
from mailbot.core.authenticity import Verdict as AuthVerdict
from mailbot.core.authenticity import assess_message
from mailbot.core.model import Kind, Reply, Status
from mailbot.core.reply import ParseRules, read_reply
from mailbot.errors import PermanentSendError, SourceError
from mailbot.parse_guard import HangWatchdog, parse_isolated

log = logging.getLogger(__name__)

MAX_SEND_ATTEMPTS = 10
SEND_ROUND = 100


@dataclass
class Runtime:
    """What every step needs: the config, the database, the templates, the clock."""

    cfg: Config
    engine: Engine
    env: Environment
    rules: ParseRules
    clock: Callable[[], datetime] = store.utcnow
    parse: Callable[[bytes, ParseRules], Reply] = read_reply
    parse_timeout: float = 60  # seconds one message may take to parse before it is set aside
    # A shell that can restart itself passes this: then an in-process parse that hangs for
    # parse_timeout restarts the process, and the restarted one sets that message aside.
    on_hung_parse: Callable[[int], None] | None = None
    _watchdog: HangWatchdog | None = field(default=None, repr=False)

    def parse_in_process(self, inbound_id: int, raw: bytes) -> Reply:
        if self.on_hung_parse is None:
            return self.parse(raw, self.rules)
        if self._watchdog is None:
            self._watchdog = HangWatchdog(self.parse_timeout, self.on_hung_parse)
        with self._watchdog.watching(inbound_id):
            return self.parse(raw, self.rules)

    @classmethod
    def open(cls, cfg: Config, clock: Callable[[], datetime] = store.utcnow) -> Runtime:
        rules = ParseRules(campaign_address=cfg.campaign.address, language=cfg.campaign.language,
                           country_names=dict(cfg.campaign.country_names),
                           auto_approve_threshold=cfg.review.threshold)
        return cls(cfg, store.open_database(cfg.database.url),
                   make_template_env(cfg.templates.directory), rules, clock,
                   parse_timeout=cfg.limits.parse_timeout)


@dataclass
class Stats:
    fetched: int = 0
    duplicates: int = 0
    signed: int = 0
    updated: int = 0
    withdrawn: int = 0
    ignored: int = 0
    attention: int = 0
    failed: int = 0
    sent: int = 0
    send_failed: int = 0
    send_waiting: int = 0
    lists_changed: bool = False
    lists_written: list[Path] = field(default_factory=list)

    def summary(self) -> str:
        parts = [f"{f.name.replace('_', ' ')}={getattr(self, f.name)}" for f in fields(self)
                 if isinstance(getattr(self, f.name), int) and not isinstance(getattr(self, f.name), bool)]
        return " ".join(parts) + f" lists={'written' if self.lists_written else 'unchanged'}"


@dataclass(frozen=True)
class IncomingMail:
    raw: bytes
    source: str  # imap | import
    folder: str | None = None
    uidvalidity: int | None = None
    uid: int | None = None
    arrived_at: datetime | None = None


def message_key(message_id: str, raw: bytes) -> str:
    """Message-ID, or a hash of the bytes when there is none: survives a UIDVALIDITY reset."""
    mid = message_id.strip().strip("<>").strip()
    return mid[:900] if mid else "sha256:" + hashlib.sha256(raw).hexdigest()


def _header_message_id(header: bytes) -> str:
    msg = BytesHeaderParser(policy=compat32).parsebytes(header)
    return str(msg.get("Message-ID", "") or "")


# --- intake: store first, process after ------------------------------------------------------

def store_raw(rt: Runtime, session: Session, mail: IncomingMail, stats: Stats, *,
              confirm: bool = True) -> InboundMessage | None:
    """Keep the bytes (state received); None when stored before under the same Message-ID."""
    key = message_key(_header_message_id(mail.raw), mail.raw)
    if store.known_message_keys(session, [key]):
        stats.duplicates += 1
        return None
    inbound = InboundMessage(message_key=key, source=mail.source, folder=mail.folder,
                             uidvalidity=mail.uidvalidity, uid=mail.uid, raw=mail.raw,
                             received_at=mail.arrived_at or rt.clock(),
                             state=InboundState.received, confirm=confirm)
    session.add(inbound)
    session.flush()
    return inbound


def process_received(rt: Runtime, stats: Stats, batch: int = 200) -> None:
    """Parse and apply every stored, unprocessed message.

    The attempt is counted and committed before the work. A message whose processing was
    interrupted (a kill, a crash, or the hang watchdog restarting the process) is retried alone, and
    parsed in a child process: if the parser kills or hangs that child (a bug on hostile input), the
    message is set aside instead of taking the worker down on every poll; if the child succeeds,
    the earlier interruption came from outside and the message is processed as usual.
    """
    while True:
        with Session(rt.engine) as session, session.begin():
            rows = store.received_messages(session, batch)
            if not rows:
                return
            if rows[0].attempts > 0:
                rows = rows[:1]  # interrupted before: alone, so it cannot take others down
            else:
                rows = [r for r in rows if r.attempts == 0]
            for row in rows:
                row.attempts += 1
            ids = [r.id for r in rows]
        with Session(rt.engine) as session, session.begin():
            for inbound_id in ids:
                inbound = session.get(InboundMessage, inbound_id)
                assert inbound is not None
                process_one(rt, session, inbound, stats, isolated=inbound.attempts > 1)


def process_one(rt: Runtime, session: Session, inbound: InboundMessage, stats: Stats, *,
                isolated: bool = False) -> None:
    """Parse one stored message and apply it to the ledger, inside the caller's transaction."""
    try:
        if isolated:
            reply = parse_isolated(rt.parse, inbound.raw, rt.rules, rt.parse_timeout)
        else:
            reply = rt.parse_in_process(inbound.id, inbound.raw)
    except Exception as exc:  # the core promises not to raise; if it does, keep the mail aside
        log.exception("parsing failed inbound_id=%s", inbound.id)
        inbound.state, inbound.note = InboundState.failed, f"{type(exc).__name__}: {exc}"
        stats.failed += 1
        return
    reply = _check_sender(rt, inbound, reply)
    now = rt.clock()
    if inbound.source == "import" and reply.date and reply.date < inbound.received_at:
        inbound.received_at = reply.date  # backfilled mail keeps the day it was written
    inbound.message_id = reply.message_id[:998]
    inbound.sender, inbound.subject = reply.sender[:320], reply.subject[:2000]
    inbound.kind, inbound.confidence, inbound.reasons = str(reply.kind), reply.confidence, \
        list(reply.reasons)
    try:
        with session.begin_nested():  # a bug on one mail never loses the batch
            from mailbot.digest import route_staff_reply  # digest.py builds on this module

            outcome = route_staff_reply(rt, session, reply, inbound)  # staff answering a digest
            if outcome is None:
                outcome = ledger.apply_reply(session, reply, inbound, review=rt.cfg.review,
                                             campaign_address=rt.cfg.campaign.address,
                                             limits=rt.cfg.limits)
            inbound.state, inbound.note = outcome.state, outcome.note
            inbound.signature_id = outcome.signature.id if outcome.signature else None
            if inbound.confirm and outcome.mail and outcome.signature and reply.kind.may_get_mail \
                    and not outcome.signature.undeliverable:
                recent = store.count_outbox_to(session, outcome.signature.email,
                                               now - timedelta(days=1))
                if recent < rt.cfg.limits.confirmations_per_recipient_per_day:
                    _queue_mail(rt, session, outcome, reply, now)
                else:
                    inbound.note += f"; no mail: {recent} mails to this address in 24 h"
                    log.warning("mail not queued, per-recipient cap inbound_id=%s", inbound.id)
    except Exception as exc:
        log.exception("applying failed inbound_id=%s", inbound.id)
        inbound.state, inbound.note = InboundState.failed, f"{type(exc).__name__}: {exc}"
        stats.failed += 1
        return
    _count(stats, reply, outcome)


def _check_sender(rt: Runtime, inbound: InboundMessage, reply: Reply) -> Reply:
    """Spoofing: the receiving server's Authentication-Results decide how far a signature is trusted."""
    policy = rt.cfg.security.on_auth_fail
    if not reply.kind.may_get_mail or policy == "ignore":
        return reply
    auth = assess_message(inbound.raw, authserv_id=rt.cfg.security.authserv_id or None)
    if auth.verdict != AuthVerdict.failed:
        return reply
    why = "spoofing signal: " + "; ".join(auth.reasons or ("authentication failed",))
    log.warning("sender failed authentication inbound_id=%s policy=%s", inbound.id, policy)
    if policy == "reject":
        return replace(reply, kind=Kind.other, reasons=reply.reasons + (why,))
    return reply.doubted(0.5, why)


def _count(stats: Stats, reply: Reply, outcome: ledger.Outcome) -> None:
    stats.lists_changed |= outcome.list_changed
    if outcome.state is InboundState.needs_attention:
        stats.attention += 1
    elif outcome.mail == "withdrawal":
        stats.withdrawn += 1
    elif outcome.mail and outcome.note.startswith("signed ("):
        stats.signed += 1
    elif outcome.mail:
        stats.updated += 1
    elif reply.kind in (Kind.auto_reply, Kind.bulk, Kind.bounce):
        stats.ignored += 1


def _queue_mail(rt: Runtime, session: Session, outcome: ledger.Outcome, reply: Reply,
                now: datetime) -> None:
    sig = outcome.signature
    assert sig is not None and outcome.mail is not None
    fields_view = {name: getattr(sig, name) for name in
                   ("first_name", "name", "country", "presentation", "organization", "website")}
    message_id, data = compose(
        rt.env, outcome.mail, campaign=rt.cfg.campaign, recipient=sig.email,
        recipient_name=" ".join(p for p in (sig.first_name, sig.name) if p),
        subject=reply.subject, in_reply_to=reply.message_id, references=reply.references,
        context={"fields": fields_view, "status": str(sig.status), "changed": outcome.changed},
        now=now)
    session.add(Outbox(signature_id=sig.id, recipient=sig.email, kind=outcome.mail, message=data,
                       message_id=message_id, in_reply_to=reply.message_id, created_at=now,
                       next_attempt_at=now))


# --- the IMAP poll ---------------------------------------------------------------------------

def fetch_from_imap(rt: Runtime, stats: Stats, source: ImapSource) -> None:
    """Store every new message of the folder; mark each handled only after its batch commits."""
    folder = rt.cfg.imap.folder
    with Session(rt.engine) as session, session.begin():
        state = store.mailbox_state(session, folder)
        if state is None:
            state = store.MailboxState(folder=folder, uidvalidity=source.uidvalidity, last_uid=0)
            session.add(state)
        elif state.uidvalidity != source.uidvalidity:
            log.warning("imap uidvalidity changed folder=%s old=%s new=%s: rescanning, Message-ID "
                        "prevents duplicates", folder, state.uidvalidity, source.uidvalidity)
            state.uidvalidity, state.last_uid = source.uidvalidity, 0
        last_uid = state.last_uid
        leftover = store.unmarked_uids(session, folder, source.uidvalidity)
    if leftover:  # stored by a run that stopped before telling the server
        _mark(rt, source, leftover)
    uids = source.new_uids(last_uid)
    for batch in batches(uids, rt.cfg.imap.batch_size):
        headers = source.message_ids(batch)
        keys = {uid: message_key(_header_message_id(h), b"") for uid, (h, _) in headers.items()
                if _header_message_id(h)}
        with Session(rt.engine) as session, session.begin():
            known = store.known_message_keys(session, list(keys.values()))
            for uid, key in keys.items():
                if key in known:  # seen before under another UID (UIDVALIDITY reset, copy)
                    row = known[key]
                    if row.source == "imap" and row.folder == folder:
                        row.uidvalidity, row.uid, row.handled_on_server = \
                            source.uidvalidity, uid, False
                    stats.duplicates += 1
            wanted = [u for u in batch if u in headers and keys.get(u) not in known]
            for raw in source.fetch(wanted, {u: size for u, (_, size) in headers.items()}):
                stats.fetched += 1
                store_raw(rt, session, IncomingMail(raw.data, "imap", folder, source.uidvalidity,
                                                    raw.uid, raw.arrived_at), stats)
            state = store.mailbox_state(session, folder)
            assert state is not None
            state.last_uid = max(batch)
            state.last_poll_at = rt.clock()
        _mark(rt, source, store_uids(rt, folder, source.uidvalidity))
    with Session(rt.engine) as session, session.begin():
        state = store.mailbox_state(session, folder)
        if state is not None:
            state.last_poll_at = rt.clock()


def store_uids(rt: Runtime, folder: str, uidvalidity: int) -> list[int]:
    with Session(rt.engine) as session:
        return store.unmarked_uids(session, folder, uidvalidity)


def _mark(rt: Runtime, source: ImapSource, uids: list[int]) -> None:
    for batch in batches(uids, rt.cfg.imap.batch_size):
        source.mark_handled(batch)
        with Session(rt.engine) as session, session.begin():
            store.set_marked(session, rt.cfg.imap.folder, source.uidvalidity, batch)


# --- sending ---------------------------------------------------------------------------------

def send_outbox(rt: Runtime, stats: Stats, sender: SmtpSender | None = None) -> None:
    """Send due mail in rounds over one connection each; retry with backoff; record failures."""
    sender = sender or SmtpSender(rt.cfg.smtp)
    seen: set[int] = set()
    while True:
        with Session(rt.engine) as session:
            now = rt.clock()
            budget = rt.cfg.limits.confirmations_per_hour - store.count_sent_since(
                session, now - timedelta(hours=1))
            if budget <= 0:
                log.warning("hourly mail cap reached (%s): the rest waits",
                            rt.cfg.limits.confirmations_per_hour)
                stats.send_waiting += len(store.due_outbox(session, now, SEND_ROUND))
                return
            rows = [r for r in store.due_outbox(session, now, min(SEND_ROUND, budget))
                    if r.id not in seen]
            mails = [Envelope(r.id, rt.cfg.campaign.address, r.recipient, r.message) for r in rows]
        if not mails:
            return
        seen.update(m.key for m in mails)
        results = sender.send_all(mails, on_result=lambda result: _record_send(rt, stats, result))
        if results and all(not r.sent and "cannot connect" in str(r.error) for r in results):
            record_incident(rt, "smtp", str(results[0].error))


def _record_send(rt: Runtime, stats: Stats, result: SendResult) -> None:
    """Commit one mail's outcome right after the server answered (a crash repeats one mail at most)."""
    with Session(rt.engine) as session, session.begin():
        now = rt.clock()
        row = session.get(Outbox, result.key)
        assert row is not None
        row.attempts += 1
        if result.sent:
            row.status, row.sent_at, row.last_error = OutboxStatus.sent, now, ""
            stats.sent += 1
            log.info("mail sent outbox_id=%s kind=%s", row.id, row.kind)
            return
        row.last_error = str(result.error)
        if isinstance(result.error, PermanentSendError) or row.attempts >= MAX_SEND_ATTEMPTS:
            row.status = OutboxStatus.failed
            stats.send_failed += 1
            log.error("mail failed for good outbox_id=%s: %s", row.id, result.error)
        else:
            delay = min(timedelta(minutes=2 ** (row.attempts - 1)), timedelta(hours=6))
            row.next_attempt_at = now + delay
            stats.send_waiting += 1
            log.warning("mail not sent, retry in %s outbox_id=%s: %s", delay, row.id, result.error)


# --- publishing ------------------------------------------------------------------------------

def publish(rt: Runtime, stats: Stats | None = None, *, force: bool = False) -> list[Path]:
    """Rewrite the published lists when the list changed (or any file is missing)."""
    directory = rt.cfg.export.directory
    missing = any(not (directory / exporters.EXPORTERS[fmt].filename).exists()
                  for fmt in rt.cfg.export.formats)
    if not (force or missing or (stats is not None and stats.lists_changed)):
        return []
    with Session(rt.engine) as session:
        rows = [s.as_signatory() for s in store.signatures(session, [Status.approved])]
        recent = changes.recent_changes(session).as_json()  # what a site pulling the list missed
    written = exporters.write_lists(directory, rt.cfg.export.formats, rows,
                                    campaign_name=rt.cfg.campaign.name,
                                    language=rt.cfg.campaign.language,
                                    generated_at=rt.clock(), templates=rt.env)
    if "json" in rt.cfg.export.formats and exporters.write_file(directory / changes.FILENAME, recent):
        written.append(directory / changes.FILENAME)
    if stats is not None:
        stats.lists_written = written
    log.info("lists written directory=%s files=%s signatories=%s", directory, len(written), len(rows))
    return written


def lock_path(cfg: Config) -> Path:
    return cfg.path.parent / ".mailbot.lock"


def poll(rt: Runtime) -> Stats:
    """One cycle: fetch and process new mail, send due confirmations, rewrite the lists."""
    stats = Stats()
    with worker_lock(lock_path(rt.cfg)):
        failure: SourceError | None = None
        try:
            with ImapSource(rt.cfg.imap, max_bytes=rt.cfg.limits.max_message_mb * 1024 * 1024) as source:
                fetch_from_imap(rt, stats, source)
        except SourceError as exc:  # mail already stored is still processed, confirmed, listed
            record_incident(rt, "imap", str(exc))
            failure = exc
        process_received(rt, stats)
        send_outbox(rt, stats)
        publish(rt, stats)
    if failure is not None:
        raise failure
    return stats


def record_incident(rt: Runtime, kind: str, message: str) -> None:
    log.error("%s: %s", kind, message)
    with Session(rt.engine) as session, session.begin():
        store.add_incident(session, kind, message)


def import_mails(rt: Runtime, mails: Iterable[IncomingMail], *, confirm: bool,
                 progress: Callable[[int], None] | None = None, batch: int = 200) -> Stats:
    """The same processing for mail read from files; commits every `batch` messages."""
    stats = Stats()
    done = 0
    pending: list[IncomingMail] = []

    def flush() -> None:
        with Session(rt.engine) as session, session.begin():
            for mail in pending:
                stats.fetched += 1
                store_raw(rt, session, mail, stats, confirm=confirm)
        pending.clear()
        process_received(rt, stats)

    with worker_lock(lock_path(rt.cfg)):
        for mail in mails:
            pending.append(mail)
            done += 1
            if len(pending) >= batch:
                flush()
                if progress:
                    progress(done)
        flush()
        if progress:
            progress(done)
        if confirm:
            send_outbox(rt, stats)
        publish(rt, stats)
    return stats


def reprocess(rt: Runtime, *, include_ignored: bool = False) -> Stats:
    """Parse set-aside mail again (after a fix): failed, and needs-attention not yet resolved.

    With include_ignored, mail that was ignored as auto-reply, bounce or list mail is parsed again
    too. Mail that already changed a signature is never applied twice.
    """
    stats = Stats()
    states = [InboundState.failed, InboundState.needs_attention]
    with worker_lock(lock_path(rt.cfg)):
        with Session(rt.engine) as session, session.begin():
            query = select(InboundMessage).where(InboundMessage.resolved_at.is_(None))
            if include_ignored:
                query = query.where(InboundMessage.state.in_(states) | (
                    (InboundMessage.state == InboundState.processed)
                    & InboundMessage.signature_id.is_(None)))
            else:
                query = query.where(InboundMessage.state.in_(states))
            for row in session.scalars(query):
                row.state, row.attempts, row.note = InboundState.received, 0, ""
        process_received(rt, stats)
        send_outbox(rt, stats)
        publish(rt, stats)
    return stats
