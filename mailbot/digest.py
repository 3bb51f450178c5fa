"""The daily digest for campaign staff: gather the facts, queue it once per campaign day, alerts,
and the staff replies that approve or reject entries from it.

Every digest and alert goes through the outbox (so it inherits the retries); the `digest_log` row of
the day is written in the same transaction as the digest's outbox rows: never twice for a day.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mailbot.adapters import store
from mailbot.adapters.outgoing import FIELD_LABELS, compose
from mailbot.adapters.store import (
    DigestLog,
    InboundMessage,
    InboundState,
    Outbox,
    OutboxStatus,
    Signature,
    WorkerIncident,
)
from mailbot.adapters.worker_lock import WorkerBusyError, worker_lock
from mailbot.core import digest_view as dv
from mailbot.core.authenticity import assess_message
from mailbot.core.model import Kind, Reply, SignerKind, Status
from mailbot.ledger import Outcome
from mailbot.pipeline import Runtime, Stats, lock_path, send_outbox

log = logging.getLogger(__name__)

DIGEST = "digest"  # Outbox.kind of a digest mail
ALERT = "alert"  # Outbox.kind of a staff alert
NEW_SHOWN = 100  # new signatories listed by name; the rest are counted
FIRST = 10  # pending entries, mails, failures listed
_ATTENTION = (InboundState.needs_attention, InboundState.failed)


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


# --- gathering -------------------------------------------------------------------------------

def _display(sig: Signature) -> tuple[str, str]:
    """(who, detail) the way staff recognize an entry."""
    if sig.kind == SignerKind.organization:
        return sig.organization or sig.name, sig.presentation
    who = " ".join(p for p in (sig.first_name, sig.name) if p)
    return who, ", ".join(p for p in (sig.presentation, sig.organization) if p)


def previous_digest(session: Session) -> DigestLog | None:
    return session.scalars(select(DigestLog).order_by(DigestLog.sent_at.desc())).first()


def gather(rt: Runtime, session: Session, now: datetime) -> dv.DigestFacts:
    """Read what the digest shows, as of `now`."""
    tz = ZoneInfo(rt.cfg.schedule.timezone)
    prev = previous_digest(session)
    since = prev.sent_at if prev is not None else now - timedelta(hours=24)
    counts = store.counts(session)
    totals = dv.Totals(approved=counts["approved"], pending=counts["pending"],
                       withdrawn=counts["withdrawn"], rejected=counts["rejected"])
    listed = (Status.approved, Status.pending)

    new_q = select(Signature).where(Signature.signed_at >= since, Signature.status.in_(listed))
    new_total = session.scalar(select(func.count()).select_from(new_q.subquery())) or 0
    new = []
    for sig in session.scalars(new_q.order_by(Signature.signed_at, Signature.id).limit(NEW_SHOWN)):
        who, detail = _display(sig)
        new.append(dv.NewSignatory(sig.id, who, sig.country, detail, str(sig.status)))

    today = now.astimezone(tz).date()
    start = datetime.combine(today - timedelta(days=dv.CHART_DAYS - 1), datetime.min.time(), tz)
    per_day: dict[date, int] = {}
    for at in session.scalars(select(Signature.signed_at).where(
            Signature.signed_at >= start, Signature.status != Status.rejected)):
        day = at.astimezone(tz).date()
        per_day[day] = per_day.get(day, 0) + 1
    per_country = {country or "": n for country, n in session.execute(
        select(Signature.country, func.count()).where(Signature.status == Status.approved)
        .group_by(Signature.country))}

    pending = [dv.PendingEntry(sig.id, _display(sig)[0], sig.country, sig.signed_at.astimezone(tz),
                               sig.confidence, tuple(sig.reasons or ()))
               for sig in session.scalars(select(Signature).where(Signature.status == Status.pending)
                                          .order_by(Signature.signed_at, Signature.id).limit(FIRST))]

    attention_where = (InboundMessage.state.in_([str(s) for s in _ATTENTION]),
                       InboundMessage.resolved_at.is_(None))
    attention = [dv.AttentionMail(row.id, row.received_at.astimezone(tz), row.sender, row.subject,
                                  str(row.state), row.note)
                 for row in session.execute(  # columns only: the raw bytes stay in the database
                     select(InboundMessage.id, InboundMessage.received_at, InboundMessage.sender,
                            InboundMessage.subject, InboundMessage.state, InboundMessage.note)
                     .where(*attention_where)
                     .order_by(InboundMessage.received_at, InboundMessage.id).limit(FIRST))]
    attention_total = session.scalar(select(func.count()).select_from(InboundMessage)
                                     .where(*attention_where)) or 0

    failed = [dv.FailedMail(row.id, row.recipient, row.kind, row.created_at.astimezone(tz),
                            row.last_error)
              for row in session.execute(
                  select(Outbox.id, Outbox.recipient, Outbox.kind, Outbox.created_at, Outbox.last_error)
                  .where(Outbox.status == OutboxStatus.failed).order_by(Outbox.id.desc()).limit(FIRST))]
    bounced_q = select(Signature).where(Signature.undeliverable.is_(True))
    bounced = [dv.Undeliverable(sig.id, sig.email, _display(sig)[0])
               for sig in session.scalars(bounced_q.order_by(Signature.id.desc()).limit(FIRST))]
    bounced_total = session.scalar(select(func.count()).select_from(bounced_q.subquery())) or 0

    incidents = [dv.Incident(row.at.astimezone(tz), row.kind, row.message)
                 for row in session.scalars(select(WorkerIncident).where(WorkerIncident.at >= since)
                                            .order_by(WorkerIncident.at).limit(5000))]
    return dv.DigestFacts(
        campaign=rt.cfg.campaign.name, now=now.astimezone(tz),
        since=prev.sent_at.astimezone(tz) if prev is not None else None,
        totals=totals, previous=dv.Totals.from_dict(prev.totals) if prev is not None else None,
        new_signatories=new, new_total=new_total, per_day=per_day, per_country=per_country,
        pending=pending, pending_total=totals.pending, attention=attention,
        attention_total=attention_total, failed=failed, failed_total=counts["outbox failed"],
        undeliverable=bounced, undeliverable_total=bounced_total, incidents=incidents,
        review_url=review_url(rt), accepts_commands=bool(rt.cfg.digest.staff_addresses))


def review_url(rt: Runtime) -> str:
    web = getattr(rt.cfg, "web", None)
    return rt.cfg.digest.review_url or (getattr(web, "public_url", "") if web else "")


def build(rt: Runtime, now: datetime | None = None) -> dv.DigestView:
    """The digest as it would read right now."""
    with Session(rt.engine) as session:
        return dv.build_view(gather(rt, session, now or rt.clock()))


def render(rt: Runtime, view: dv.DigestView) -> Rendered:
    """Subject, text and HTML, from the same templates the mail uses (for `digest --print`)."""
    values = {"digest": view, "campaign": rt.cfg.campaign, "subject": "", "labels": FIELD_LABELS}
    return Rendered(*(rt.env.get_template(f"mail/{DIGEST}.{part}.j2").render(values).strip() + (
        "\n" if part != "subject" else "") for part in ("subject", "txt", "html")))


# --- queueing and sending --------------------------------------------------------------------

def _queue(rt: Runtime, session: Session, kind: str, context: Mapping[str, object],
           now: datetime) -> list[Outbox]:
    rows = []
    for rcpt in rt.cfg.digest.recipients:
        message_id, data = compose(rt.env, kind, campaign=rt.cfg.campaign, recipient=rcpt,
                                   recipient_name="", subject="", in_reply_to="", references=(),
                                   context=context, now=now)
        row = Outbox(recipient=rcpt, kind=kind, message=data, message_id=message_id, created_at=now,
                     next_attempt_at=now)
        session.add(row)
        rows.append(row)
    return rows


def queue_digest(rt: Runtime, session: Session, day: date, now: datetime, *,
                 again: bool = False) -> dv.DigestView | None:
    """Queue the digest of `day` for every recipient and record the day, in the caller's
    transaction; None when the day's digest was queued before (unless `again`)."""
    row = session.get(DigestLog, day.isoformat())
    if row is not None and not again:
        return None
    view = dv.build_view(gather(rt, session, now))
    _queue(rt, session, DIGEST, {"digest": view}, now)
    totals = {line.label: line.value for line in view.totals}
    totals["rejected"] = session.scalar(select(func.count()).select_from(Signature).where(
        Signature.status == Status.rejected)) or 0
    if row is None:
        session.add(DigestLog(day=day.isoformat(), sent_at=now, totals=totals))
    else:
        row.sent_at, row.totals = now, totals
    session.flush()  # the primary key is the never-twice guard: a second worker fails here
    return view


