"""Organizer decisions on entries: each one an audit event, and the lists published again.

Every shell (the CLI, the terminal review, the web app) calls these functions; none of them changes a
signature by itself. Each operation is one transaction (the change, its audit event and, when the
signer should hear about it, the mail in the outbox), then the lists are rewritten.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import ColumnElement

from mailbot.adapters import store
from mailbot.adapters.outgoing import FIELD_LABELS, compose
from mailbot.adapters.store import (
    Event,
    ForgottenAddress,
    InboundMessage,
    InboundState,
    Outbox,
    Signature,
)
from mailbot.core.decode import decode_mail
from mailbot.core.model import FIELD_NAMES, SignerKind, Status
from mailbot.core.normalize import country_display, normalize_country, normalize_website
from mailbot.core.reply import read_reply
from mailbot.errors import MailbotError
from mailbot.pipeline import Runtime, publish

log = logging.getLogger(__name__)

EDITABLE = FIELD_NAMES + ("kind",)
ATTENTION_STATES = (InboundState.needs_attention, InboundState.failed)


class ReviewError(MailbotError):
    """An organizer asked for something that cannot be done (unknown entry, wrong state)."""


@dataclass(frozen=True)
class Decision:
    signature_id: int
    before: Status
    after: Status


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class EditResult:
    signature_id: int
    changes: tuple[Change, ...]
    notified: bool  # a mail to the signer was queued


@dataclass(frozen=True)
class MailView:
    """One stored message as a reviewer reads it."""

    id: int
    received_at: datetime
    sender: str
    subject: str
    kind: str
    state: str
    note: str
    reasons: tuple[str, ...]
    cleaned: str  # the reply without quotes and signature blocks, as the parser read it
    original: str  # the whole decoded body
    raw: bytes
    resolved_by: str | None
    resolved_at: datetime | None


@dataclass(frozen=True)
class Entry:
    signature: Signature  # detached: read it, do not change it
    mails: tuple[MailView, ...]  # newest first
    events: tuple[Event, ...]  # oldest first


@dataclass(frozen=True)
class BulkFilter:
    """Which pending entries `bulk_approve` takes; every given condition must hold."""

    country_code: str | None = None
    min_confidence: float | None = None
    complete_only: bool = True  # a person with first name, name and country; an org with country
    ids: tuple[int, ...] | None = None

    def matches(self, sig: Signature) -> bool:
        if self.ids is not None and sig.id not in self.ids:
            return False
        if self.country_code and (sig.country_code or "") != self.country_code.upper():
            return False
        if self.min_confidence is not None and sig.confidence < self.min_confidence:
            return False
        return not self.complete_only or is_complete(sig)


@dataclass(frozen=True)
class CountryCount:
    code: str | None
    country: str
    approved: int = 0
    pending: int = 0
    other: int = 0
    by_status: dict[str, int] = field(default_factory=dict)


def is_complete(sig: Signature) -> bool:
    if sig.kind == SignerKind.organization:
        return bool(sig.organization and sig.country_code)
    return bool(sig.first_name and sig.name and sig.country_code)


def display_name(sig: Signature) -> str:
    return " ".join(p for p in (sig.first_name, sig.name) if p) or sig.organization or "(no name)"


# --- reading ---------------------------------------------------------------------------------

def pending(rt: Runtime) -> list[Signature]:
    """Entries waiting for an organizer, oldest first."""
    with Session(rt.engine) as session:
        rows = store.signatures(session, [Status.pending])
        session.expunge_all()
        return rows


def entry(rt: Runtime, sig_id: int) -> Entry:
    """One signature with the mail it came from and its audit trail."""
    with Session(rt.engine) as session:
        sig = _get(session, sig_id)
        inbound = session.scalars(
            select(InboundMessage).where(or_(InboundMessage.signature_id == sig_id,
                                             InboundMessage.sender == sig.email))
            .order_by(InboundMessage.received_at.desc(), InboundMessage.id.desc())).all()
        events = session.scalars(select(Event).where(Event.signature_id == sig_id)
                                 .order_by(Event.at, Event.id)).all()
        mails = tuple(_mail_view(rt, row) for row in inbound)
        session.expunge_all()
        return Entry(sig, mails, tuple(events))


def search(rt: Runtime, query: str = "", status: Status | None = None,
           limit: int = 500) -> list[Signature]:
    """Signatures whose name, organization, country or address contains `query`, newest first."""
    stmt = select(Signature).order_by(Signature.signed_at.desc(), Signature.id.desc()).limit(limit)
    for word in query.split():
        like = f"%{word.lower()}%"
        matches: list[ColumnElement[bool]] = [func.lower(col).like(like) for col in (
            Signature.first_name, Signature.name, Signature.organization, Signature.country,
            Signature.presentation, Signature.email, Signature.country_code)]
        if word.lstrip("#").isdigit():
            matches.append(Signature.id == int(word.lstrip("#")))
        stmt = stmt.where(or_(*matches))
    if status is not None:
        stmt = stmt.where(Signature.status == str(status))
    with Session(rt.engine) as session:
        rows = list(session.scalars(stmt))
        session.expunge_all()
        return rows


def country_counts(rt: Runtime) -> list[CountryCount]:
    """Signatures per country and status, the countries with most approved first."""
    with Session(rt.engine) as session:
        rows = session.execute(select(Signature.country_code, Signature.country, Signature.status,
                                      func.count()).group_by(Signature.country_code,
                                                             Signature.country, Signature.status))
        table: dict[str | None, dict[str, int]] = {}
        names: dict[str | None, str] = {}
        for code, country, status, n in rows:
            table.setdefault(code, {}).setdefault(str(status), 0)
            table[code][str(status)] += n
            names.setdefault(code, country or "")
    cfg = rt.cfg.campaign
    out = []
    for code, counts in table.items():
        name = country_display(code, cfg.language, cfg.country_names) if code else "(no country)"
        out.append(CountryCount(code, name or names[code], counts.get("approved", 0),
                                counts.get("pending", 0),
                                sum(n for s, n in counts.items() if s not in ("approved", "pending")),
                                counts))
    return sorted(out, key=lambda c: (c.code is None, -c.approved, -c.pending, c.country))


def attention(rt: Runtime, *, include_resolved: bool = False) -> list[MailView]:
    """Mail a person should read (questions, unclear replies, failures), oldest first."""
    stmt = select(InboundMessage).where(InboundMessage.state.in_([str(s) for s in ATTENTION_STATES]))
    if not include_resolved:
        stmt = stmt.where(InboundMessage.resolved_at.is_(None))
    with Session(rt.engine) as session:
        return [_mail_view(rt, row, parse=False) for row in
                session.scalars(stmt.order_by(InboundMessage.received_at, InboundMessage.id))]


def mail(rt: Runtime, inbound_id: int) -> MailView:
    with Session(rt.engine) as session:
        row = session.get(InboundMessage, inbound_id)
        if row is None:
            raise ReviewError(f"no stored mail with id {inbound_id}")
        return _mail_view(rt, row)


def _mail_view(rt: Runtime, row: InboundMessage, *, parse: bool = True) -> MailView:
    cleaned = original = ""
    if parse and row.raw:
        try:
            cleaned = read_reply(row.raw, rt.rules).text
            original = decode_mail(row.raw).text
        except Exception:  # a display helper must never hide the entry; the raw bytes stay readable
            log.exception("could not decode stored mail inbound_id=%s", row.id)
            original = row.raw.decode("utf-8", "replace")
    return MailView(row.id, row.received_at, row.sender, row.subject, row.kind, str(row.state),
                    row.note, tuple(row.reasons or ()), cleaned, original, row.raw,
                    row.resolved_by, row.resolved_at)


def _get(session: Session, sig_id: int) -> Signature:
    sig = session.get(Signature, sig_id)
    if sig is None:
        raise ReviewError(f"no signature with id {sig_id}: see `mailbot pending` or search for it")
    return sig


# --- decisions -------------------------------------------------------------------------------

# Which status each decision may start from: a withdrawal is the signer's own wish, so only
# `restore` (after the signer asked again) undoes it.
_ALLOWED_FROM = {
    Status.approved: (Status.pending, Status.rejected),
    Status.rejected: (Status.pending, Status.approved),
    Status.withdrawn: (Status.pending, Status.approved, Status.rejected),
}


def set_status(rt: Runtime, ids: Sequence[int], status: Status, *, actor: str) -> list[Decision]:
    """Approve, reject or withdraw entries by id; all or nothing."""
    decisions = []
    with Session(rt.engine) as session, session.begin():
        for sig_id in ids:
            if decision := decide(rt, session, _get(session, sig_id), status, actor=actor):
                decisions.append(decision)
    if decisions:
        publish(rt, force=True)
    return decisions


def decide(rt: Runtime, session: Session, sig: Signature, status: Status, *,
           actor: str) -> Decision | None:
    """Approve, reject or withdraw one entry inside the caller's transaction; None if it already is.

    For callers that own the transaction (a staff reply to the digest); the lists are not rewritten.
    """
    old = Status(sig.status)
    if old == status:
        return None
    if old not in _ALLOWED_FROM[status]:
        hint = " (use restore if the signer asked to be listed again)" if old == Status.withdrawn else ""
        raise ReviewError(f"#{sig.id} is {old}: it cannot be {status}{hint}")
    return _change_status(rt, session, sig, status, actor, str(status))


def approve(rt: Runtime, ids: Sequence[int], *, actor: str) -> list[Decision]:
    return set_status(rt, ids, Status.approved, actor=actor)


def reject(rt: Runtime, ids: Sequence[int], *, actor: str) -> list[Decision]:
    return set_status(rt, ids, Status.rejected, actor=actor)


def withdraw(rt: Runtime, ids: Sequence[int], *, actor: str) -> list[Decision]:
    return set_status(rt, ids, Status.withdrawn, actor=actor)


def restore(rt: Runtime, ids: Sequence[int], *, actor: str) -> list[Decision]:
    """Bring withdrawn or rejected entries back to the status they had before (pending if unknown)."""
    decisions = []
    with Session(rt.engine) as session, session.begin():
        for sig_id in ids:
            sig = _get(session, sig_id)
            old = Status(sig.status)
            if old not in (Status.withdrawn, Status.rejected):
                raise ReviewError(f"#{sig_id} is {old}: only withdrawn or rejected entries can be "
                                  f"restored")
            decisions.append(_change_status(rt, session, sig, _status_before(session, sig), actor,
                                            "restored"))
    if decisions:
        publish(rt, force=True)
    return decisions


def _status_before(session: Session, sig: Signature) -> Status:
    events = session.scalars(select(Event).where(Event.signature_id == sig.id)
                             .order_by(Event.at.desc(), Event.id.desc()))
    for ev in events:
        before = (ev.before or {}).get("status")
        after = (ev.after or {}).get("status")
        if after == str(sig.status) and before and before != after:
            previous = Status(before)
            return previous if previous in (Status.approved, Status.pending) else Status.pending
    return Status.pending


def _change_status(rt: Runtime, session: Session, sig: Signature, status: Status, actor: str,
                   action: str) -> Decision:
    if status == Status.approved and not sig.country_code and sig.kind == SignerKind.person:
        log.warning("approving signature_id=%s without a recognized country", sig.id)
    before = sig.values()
    old = Status(sig.status)
    sig.status = status
    sig.updated_at = rt.clock()
    store.add_event(session, actor=actor, action=action, signature=sig, before=before,
                    after=sig.values())
    _resolve_for(rt, session, sig, actor)
    log.info("signature %s signature_id=%s by=%s", action, sig.id, actor)
    return Decision(sig.id, old, status)


def bulk_approve(rt: Runtime, flt: BulkFilter, *, actor: str) -> list[Decision]:
    """Approve every pending entry the filter matches, in one transaction."""
    decisions = []
    with Session(rt.engine) as session, session.begin():
        for sig in store.signatures(session, [Status.pending]):
            if flt.matches(sig):
                decisions.append(_change_status(rt, session, sig, Status.approved, actor,
                                                "approved"))
    if decisions:
        publish(rt, force=True)
    log.info("bulk approval by=%s approved=%s", actor, len(decisions))
    return decisions


def edit(rt: Runtime, sig_id: int, changes: Mapping[str, str], *, actor: str,
         approve: bool = False, notify: bool | None = None) -> EditResult:
    """Change fields of an entry as an organizer; the signer gets a mail saying what changed.

    A country goes through the same normalizer as a reply ("Deutschland", "DE" -> "Germany" in the
    campaign language); a website must be an http(s) address. `approve` approves in the same step.
    """
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise ReviewError(f"unknown field {', '.join(unknown)}: editable are {', '.join(EDITABLE)}")
    notify = rt.cfg.review.notify_on_edit if notify is None else notify
    with Session(rt.engine) as session, session.begin():
        sig = _get(session, sig_id)
        before = sig.values()
        for name, value in changes.items():
            _set_field(rt, sig, name, value.strip())
        after = sig.values()
        done = tuple(Change(n, FIELD_LABELS.get(n, n.replace("_", " ").capitalize()),
                            str(before.get(n) or ""), str(after.get(n) or ""))
                     for n in EDITABLE if before.get(n) != after.get(n))
        notified = False
        if done:
            sig.updated_at = rt.clock()
            store.add_event(session, actor=actor, action="edited", signature=sig, before=before,
                            after=after)
            log.info("signature edited signature_id=%s fields=%s by=%s", sig.id,
                     ",".join(c.field for c in done), actor)
            notified = notify and _notify_edit(rt, session, sig, done)
        if approve and sig.status != Status.approved:
            if Status(sig.status) not in _ALLOWED_FROM[Status.approved]:
                raise ReviewError(f"#{sig_id} is {sig.status}: it cannot be approved")
            _change_status(rt, session, sig, Status.approved, actor, "approved")
        elif done:
            _resolve_for(rt, session, sig, actor)
    if done or approve:
        publish(rt, force=True)
    return EditResult(sig_id, done, notified)


def _set_field(rt: Runtime, sig: Signature, name: str, value: str) -> None:
    if name == "country":
        if not value:
            sig.country, sig.country_code = "", None
            return
        code = value.upper() if len(value) == 2 and value.isalpha() else None
        country = normalize_country(value)
        code = country.code or code
        if not code or not (country.code or _is_known_code(code)):
            raise ReviewError(f"country not recognized: {value!r}: type the country's name (in any "
                              f"language) or its two-letter ISO code, like AR")
        sig.country_code = code
        sig.country = country_display(code, rt.cfg.campaign.language, rt.cfg.campaign.country_names)
    elif name == "website":
        url, reason = normalize_website(value) if value else ("", "")
        if value and not url:
            raise ReviewError(reason or f"not a website address: {value!r}")
        sig.website = url
    elif name == "kind":
        if value not in (SignerKind.person, SignerKind.organization):
            raise ReviewError(f"kind: expected person or organization, got {value!r}")
        sig.kind = SignerKind(value)
    else:
        setattr(sig, name, " ".join(value.split()) if name != "presentation" else value)


def _is_known_code(code: str) -> bool:
    from mailbot.core.countries import known_codes

    return code in known_codes()


def _notify_edit(rt: Runtime, session: Session, sig: Signature, changes: tuple[Change, ...]) -> bool:
    """Queue the "an organizer changed your entry" mail in the caller's transaction."""
    if sig.undeliverable or sig.status in (Status.withdrawn, Status.rejected) or not sig.email:
        return False
    if not any(c.field in FIELD_NAMES for c in changes):
        return False
    last = session.scalars(select(InboundMessage).where(InboundMessage.signature_id == sig.id)
                           .order_by(InboundMessage.received_at.desc())).first()
    in_reply_to = last.message_id if last else ""
    fields_view = {name: getattr(sig, name) for name in FIELD_NAMES}
    now = rt.clock()
    message_id, data = compose(
        rt.env, "changed_by_organizer", campaign=rt.cfg.campaign, recipient=sig.email,
        recipient_name=" ".join(p for p in (sig.first_name, sig.name) if p),
        subject=last.subject if last else "", in_reply_to=in_reply_to,
        references=(in_reply_to,) if in_reply_to else (),
        context={"fields": fields_view, "status": str(sig.status),
                 "changes": [c for c in changes if c.field in FIELD_NAMES]}, now=now)
    session.add(Outbox(signature_id=sig.id, recipient=sig.email, kind="changed_by_organizer",
                       message=data, message_id=message_id, in_reply_to=in_reply_to,
                       created_at=now, next_attempt_at=now))
    log.info("mail queued kind=changed_by_organizer signature_id=%s", sig.id)
    return True


