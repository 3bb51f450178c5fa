"""The daily digest as a view model: facts in (dataclasses), what the templates show out.

Also the pure rules around it: which campaign day is due, how incidents form a streak, and what a
staff reply asks for ("approve 12 14", "reject 13").
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

CHART_DAYS = 30
TOP_COUNTRIES = 10
BAR_CHARS = 30  # widest bar of the text charts
NO_COUNTRY = "(country not recognized)"


# --- facts: what the database says -----------------------------------------------------------

@dataclass(frozen=True)
class Totals:
    approved: int = 0
    pending: int = 0
    withdrawn: int = 0
    rejected: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"approved": self.approved, "pending": self.pending, "withdrawn": self.withdrawn,
                "rejected": self.rejected}

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Totals:
        return cls(**{k: int(v) for k, v in data.items()  # type: ignore[call-overload]
                      if k in ("approved", "pending", "withdrawn", "rejected")})


@dataclass(frozen=True)
class NewSignatory:
    id: int
    name: str  # "First Name" or the organization
    country: str
    detail: str  # presentation, organization
    status: str


@dataclass(frozen=True)
class PendingEntry:
    id: int
    name: str
    country: str
    signed_at: datetime
    confidence: float
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class AttentionMail:
    id: int
    received_at: datetime
    sender: str
    subject: str
    state: str
    note: str


@dataclass(frozen=True)
class FailedMail:
    id: int
    recipient: str
    kind: str
    queued_at: datetime
    error: str


@dataclass(frozen=True)
class Undeliverable:
    id: int
    email: str
    name: str


@dataclass(frozen=True)
class Incident:
    at: datetime
    kind: str
    message: str


@dataclass(frozen=True)
class DigestFacts:
    """Everything the digest shows, already in the campaign's time zone; nothing computed yet."""

    campaign: str
    now: datetime  # local
    since: datetime | None  # local; the previous digest, None for the first one
    totals: Totals
    previous: Totals | None
    new_signatories: Sequence[NewSignatory]
    new_total: int
    per_day: Mapping[date, int]  # signatures received per local day
    per_country: Mapping[str, int]  # approved signatures by country display name ("" unknown)
    pending: Sequence[PendingEntry]  # the oldest first, a few
    pending_total: int
    attention: Sequence[AttentionMail]
    attention_total: int
    failed: Sequence[FailedMail]
    failed_total: int
    undeliverable: Sequence[Undeliverable]
    undeliverable_total: int
    incidents: Sequence[Incident]
    review_url: str = ""
    accepts_commands: bool = False  # staff may reply with approve/reject


# --- the view: what the templates read -------------------------------------------------------

@dataclass(frozen=True)
class TotalLine:
    label: str
    value: int
    change: str  # "+3", "-1", "0", or "" when there is no previous digest


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    percent: int  # width of the HTML bar, 0-100
    text: str  # the bar drawn with characters, for the text part


@dataclass(frozen=True)
class CountryGroup:
    country: str
    entries: tuple[NewSignatory, ...]


@dataclass(frozen=True)
class PendingLine:
    id: int
    name: str
    country: str
    waiting: str  # "3 days"
    confidence: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class MailLine:
    id: int
    when: str
    who: str
    what: str
    why: str


@dataclass(frozen=True)
class IncidentGroup:
    kind: str
    message: str
    count: int
    first: str
    last: str


@dataclass(frozen=True)
class DigestView:
    campaign: str
    date: str
    generated: str
    period: str  # "since the digest of 2025-03-13 08:00" | "in the last 24 hours"
    headline: str  # one line for the subject
    totals: tuple[TotalLine, ...]
    new_total: int
    new_groups: tuple[CountryGroup, ...]
    new_hidden: int
    daily: tuple[Bar, ...]
    daily_total: int
    daily_text: tuple[Bar, ...]  # the same days, quiet stretches folded into one line
    countries: tuple[Bar, ...]
    pending_total: int
    oldest: PendingLine | None
    pending: tuple[PendingLine, ...]
    attention_total: int
    attention: tuple[MailLine, ...]
    failed_total: int
    failed: tuple[MailLine, ...]
    undeliverable_total: int
    undeliverable: tuple[MailLine, ...]
    incident_total: int
    incidents: tuple[IncidentGroup, ...]
    review_url: str
    accepts_commands: bool

    @property
    def all_clear(self) -> bool:
        """Nothing waits for a person."""
        return not (self.pending_total or self.attention_total or self.failed_total
                    or self.incident_total)