def send_queued(rt: Runtime) -> Stats:
    """Send what is due now, unless another mailbot process holds the worker lock (then it will)."""
    stats = Stats()
    try:
        with worker_lock(lock_path(rt.cfg)):
            send_outbox(rt, stats)
    except WorkerBusyError:
        log.info("digest queued; the running worker sends it")
    return stats


def send_now(rt: Runtime) -> int:
    """`mailbot digest --send`: queue today's digest now (again if it went out already) and send."""
    if not rt.cfg.digest.recipients:
        from mailbot.errors import ConfigError

        raise ConfigError(f"{rt.cfg.path} [digest] recipients: no one to send the digest to: add "
                          f'recipients = ["staff@example.org"]')
    now = rt.clock()
    day = now.astimezone(ZoneInfo(rt.cfg.schedule.timezone)).date()
    with Session(rt.engine) as session, session.begin():
        queue_digest(rt, session, day, now, again=True)
    log.info("digest queued day=%s recipients=%s", day, len(rt.cfg.digest.recipients))
    return send_queued(rt).sent


def send_if_due(rt: Runtime) -> date | None:
    """Queue and send the digest when its time has come and the day has none yet; the day or None.

    Called by the worker every minute: after downtime, the digest missed goes out when the worker
    is back, if no more than `[digest] grace` late.
    """
    if not rt.cfg.digest.recipients:
        return None
    now = rt.clock()
    sc = rt.cfg.schedule
    day = dv.due_day(now, sc.digest_at, ZoneInfo(sc.timezone), timedelta(seconds=rt.cfg.digest.grace))
    if day is None:
        return None
    try:
        with Session(rt.engine) as session, session.begin():
            if queue_digest(rt, session, day, now) is None:
                return None
    except IntegrityError:  # another process recorded the same day a moment ago
        return None
    log.info("digest queued day=%s recipients=%s", day, len(rt.cfg.digest.recipients))
    send_queued(rt)
    return day