# --- needs attention -------------------------------------------------------------------------

def resolve(rt: Runtime, inbound_ids: Sequence[int], *, actor: str) -> int:
    """Mark mail that needed attention as handled by `actor`; returns how many changed."""
    done = 0
    with Session(rt.engine) as session, session.begin():
        for inbound_id in inbound_ids:
            row = session.get(InboundMessage, inbound_id)
            if row is None:
                raise ReviewError(f"no stored mail with id {inbound_id}: see `mailbot attention`")
            if row.resolved_at is None:
                _mark_resolved(rt, session, row, actor)
                done += 1
    return done


def _mark_resolved(rt: Runtime, session: Session, row: InboundMessage, actor: str) -> None:
    row.resolved_by, row.resolved_at = actor, rt.clock()
    sig = session.get(Signature, row.signature_id) if row.signature_id else None
    store.add_event(session, actor=actor, action="mail handled", signature=sig, inbound=row,
                    after={"note": row.note})
    log.info("attention mail handled inbound_id=%s by=%s", row.id, actor)


def _resolve_for(rt: Runtime, session: Session, sig: Signature, actor: str) -> None:
    """A decision on an entry also settles the unclear mail that belongs to it."""
    rows = session.scalars(select(InboundMessage).where(
        InboundMessage.signature_id == sig.id,
        InboundMessage.state.in_([str(s) for s in ATTENTION_STATES]),
        InboundMessage.resolved_at.is_(None)))
    for row in rows:
        _mark_resolved(rt, session, row, actor)