def _stamp(at: datetime) -> str:
    return at.strftime("%Y-%m-%d %H:%M")


def age(delta: timedelta) -> str:
    """A duration as a person says it: "45 minutes", "5 hours", "3 days"."""
    minutes = max(0, int(delta.total_seconds() // 60))
    for unit, size in (("day", 1440), ("hour", 60)):
        if minutes >= size:
            n = minutes // size
            return f"{n} {unit}{'s' if n != 1 else ''}"
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def _change(now: int, before: int | None) -> str:
    if before is None:
        return ""
    diff = now - before
    return f"+{diff}" if diff > 0 else str(diff)


def bars(items: Sequence[tuple[str, int]], width: int = BAR_CHARS) -> tuple[Bar, ...]:
    """Bars scaled to the largest value; a value above zero always shows at least a sliver."""
    top = max((v for _, v in items), default=0)
    out = []
    for label, value in items:
        share = value / top if top else 0.0
        chars = max(1, round(share * width)) if value else 0
        percent = max(1, round(share * 100)) if value else 0
        out.append(Bar(label, value, percent, "#" * chars))
    return tuple(out)


def fold_quiet_days(daily: Sequence[Bar], at_least: int = 3) -> tuple[Bar, ...]:
    """Runs of `at_least` or more days without a signature become one line "10-25 to 11-22"."""
    out: list[Bar] = []
    run: list[Bar] = []
    for bar in [*daily, None]:
        if bar is not None and bar.value == 0:
            run.append(bar)
            continue
        if len(run) >= at_least:
            out.append(Bar(f"{run[0].label} to {run[-1].label}", 0, 0, ""))
        else:
            out.extend(run)
        run = []
        if bar is not None:
            out.append(bar)
    return tuple(out)


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def build_view(facts: DigestFacts) -> DigestView:
    """Compute what the digest shows from the facts."""
    prev = facts.previous
    t = facts.totals
    totals = tuple(TotalLine(label, value, _change(value, getattr(prev, key) if prev else None))
                   for key, label, value in (("approved", "approved", t.approved),
                                             ("pending", "pending", t.pending),
                                             ("withdrawn", "withdrawn", t.withdrawn)))
    groups: dict[str, list[NewSignatory]] = {}
    for sig in facts.new_signatories:
        groups.setdefault(sig.country or NO_COUNTRY, []).append(sig)
    new_groups = tuple(CountryGroup(c, tuple(groups[c]))
                       for c in sorted(groups, key=lambda c: (c == NO_COUNTRY, c.casefold())))

    today = facts.now.date()
    days = [today - timedelta(days=n) for n in range(CHART_DAYS - 1, -1, -1)]
    daily = bars([(d.strftime("%m-%d"), facts.per_day.get(d, 0)) for d in days])
    ranked = sorted(facts.per_country.items(), key=lambda kv: (-kv[1], kv[0].casefold()))
    countries = bars([(c or NO_COUNTRY, n) for c, n in ranked[:TOP_COUNTRIES]])

    pending = tuple(PendingLine(p.id, p.name or "(no name)", p.country or "-",
                                age(facts.now - p.signed_at), f"{p.confidence:.2f}", p.reasons)
                    for p in facts.pending)
    attention = tuple(MailLine(m.id, _stamp(m.received_at), m.sender or "(no sender)",
                               _clip(m.subject, 80) or "(no subject)", _clip(m.note, 160))
                      for m in facts.attention)
    failed = tuple(MailLine(m.id, _stamp(m.queued_at), m.recipient, m.kind, _clip(m.error, 160))
                   for m in facts.failed)
    undeliverable = tuple(MailLine(u.id, "", u.email, u.name, "the address bounced")
                          for u in facts.undeliverable)
    incidents = group_incidents(facts.incidents)

    parts = [f"{t.approved} approved"]
    if prev is not None and t.approved != prev.approved:
        parts[0] += f" ({_change(t.approved, prev.approved)})"
    if facts.new_total:
        parts.append(f"{facts.new_total} new")
    if t.pending:
        parts.append(f"{t.pending} pending")
    if facts.attention_total:
        parts.append(f"{facts.attention_total} mail{'s' if facts.attention_total != 1 else ''} to read")
    if facts.failed_total or facts.undeliverable_total:
        parts.append(f"{facts.failed_total + facts.undeliverable_total} undelivered")
    if facts.incidents:
        parts.append(f"{len(facts.incidents)} worker problems")
    period = (f"since the digest of {_stamp(facts.since)}" if facts.since is not None
              else "in the last 24 hours")
    return DigestView(
        campaign=facts.campaign, date=today.isoformat(), generated=_stamp(facts.now),
        period=period, headline=", ".join(parts), totals=totals, new_total=facts.new_total,
        new_groups=new_groups, new_hidden=max(0, facts.new_total - len(facts.new_signatories)),
        daily=daily, daily_total=sum(b.value for b in daily), daily_text=fold_quiet_days(daily),
        countries=countries,
        pending_total=facts.pending_total, oldest=pending[0] if pending else None,
        pending=pending, attention_total=facts.attention_total, attention=attention,
        failed_total=facts.failed_total, failed=failed,
        undeliverable_total=facts.undeliverable_total, undeliverable=undeliverable,
        incident_total=len(facts.incidents), incidents=incidents,
        review_url=facts.review_url, accepts_commands=facts.accepts_commands)


def group_incidents(incidents: Sequence[Incident]) -> tuple[IncidentGroup, ...]:
    """The same failure a hundred times is one line with a count."""
    grouped: dict[tuple[str, str], list[datetime]] = {}
    for inc in sorted(incidents, key=lambda i: i.at):
        grouped.setdefault((inc.kind, _clip(inc.message, 200)), []).append(inc.at)
    return tuple(IncidentGroup(kind, message, len(ats), _stamp(ats[0]), _stamp(ats[-1]))
                 for (kind, message), ats in sorted(grouped.items(), key=lambda kv: kv[1][0]))


# --- scheduling -------------------------------------------------------------------------------

def due_day(now: datetime, at: time, tz: tzinfo, grace: timedelta) -> date | None:
    """The campaign day whose digest should be out by `now`, or None when its time is more than
    `grace` ago (the worker was down too long: that day's digest is skipped, not sent late)."""
    local = now.astimezone(tz)
    day = local.date()
    slot = datetime.combine(day, at, tzinfo=tz)
    if local < slot:
        day -= timedelta(days=1)
        slot = datetime.combine(day, at, tzinfo=tz)
    return day if now - slot <= grace else None


def streak(times: Sequence[datetime], now: datetime, gap: timedelta) -> tuple[datetime, datetime] | None:
    """(first, last) of the incidents still going on: each within `gap` of the next, the last
    within `gap` of now; None when the worker has been fine for longer than `gap`."""
    ordered = sorted(times, reverse=True)
    if not ordered or now - ordered[0] > gap:
        return None
    first = ordered[0]
    for at in ordered[1:]:
        if first - at > gap:
            break
        first = at
    return first, ordered[0]


# --- staff replies ----------------------------------------------------------------------------

@dataclass(frozen=True)
class StaffCommand:
    action: str  # approve | reject
    ids: tuple[int, ...]


_COMMAND = re.compile(r"^\s*(approve|reject)\b[\s:]*((?:#?\d+[\s,;]*)+)\s*$", re.I)


def parse_commands(text: str) -> tuple[StaffCommand, ...]:
    """Lines like "approve 12 14" or "Reject #13"; every other line is ignored."""
    out = []
    for line in text.splitlines():
        m = _COMMAND.match(line)
        if m:
            out.append(StaffCommand(m[1].lower(), tuple(int(n) for n in re.findall(r"\d+", m[2]))))
    return tuple(out)
