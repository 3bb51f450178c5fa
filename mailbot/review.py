"""Organizer decisions on entries: each one an audit event, and the lists published again."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from mailbot.adapters import store
from mailbot.adapters.store import Signature
from mailbot.core.model import Status
from mailbot.errors import MailbotError
from mailbot.pipeline import Runtime, publish

log = logging.getLogger(__name__)


class ReviewError(MailbotError):
    """An organizer asked for something that cannot be done (unknown entry, wrong state)."""


@dataclass(frozen=True)
class Decision:
    signature_id: int
    before: Status
    after: Status


def pending(rt: Runtime) -> list[Signature]:
    with Session(rt.engine) as session:
        rows = store.signatures(session, [Status.pending])
        session.expunge_all()
        return rows


def set_status(rt: Runtime, ids: Sequence[int], status: Status, *, actor: str) -> list[Decision]:
    """Approve, reject or withdraw entries by id; all or nothing."""
    decisions = []
    with Session(rt.engine) as session, session.begin():
        for sig_id in ids:
            sig = session.get(Signature, sig_id)
            if sig is None:
                raise ReviewError(f"no signature with id {sig_id}: see `mailbot pending`")
            if status == Status.approved and not sig.country_code and sig.kind == "person":
                log.warning("approving signature_id=%s without a recognized country", sig_id)
            before = sig.values()
            old = Status(sig.status)
            if old == status:
                continue
            sig.status = status
            store.add_event(session, actor=actor, action=str(status), signature=sig,
                            before=before, after=sig.values())
            decisions.append(Decision(sig_id, old, status))
            log.info("signature %s signature_id=%s by=%s", status, sig_id, actor)
    if decisions:
        publish(rt, force=True)
    return decisions