# --- erasure ---------------------------------------------------------------------------------

def erase(rt: Runtime, sig_id: int, *, actor: str) -> None:
    """Forget a signer: the signature, its audit trail, its mail's bytes and its outbox rows.

    What stays: the inbound rows without sender, subject or bytes (their Message-ID keeps a second
    import of the same mail from signing again) and a keyed hash of the address in
    `forgotten_address` (HMAC-SHA256, key in the database's `secret` table), so that other old mail
    from the address can be recognized and not brought back. One event records who erased which id.
    """
    with Session(rt.engine) as session, session.begin():
        sig = _get(session, sig_id)
        email, status = sig.email, str(sig.status)
        digest = store.address_digest(session, email)
        if session.get(ForgottenAddress, digest) is None:
            session.add(ForgottenAddress(digest=digest, at=rt.clock()))
        rows = session.scalars(select(InboundMessage).where(or_(
            InboundMessage.signature_id == sig_id, InboundMessage.sender == email)))
        for row in rows:
            row.raw, row.sender, row.subject, row.reasons = b"", "", "", []
            row.signature_id = None
            row.note = f"erased by {actor}"
            if row.resolved_at is None:
                row.resolved_by, row.resolved_at = actor, rt.clock()
        session.execute(delete(Outbox).where(or_(Outbox.signature_id == sig_id,
                                                 Outbox.recipient == email)))
        session.execute(delete(Event).where(Event.signature_id == sig_id))
        session.delete(sig)
        session.flush()
        store.add_event(session, actor=actor, action="erased",
                        before={"id": sig_id, "status": status})
    log.info("signature erased signature_id=%s by=%s", sig_id, actor)
    publish(rt, force=True)


def forget(rt: Runtime, email: str, *, actor: str) -> bool:
    """`mailbot forget EMAIL`: erase the address's signature, mail and outbox rows, if any.

    Without a signature, the address's stored mail and outbox rows are erased all the same and its
    keyed hash recorded, so that re-importing old mail does not bring it back. True when an entry
    was erased.
    """
    email = email.strip().lower()
    with Session(rt.engine) as session:
        sig = store.signature_by_email(session, email)
        sig_id = sig.id if sig is not None else None
    if sig_id is not None:
        erase(rt, sig_id, actor=actor)
        return True
    with Session(rt.engine) as session, session.begin():
        digest = store.address_digest(session, email)
        if session.get(ForgottenAddress, digest) is None:
            session.add(ForgottenAddress(digest=digest, at=rt.clock()))
        for row in session.scalars(select(InboundMessage).where(InboundMessage.sender == email)):
            row.raw, row.sender, row.subject, row.reasons = b"", "", "", []
            row.note = f"erased by {actor}"
        session.execute(delete(Outbox).where(Outbox.recipient == email))
        store.add_event(session, actor=actor, action="erased", before={"address": "(forgotten)"})
    log.info("address forgotten by=%s", actor)
    return False