# --- alerts ----------------------------------------------------------------------------------

def streak_gap(rt: Runtime) -> timedelta:
    """Incidents closer than this belong to the same stretch of failures."""
    return max(timedelta(seconds=3 * rt.cfg.schedule.poll_every), timedelta(minutes=30))


def alert_if_failing(rt: Runtime) -> bool:
    """Queue one short alert when the worker has been failing for `[digest] alert_after`.

    One alert per stretch of failures: a stretch whose start is older than an alert in the outbox
    has had its alert.
    """
    after = rt.cfg.digest.alert_after
    if after is None or not rt.cfg.digest.recipients:
        return False
    now = rt.clock()
    gap = streak_gap(rt)
    with Session(rt.engine) as session, session.begin():
        times = list(session.scalars(select(WorkerIncident.at).where(
            WorkerIncident.at >= now - timedelta(days=30)).order_by(WorkerIncident.at.desc())
            .limit(20000)))
        found = dv.streak(times, now, gap)
        if found is None or found[1] - found[0] < timedelta(seconds=after):
            return False
        first, last = found
        alerted = session.scalar(select(func.count()).select_from(Outbox).where(
            Outbox.kind == ALERT, Outbox.created_at >= first)) or 0
        if alerted:
            return False
        tz = ZoneInfo(rt.cfg.schedule.timezone)
        incidents = [dv.Incident(r.at.astimezone(tz), r.kind, r.message)
                     for r in session.scalars(select(WorkerIncident).where(
                         WorkerIncident.at >= first).order_by(WorkerIncident.at))]
        context = {"alert": {"since": first.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
                             "failing_for": dv.age(now - first), "count": len(incidents),
                             "groups": dv.group_incidents(incidents)}}
        _queue(rt, session, ALERT, context, now)
    log.warning("staff alert queued: worker failing since %s (%s incidents)", first, len(incidents))
    send_queued(rt)
    return True


