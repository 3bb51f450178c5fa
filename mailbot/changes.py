"""What changed on the published list since a moment: added, changed and removed entries.

Derived from the audit trail (the `event` table), so it is exact for any moment, not only for the
last publication. `changes.json` in the export directory covers the last `WINDOW`; `mailbot export
--since` and `/lists/changes.json?since=` any moment.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mailbot.adapters.store import Event, Signature
from mailbot.core.model import FIELD_NAMES, Status
from mailbot.errors import MailbotError

WINDOW = timedelta(days=30)
FILENAME = "changes.json"
_PUBLIC = FIELD_NAMES + ("country_code", "kind")
_COLUMNS = ("id", "first_name", "name", "country", "country_code", "presentation", "organization",
            "website", "kind", "signed_at", "updated_at")


@dataclass
class Changes:
    since: datetime
    until: datetime  # the newest event considered
    added: list[dict[str, Any]] = field(default_factory=list)
    changed: list[dict[str, Any]] = field(default_factory=list)
    removed: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> str:
        data = {"since": self.since.isoformat(), "until": self.until.isoformat(),
                "added": self.added, "changed": self.changed, "removed": self.removed}
        text = json.dumps(data, ensure_ascii=False, indent=2)
        # the same escaping as signatories.json: safe inside an HTML <script>
        for char, escaped in {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}.items():
            text = text.replace(char, escaped)
        return text + "\n"


def parse_since(text: str) -> datetime:
    """An ISO 8601 date or time ("2024-05-01", "2024-05-01T10:00:00+02:00"); naive means UTC."""
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise MailbotError(f"--since: expected a date or time like 2024-05-01 or "
                           f"2024-05-01T10:00:00Z, got {text!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def changes_since(session: Session, since: datetime) -> Changes:
    """Entries that appeared on, changed on or left the published list after `since`."""
    later = list(session.scalars(select(Event).where(Event.at > since).order_by(Event.at, Event.id)))
    until = later[-1].at if later else since
    out = Changes(since, until)
    touched: dict[int, list[Event]] = {}
    for ev in later:
        if ev.signature_id is not None:
            touched.setdefault(ev.signature_id, []).append(ev)
        elif ev.action == "erased" and ev.before and ev.before.get("status") == Status.approved:
            out.removed.append({"id": ev.before.get("id"), "at": ev.at.isoformat(),
                                "reason": "erased"})
    for sig_id, events in touched.items():
        was_listed = _listed_at(session, sig_id, since)
        sig = session.get(Signature, sig_id)
        listed = sig is not None and sig.status == Status.approved
        at = events[-1].at.isoformat()
        if listed and sig is not None and not was_listed:
            out.added.append(_record(sig, at))
        elif listed and sig is not None and any(_public_change(ev) for ev in events):
            out.changed.append(_record(sig, at))
        elif was_listed and not listed:
            out.removed.append({"id": sig_id, "at": at,
                                "reason": str(sig.status) if sig is not None else "erased"})
    for items in (out.added, out.changed, out.removed):
        items.sort(key=lambda r: (r["at"], r["id"] or 0))
    return out


def recent_changes(session: Session) -> Changes:
    """The changes of the `WINDOW` before the newest event: stable while nothing happens."""
    newest = session.scalar(select(Event.at).order_by(Event.at.desc()).limit(1))
    return changes_since(session, (newest or datetime.now(UTC)) - WINDOW)


def _listed_at(session: Session, sig_id: int, moment: datetime) -> bool:
    for ev in session.scalars(select(Event).where(Event.signature_id == sig_id, Event.at <= moment)
                              .order_by(Event.at.desc(), Event.id.desc())):
        if ev.after and "status" in ev.after:
            return bool(ev.after["status"] == Status.approved)
    return False


def _public_change(ev: Event) -> bool:
    before, after = ev.before or {}, ev.after or {}
    return bool(after) and any(before.get(k) != after.get(k) for k in _PUBLIC if k in after)


def _record(sig: Signature, at: str) -> dict[str, Any]:
    values = {c: getattr(sig, c) for c in _COLUMNS}
    values["kind"] = str(sig.kind)
    values["signed_at"] = sig.signed_at.isoformat()
    values["updated_at"] = sig.updated_at.isoformat()
    values["at"] = at
    return values
