"""Labeled fields from the sender's own lines: any order, separator, bullet or layout.

Values come only from the sender's own lines. A quoted line never yields a value, except that a
quoted blank label (`> First name:`) takes the answer typed on the own line right under it.
A field given twice with different values means several signatories (the first one is kept).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from mailbot.core import labels
from mailbot.core.clean import CleanText

_BULLET = re.compile(r"^\s*(?:[-*•·‣◦▪–—+]|\d{1,2}[.)])\s+")
_LINE_LABEL = re.compile(
    r"^(?P<label>[^:=\t]{1,40}?)\s*(?::|=|\t+|\s+[-–—](?:\s+|$)|\s{2,})\s*(?P<value>.*)$")
_SIGNOFF = re.compile(
    r"^(in solidarity|solidarity|solidarité|salutations|cordialement|amitiés|best|regards|"
    r"kind regards|thanks|thank you|merci|saludos|un abrazo|abrazos|gracias|abraços|obrigad|"
    r"atenciosamente|grüße|gruß|mit freundlichen|danke|с уважением|спасибо|saluti|cordiali|grazie|"
    r"un saluto|cheers|yours)\b",
    re.I,
)


@dataclass(frozen=True)
class Labeled:
    """What the labeled lines gave: the first signatory's raw values and how they were read."""

    values: dict[str, str] = field(default_factory=dict)  # field -> raw value ("" when left empty)
    labels_seen: int = 0  # own labeled lines, empty ones included
    language: str = ""
    signatories: int = 0  # how many times the first field was given a different value
    prose: tuple[str, ...] = ()  # own lines that are not labeled fields
    reasons: tuple[str, ...] = ()
    quoted_values: dict[str, str] = field(default_factory=dict)  # filled labels inside quotes


def _strip_decoration(text: str) -> str:
    text = _BULLET.sub("", text)
    return text.replace("**", "").replace("__", "").strip()


def split_labeled(text: str) -> list[tuple[str, str, str]]:
    """[(field, languages, value)] for the labels in one line; [] when the line has none.

    A label starts the line ("Name: X", "Name - X", "Name = X", table cells) or follows a
    sentence end or a comma ("Sorry. First name: X, Name: Y").
    """
    line = _strip_decoration(text)
    if not line or len(line) > 2000:
        return []
    starts: list[tuple[int, int, tuple[str, str]]] = []  # (label start, value start, hit)
    if len(line) <= 45 and (hit := labels.lookup(line.rstrip(" :=-–—\t"))):
        return [(hit[0], hit[1], "")]  # a label left blank ("Website:", an empty table cell)
    m = _LINE_LABEL.match(line)
    if m and (hit := labels.lookup(m.group("label"))):
        starts.append((0, m.start("value"), hit))
    for colon in re.finditer(r"[:：]", line):
        pos = colon.start()
        if starts and pos < starts[-1][1]:
            continue
        words = list(re.finditer(r"\S+", line[:pos]))
        for k in range(min(4, len(words)), 0, -1):
            begin = words[-k].start()
            if starts and begin < starts[-1][1]:
                continue
            before = line[:begin].rstrip()
            if before and not (before[-1] in ",;|.!?" or line[len(before):begin].count(" ") >= 2):
                continue
            if hit := labels.lookup(line[begin:pos]):
                starts.append((begin, pos + 1, hit))
                break
    out = []
    for n, (_, value_start, hit) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(line)
        value = line[value_start:end].strip()
        if n + 1 < len(starts):
            value = value.rstrip(",;|").strip()
        out.append((hit[0], hit[1], value))
    return out


def _vote_language(langs: list[str]) -> str:
    votes: Counter[str] = Counter()  # "it pt" gives each language half a vote
    for entry in langs:
        for lang in entry.split():
            votes[lang] += 6 // len(entry.split())
    return votes.most_common(1)[0][0] if votes else ""


def extract_labeled(cleaned: CleanText) -> Labeled:
    """Read the labeled form (own lines, and answers typed under quoted blank labels)."""
    records: list[dict[str, str]] = [{}]
    langs: list[str] = []
    prose: list[str] = []
    reasons: list[str] = []
    quoted_values: dict[str, str] = {}
    seen = 0
    pending: str | None = None  # a blank label waiting for its answer on the next line
    last_field: str | None = None
    lines = cleaned.lines

    def record(name: str, value: str) -> None:
        nonlocal seen
        current = records[-1]
        if name in current and current[name] and value and labels.fold(current[name]) != labels.fold(value):
            records.append({})
            current = records[-1]
        if value or name not in current:
            current[name] = value
        seen += 1

    for i, line in enumerate(lines):
        text = line.text
        if not text.strip():
            pending, last_field = None, None
            if line.own:
                prose.append("")  # paragraphs matter to the free-form reader
            continue
        parsed = split_labeled(text)
        parsed = [p for p in parsed if p[0] != labels.IGNORED] if parsed else []
        if not line.own:
            if line.quoted and len(parsed) == 1 and not parsed[0][2]:
                pending = parsed[0][0]
            else:
                pending = None
                for name, _, value in parsed:
                    if value:
                        quoted_values.setdefault(name, value)
            last_field = None
            continue
        if parsed:
            for name, lang, value in parsed:
                record(name, value)
                langs.append(lang)
            tail = parsed[-1]
            # only "Label:" announces an answer on the next line, not a bare word or table cell
            pending = tail[0] if not tail[2] and text.rstrip().endswith((":", "：")) else None
            last_field = tail[0] if tail[2] else None
            continue
        if split_labeled(text):  # an ignored label ("Email: ..."): neither field nor prose
            pending, last_field = None, None
            continue
        if pending and not _SIGNOFF.match(text):
            quoted_label = i > 0 and lines[i - 1].quoted
            record(pending, text.strip())
            reasons.append("answer read under a quoted label" if quoted_label
                           else "value read on the line under its label")
            pending, last_field = None, pending
            continue
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if last_field and nxt is not None and nxt.own and split_labeled(nxt.text):
            # a value wrapped onto a second line, between two labeled lines
            records[-1][last_field] = (records[-1].get(last_field, "") + " " + text.strip()).strip()
            continue
        pending, last_field = None, None
        prose.append(text)
    filled = [r for r in records if any(r.values())]
    signatories = len(filled)
    values = filled[0] if filled else records[0]
    return Labeled(values=values, labels_seen=seen, language=_vote_language(langs),
                   signatories=signatories, prose=tuple(prose), reasons=tuple(dict.fromkeys(reasons)),
                   quoted_values=quoted_values)
