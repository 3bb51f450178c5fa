"""What a parsed reply does to the list of signatures: sign, correct, withdraw, or nothing.

Runs inside the caller's transaction; records an audit event for every change and says which mail,
if any, the sender should get. It never sends anything itself.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import timedelta

from sqlalchemy.orm import Session

from mailbot.adapters import store
from mailbot.adapters.store import InboundMessage, InboundState, Outbox, OutboxStatus, Signature
from mailbot.config import LimitsSettings, ReviewSettings
from mailbot.core.model import FIELD_NAMES, Kind, Reply, Status

log = logging.getLogger(__name__)

BOT = "bot"
_DEFAULT_LIMITS = LimitsSettings()


@dataclass(frozen=True)
class Outcome:
    state: InboundState
    note: str = ""
    signature: Signature | None = None
    mail: str | None = None  # the template to answer with: "confirmation" | "withdrawal"
    list_changed: bool = False  # whether the published lists may read differently now
    changed: bool = False  # an existing entry was updated (the confirmation says so)


_MACHINE_KINDS = {Kind.auto_reply: "auto-reply", Kind.bulk: "bulk or list mail"}
_PERSON_KINDS = {Kind.question: "question to the organizers", Kind.forward: "forward of the appeal",
                 Kind.other: "not recognized as a signature"}


def apply_reply(session: Session, reply: Reply, inbound: InboundMessage, *,
                review: ReviewSettings, campaign_address: str,
                limits: LimitsSettings = _DEFAULT_LIMITS) -> Outcome:
    """Apply one reply; the first matching case decides."""
    reply = _guard(session, reply, inbound, limits)
    if reply.kind is Kind.bounce:
        return _bounce(session, reply, inbound)
    if reply.kind in _MACHINE_KINDS:
        return Outcome(InboundState.processed, f"ignored: {_MACHINE_KINDS[reply.kind]}")
    if reply.kind in _PERSON_KINDS:
        return Outcome(InboundState.needs_attention, _PERSON_KINDS[reply.kind])
    if not reply.sender:
        return Outcome(InboundState.needs_attention, "no readable sender address")
    if reply.sender == campaign_address.lower():
        return Outcome(InboundState.needs_attention, "sent from the campaign's own address")
    if store.is_forgotten(session, reply.sender):  # erased on request: keep nothing of it
        inbound.raw, inbound.sender, inbound.subject, inbound.reasons = b"", "", "", []
        return Outcome(InboundState.processed, "from an address erased on request: not kept")
    existing = store.signature_by_email(session, reply.sender)
    if reply.kind is Kind.withdrawal:
        return _withdraw(session, existing, inbound)
    if existing is None:
        return _sign(session, reply, inbound, review)
    return _update(session, existing, reply, inbound, review)


# Longest value kept per field; longer input is cut, flagged, and waits for an organizer.
FIELD_LIMITS = {"first_name": 100, "name": 150, "country": 100, "presentation": 400,
                "organization": 300, "website": 500}


def _guard(session: Session, reply: Reply, inbound: InboundMessage, limits: LimitsSettings) -> Reply:
    """Doubts the reply itself cannot see: overlong fields, floods from one sender or domain.

    Each doubt becomes a reason, and a confidence of at most 0.5, so the entry waits for review.
    """
    if not reply.kind.may_get_mail or not reply.sender:
        return reply
    doubts: list[str] = []
    clipped = {}
    for name, limit in FIELD_LIMITS.items():
        value = getattr(reply.fields, name)
        if len(value) > limit:
            clipped[name] = value[:limit].rstrip()
            doubts.append(f"{name} was {len(value)} characters long: cut to {limit}")
    since = inbound.received_at - timedelta(hours=1)
    from_sender = store.count_inbound_from(session, reply.sender, since, before_id=inbound.id)
    if from_sender >= limits.replies_per_sender_per_hour:
        doubts.append(f"flood: {from_sender + 1} replies from this address within an hour")
    domain = reply.sender.rpartition("@")[2]
    from_domain = store.count_signatures_from_domain(session, domain, since)
    if reply.kind is Kind.signature and from_domain >= limits.signatures_per_domain_per_hour:
        doubts.append(f"flood: {from_domain + 1} new signatures from @{domain} within an hour")
    if not doubts:
        return reply
    log.warning("reply flagged inbound_id=%s doubts=%s", inbound.id, len(doubts))
    return replace(reply, fields=replace(reply.fields, **clipped)).doubted(0.5, *doubts)


def _bounce(session: Session, reply: Reply, inbound: InboundMessage) -> Outcome:
    for address in reply.bounced:
        sig = store.signature_by_email(session, address)
        if sig is not None and not sig.undeliverable:
            sig.undeliverable = True
            store.add_event(session, actor=BOT, action="bounced", signature=sig, inbound=inbound,
                            before={"undeliverable": False}, after={"undeliverable": True})
        for row in session.query(Outbox).filter(Outbox.recipient == address,
                                                Outbox.status == OutboxStatus.queued):
            row.status, row.last_error = OutboxStatus.failed, "the address bounced"
    note = "bounce for " + ", ".join(reply.bounced) if reply.bounced else "bounce"
    return Outcome(InboundState.processed, note)


def _status_for(reply: Reply, complete: bool, review: ReviewSettings) -> Status:
    sure = complete and reply.confidence >= review.threshold
    return Status.approved if review.auto_approve and sure else Status.pending


def _sign(session: Session, reply: Reply, inbound: InboundMessage,
          review: ReviewSettings) -> Outcome:
    f = reply.fields
    if not any(getattr(f, name) for name in FIELD_NAMES):
        return Outcome(InboundState.needs_attention, "no field could be read from the reply")
    sig = Signature(email=reply.sender, first_name=f.first_name, name=f.name,
                    country_code=f.country_code, country=f.country,
                    presentation=f.presentation, organization=f.organization, website=f.website,
                    kind=reply.signer_kind, status=_status_for(reply, reply.is_complete, review),
                    confidence=reply.confidence, reasons=list(reply.reasons),
                    language=reply.language, signed_at=inbound.received_at,
                    updated_at=inbound.received_at)
    session.add(sig)
    session.flush()
    store.add_event(session, actor=BOT, action="signed", signature=sig, inbound=inbound,
                    after=sig.values())
    log.info("signature stored signature_id=%s status=%s confidence=%.2f", sig.id, sig.status,
             reply.confidence)
    return Outcome(InboundState.processed, f"signed ({sig.status})", sig, "confirmation",
                   list_changed=sig.status == Status.approved)


def _update(session: Session, sig: Signature, reply: Reply, inbound: InboundMessage,
            review: ReviewSettings) -> Outcome:
    if sig.status == Status.rejected:
        return Outcome(InboundState.needs_attention,
                       "reply from an address whose signature an organizer rejected", sig)
    before = sig.values()
    was_listed = sig.status == Status.approved
    resigning = sig.status == Status.withdrawn
    for name in sorted(reply.named):
        setattr(sig, name, getattr(reply.fields, name))
        if name == "country":
            sig.country_code = reply.fields.country_code
    if reply.named and reply.signer_kind != sig.kind and {"first_name", "name"} & reply.named:
        sig.kind = reply.signer_kind
    after = sig.values()
    if after == before and not resigning:
        if reply.kind is Kind.correction:
            return Outcome(InboundState.needs_attention,
                           "correction asked, but no changed field could be read", sig)
        store.add_event(session, actor=BOT, action="signed again", signature=sig, inbound=inbound)
        return Outcome(InboundState.processed, "signed again: nothing changed", sig)
    complete = bool(sig.first_name and sig.name and sig.country_code) or bool(
        sig.kind == "organization" and sig.organization and sig.country_code)
    # An update need not repeat every field ("Organization: X" alone): judged without the
    # completeness checks, which the stored entry answers.
    as_update = replace(reply, confidence=max(reply.confidence, reply.update_confidence))
    sig.status = _status_for(as_update, complete, review)
    sig.confidence = as_update.confidence
    sig.reasons = [r for r in reply.reasons if r not in reply.completeness_reasons]
    sig.updated_at = inbound.received_at
    action = "signed again" if resigning else "corrected"
    store.add_event(session, actor=BOT, action=action, signature=sig, inbound=inbound,
                    before=before, after=sig.values())
    log.info("signature %s signature_id=%s status=%s", action, sig.id, sig.status)
    return Outcome(InboundState.processed, f"{action} ({sig.status})", sig, "confirmation",
                   list_changed=was_listed or sig.status == Status.approved, changed=not resigning)


def _withdraw(session: Session, sig: Signature | None, inbound: InboundMessage) -> Outcome:
    if sig is None:
        return Outcome(InboundState.needs_attention, "withdrawal from an address that has not signed")
    if sig.status == Status.withdrawn:
        return Outcome(InboundState.processed, "already withdrawn", sig)
    before = sig.values()
    was_listed = sig.status == Status.approved
    sig.status = Status.withdrawn
    sig.updated_at = inbound.received_at
    store.add_event(session, actor=BOT, action="withdrawn", signature=sig, inbound=inbound,
                    before=before, after=sig.values())
    log.info("signature withdrawn signature_id=%s", sig.id)
    return Outcome(InboundState.processed, "withdrawn", sig, "withdrawal", list_changed=was_listed)