def tick(rt: Runtime) -> None:
    """What the worker does every minute besides polling: the due digest, and alerts."""
    alert_if_failing(rt)
    send_if_due(rt)


# --- staff replies ---------------------------------------------------------------------------

def _bare(message_id: str) -> str:
    return message_id.strip().strip("<>").strip()


def is_digest_reply(session: Session, reply: Reply) -> bool:
    """True when In-Reply-To or References name a digest or alert mailbot sent."""
    ids = {_bare(m) for m in (reply.in_reply_to, *reply.references)} - {""}
    if not ids:
        return False
    wanted = list(ids) + [f"<{m}>" for m in ids]
    return bool(session.scalar(select(func.count()).select_from(Outbox).where(
        Outbox.kind.in_([DIGEST, ALERT]), Outbox.message_id.in_(wanted))))


def route_staff_reply(rt: Runtime, session: Session, reply: Reply,
                      inbound: InboundMessage) -> Outcome | None:
    """The first rule of intake: a reply to a digest is staff work, never a signature.

    None when the mail is no reply to a digest (the ledger handles it as usual).
    """
    if reply.kind in (Kind.auto_reply, Kind.bulk, Kind.bounce) or not is_digest_reply(session, reply):
        return None
    if reply.sender not in rt.cfg.digest.staff_addresses:
        log.warning("digest reply from a non-staff address inbound_id=%s: nothing done", inbound.id)
        return Outcome(InboundState.needs_attention,
                       "reply to the digest from an address that is not staff: nothing done")
    auth = assess_message(inbound.raw, authserv_id=rt.cfg.security.authserv_id or None)
    if not auth.passed:
        log.warning("digest reply failed the authenticity check inbound_id=%s verdict=%s",
                    inbound.id, auth.verdict)
        return Outcome(InboundState.needs_attention,
                       f"reply to the digest from a staff address, but authenticity {auth.verdict} ("
                       f"{'; '.join(auth.reasons)}): nothing done")
    return apply_staff_reply(rt, session, reply, inbound)


def apply_staff_reply(rt: Runtime, session: Session, reply: Reply, inbound: InboundMessage) -> Outcome:
    """Carry out "approve 12 14" / "reject 13" from an authenticated staff reply, in the caller's
    transaction; each change an audit event with the staff address as actor."""
    from mailbot import review  # review builds on the pipeline, which imports this module lazily

    commands = dv.parse_commands(reply.text)
    if not commands:
        return Outcome(InboundState.needs_attention,
                       'reply to the digest with no "approve N" or "reject N" line')
    done: list[str] = []
    problems: list[str] = []
    changed = False
    for command in commands:
        status = Status.approved if command.action == "approve" else Status.rejected
        for sig_id in command.ids:
            sig = session.get(Signature, sig_id)
            if sig is None:
                problems.append(f"#{sig_id}: no such entry")
                continue
            old = Status(sig.status)
            try:
                if review.decide(rt, session, sig, status, actor=reply.sender) is None:
                    continue
            except review.ReviewError as exc:
                problems.append(str(exc))
                continue
            session.flush()
            _link_event(session, sig, inbound)
            done.append(f"{status} #{sig_id}")
            changed |= Status.approved in (old, status)
    log.info("staff reply applied inbound_id=%s changes=%s problems=%s", inbound.id, len(done),
             len(problems))
    note = "staff reply: " + (", ".join(done) or "nothing changed")
    if problems:
        return Outcome(InboundState.needs_attention, note + "; " + "; ".join(problems),
                       list_changed=changed)
    return Outcome(InboundState.processed, note, list_changed=changed)


def _link_event(session: Session, sig: Signature, inbound: InboundMessage) -> None:
    """Point the audit event just written at the mail that asked for it."""
    from mailbot.adapters.store import Event

    event = session.scalars(select(Event).where(Event.signature_id == sig.id)
                            .order_by(Event.id.desc())).first()
    if event is not None and event.inbound_id is None:
        event.inbound_id = inbound.id
