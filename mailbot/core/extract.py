"""Labeled fields from the sender's own lines: any order, separator, bullet or layout.

Values come only from the sender's own lines. A quoted line never yields a value, except that a
quoted blank label (`> First name:`) takes the answer typed on the own line right under it.
A field given twice with different values means several signatories (the first one is kept).
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from anyascii import anyascii

from mailbot.core import labels
from mailbot.core.clean import CleanText, Line
from mailbot.core.phrases import SIGN_INTENT, SIGN_OFF

_WRAPPING = ("presentation", "organization")  # the only fields long enough to be wrapped
_GENERIC_NAME = frozenset({"nom", "name", "naam", "nome"})  # a first name beside a surname label
_BULLET = re.compile(r"^\s*(?:[-*•·‣◦▪–—+]|\d{1,2}[.)])\s+")
_HINTED = re.compile(r"^(?P<label>[^:=\t(（\[]{1,40}?)\s*(?P<hint>[(\[（][^()\[\]（）]{0,100}[)\]）])"
                     r"(?=\s*[:：=]|\s+[-–—]\s|\t)")
_LEADER = re.compile(r"^(?:[.…_]{2,}\s*)+")  # dots or a rule between a label and its value
_LINE_LABEL = re.compile(
    r"^(?P<label>[^:=\t]{1,40}?)\s*(?::|=|\t+|\s+[-–—](?:\s+|$)|\s{2,})\s*(?P<value>.*)$")


@dataclass(frozen=True)
class Labeled:
    """What the labeled lines gave: the first signatory's raw values and how they were read."""

    values: dict[str, str] = field(default_factory=dict)  # field -> raw value ("" when left empty)
    labels_seen: int = 0  # own labeled lines, empty ones included
    language: str = ""
    signatories: int = 0  # how many times the first field was given a different value
    prose: tuple[str, ...] = ()  # own lines that are not labeled fields
    reasons: tuple[str, ...] = ()
    conflicts: int = 0  # doubtful readings: one field under two labels, a value that may be prose
    unread: tuple[str, ...] = ()  # own "Something: value" lines whose label is not in the table


def _strip_decoration(text: str) -> str:
    text = _BULLET.sub("", text)
    return text.replace("**", "").replace("__", "").strip()


MAX_LINE = 2000  # characters of one line read for labels: bounds time on hostile input


@functools.lru_cache(maxsize=4096)  # each line is asked about several times while reading a form
def split_labeled(text: str) -> tuple[tuple[str, str, str, str], ...]:
    """[(field, languages, value, label as typed)] for the labels in one line; [] when none.

    A label starts the line ("Name: X", "Name - X", "Name = X", table cells) or follows a
    sentence end or a comma ("Sorry. First name: X, Name: Y").
    """
    line = _strip_decoration(text)[:MAX_LINE]  # an overlong value is kept cut, and flagged as long
    if not line:
        return ()
    if (m := _HINTED.match(line)) and (hit := labels.lookup(m.group("label"))) and \
            labels.lookup(m.group("label") + m.group("hint")) in (hit, None):
        # the appeal's hint copied with its label: "Presentation (e.g. "Professor: ..."): Lawyer"
        line = m.group("label") + line[m.end("hint"):]
    starts: list[tuple[int, int, tuple[str, str]]] = []  # (label start, value start, hit)
    ends: list[int] = []
    if len(line) <= 45 and (hit := labels.lookup(bare := line.rstrip(" :=-–—\t"))):
        return ((hit[0], hit[1], "", bare),)  # a label left blank ("Website:", an empty table cell)
    cells = [c for c in re.split(r"\s{2,}|\t+", line) if c]
    hits = [labels.lookup(c) for c in cells[::2]]
    if len(cells) >= 3 and all(hits):
        # a table row "First name  Jean  Name  Dupont": label and value cells alternate
        values = [*cells[1::2], ""]
        return tuple((h[0], h[1], values[n], cells[2 * n]) for n, h in enumerate(hits) if h)
    m = _LINE_LABEL.match(line)
    if m and (hit := labels.lookup(m.group("label"))):
        starts.append((0, m.start("value"), hit))
        ends.append(m.end("label"))
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
            boundary = before[-1:] in (",", ";", "|", ".", "!", "?", ":", "/") or \
                line[len(before):begin].count(" ") >= 2
            if before and not boundary and not starts:
                continue
            if starts and "/" in line[begin:pos]:
                continue  # "Nombre: Rosa / Apellidos: Quispe": "Apellidos", not "Rosa / Apellidos"
            if hit := labels.lookup(line[begin:pos]):
                if before and not boundary and (hit[0] == labels.IGNORED or
                                                hit[0] in {s[2][0] for s in starts}):
                    continue  # "Vorname: Nina Name: Koch": only a field not yet on the line
                starts.append((begin, pos + 1, hit))
                ends.append(pos)
                break
    out = []
    for n, (label_start, value_start, hit) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(line)
        value = line[value_start:end].strip()
        if n + 1 < len(starts):
            value = value.rstrip(",;|/").strip()
        value = re.sub(r"^[*_]+\s*", "", value)  # Gmail's plain text of bold labels: "*Nombre:* Carmen"
        value = _LEADER.sub("", value)  # a form's leader dots: "Nombre: ..... Inés"
        if value.endswith(("*", "_")) and value.count(value[-1]) == 1:
            value = value[:-1].rstrip()
        out.append((hit[0], hit[1], value, line[label_start:ends[n]].strip(" *_")))
    return tuple(out)


def sentence_fields(text: str) -> tuple[tuple[str, str, str, str], ...]:
    """Fields written in a sentence, without colons: "Nome Carla, sobrenome Menezes, país Angola".

    Read only when three or more comma-separated parts each start with a different known label
    followed by a value; anything less is prose ("Name and country below").
    """
    line = _strip_decoration(text)[:MAX_LINE]
    best: tuple[tuple[str, str, str, str], ...] = ()
    for sentence in re.split(r"(?<=[.!?])\s+", line):
        found: list[tuple[str, str, str, str]] = []
        # parts end at ";" when the writer used them ("Nom = Rochat ; Pays = Suisse"), else at ","
        separator = r"\s*;\s*" if sentence.count(";") >= 2 else r"\s*[,;]\s+"
        for part in re.split(separator, sentence.strip()):
            if parsed := split_labeled(part):
                found += [p for p in parsed if p[2]]
                continue
            words = part.split()
            for k in range(min(3, len(words) - 1), 0, -1):
                if hit := labels.lookup(" ".join(words[:k])):
                    found.append((hit[0], hit[1], " ".join(words[k:]).rstrip(".!"), " ".join(words[:k])))
                    break
            else:
                if found and part:  # "Présentation: Secrétaire syndical, secteur santé": the value goes on
                    f = found[-1]
                    found[-1] = (f[0], f[1], f"{f[2]}, {part}", f[3])
        found = [f for f in found if f[0] != labels.IGNORED]
        if len(found) >= 3 and len({f[0] for f in found}) == len(found) and len(found) > len(best):
            best = tuple((f[0], f[1], f[2].rstrip(".!").strip(), f[3]) for f in found)
    return best


def space_labeled(text: str) -> tuple[str, str, str, str] | None:
    """ "Имя Айгуль": a label and its value separated by one space, as some webmails write the
    text part of an HTML table. Read only where three or more lines of a reply have this shape."""
    words = _strip_decoration(text)[:MAX_LINE].split()
    for k in range(min(3, len(words) - 1), 0, -1):
        if (hit := labels.lookup(" ".join(words[:k]))) and hit[0] != labels.IGNORED:
            return hit[0], hit[1], _LEADER.sub("", " ".join(words[k:])), " ".join(words[:k])
    return None


def _bare_label(text: str) -> bool:
    """A line that is nothing but a known label, without a colon: a table cell."""
    parsed = split_labeled(text)
    return len(parsed) == 1 and not parsed[0][2] and parsed[0][0] != labels.IGNORED and \
        not text.rstrip().endswith((":", "："))


_UNREAD = re.compile(r"^(?P<label>[^\W\d_][^:：=\t]{0,39}?)\s*[:：]\s*(?P<value>\S.*)$")
_UNREAD_DASH = re.compile(r"^(?P<label>[^\W\d_][^:：=\t\-–—]{0,29}?)\s+[-–—]\s+(?P<value>\S.*)$")


# A closing line under a form: a first name or initials alone ("Ana", "J.-P."), thanks
_CLOSING = re.compile(r"^(?:[\w'’.-]{1,20}|[\w'’.-]{1,20} [\w'’.-]{1,20})[!.,]?$")

_SPEAKS = re.compile(r"^(?:i|i'm|me|my|we|our|je|j'|mon|ma|mes|nous|ich|mein|meine|wir|yo|mi|mis"
                     r"|eu|meu|minha|io|il mio|la mia|я|мой|моя|мы)\b", re.I)


def _signer(record: dict[str, str]) -> set[str]:
    """The words that name the signer in a form: the first name's first word, the name's last."""
    first = record.get("first_name", "").split() or record.get(labels.FULL_NAME, "").split()[:1]
    name = record.get("name", "").split() or record.get(labels.FULL_NAME, "").split()[1:]
    return {labels.fold(anyascii(w)) for w in (first[:1] + name[-1:])} if first and name else set()


def _names_signer(text: str, signer: set[str]) -> bool:
    """Is the line the signer's own name, perhaps with a title ("Arch. Chiara Colombo")?"""
    words = {labels.fold(anyascii(w)) for w in re.findall(r"[^\W\d_][\w'’-]*", text)}
    return bool(signer) and len(text.split()) <= 6 and signer <= words


def unread_label(text: str) -> str | None:
    """The label of a line shaped like "Label: value" whose label is unknown, else None."""
    line = _strip_decoration(text)
    m = _UNREAD.match(line)
    if not m:  # "Professione/incarico - Attrice": a dash after a short label
        m = _UNREAD_DASH.match(line)
        if not m or not ("/" in m.group("label") or len(m.group("label").split()) == 1):
            return None  # one word ("Beruf - Lehrerin") or "A/B"; "Ana Lima - Brazil" is a name
    if len(m.group("label").split()) > 4 or m.group("value").startswith("//"):
        return None
    label = m.group("label").strip()
    if _SPEAKS.match(label) or len(label.split()) >= 3 and m.group("value").rstrip().endswith((".", "!")):
        return None  # a sentence with a colon: "Me equivoqué de país: vivo en Uruguay."
    if SIGN_OFF.match(label) or labels.lookup(label) or re.search(r"[.!?]\s", label) or \
            re.fullmatch(r"(?:p\.?\s?[sd]|n\.?\s?b|ps+)\.?", label, re.I):  # P.S., P.D., N.B.: prose
        return None
    return label


def _wrapped_run(lines: Sequence[Line], i: int, most: int = 4) -> bool:
    """Line i continues the value above: every line before it in the run is long (>= 40
    characters, as mail clients wrap at 72-78) and the run ends at an own labeled line."""
    for j in range(i, min(i + most, len(lines))):
        if len(lines[j - 1].text) < 40:
            return False
        nxt = lines[j + 1] if j + 1 < len(lines) else None
        if nxt is None or not nxt.own or not nxt.text.strip():
            # the value's last line before a blank: only a line that starts in lower case, under a
            # line that does not end a sentence ("... now an" / "independent researcher")
            return j == i and lines[i].text[:1].islower() and \
                not lines[i - 1].text.rstrip().endswith((".", "!", "?", ":", ";"))
        if split_labeled(nxt.text):
            return True
    return False


def _vote_language(langs: list[str]) -> str:
    votes: Counter[str] = Counter()  # "it pt" gives each language half a vote
    for entry in langs:
        for lang in entry.split():
            votes[lang] += 6 // len(entry.split())
    return votes.most_common(1)[0][0] if votes else ""


def extract_labeled(cleaned: CleanText, form_only: bool = False) -> Labeled:
    """Read the labeled form (own lines, and answers typed under quoted blank labels).

    `form_only`: unknown labels count only inside the form's lines (the appeal quoted around a
    form answered in place has sentences with colons of its own).
    """
    records: list[dict[str, str]] = [{}]
    langs: list[str] = []
    prose: list[str] = []
    reasons: list[str] = []
    seen = 0
    pending: str | None = None  # a blank label waiting for its answer on the next line
    from_quote = False  # that label was quoted ("> Vorname:"): its answer may come after a blank line
    last_field: str | None = None
    lines = cleaned.lines

    unread: list[str] = []
    unknown_at: list[tuple[int, str]] = []  # (line, label) of "Label: value" lines not understood
    form_lines: list[int] = []  # own lines read as labels or values
    loose: list[int] = []  # own lines read as neither
    label_of: dict[str, str] = {}  # field -> label that gave it, in the current record
    conflicts: list[str] = []
    layout_below = 0

    def record(name: str, value: str, label: str) -> None:
        nonlocal seen
        current = records[-1]
        if name in current and current[name] and value and labels.fold(current[name]) != labels.fold(value):
            if labels.fold(label_of.get(name, label)) != labels.fold(label):
                # "Nom: Giulia / Cognome: Rossi": two labels for one field, not two people
                pair = [labels.fold(label_of[name]), labels.fold(label)]
                generic = [p in _GENERIC_NAME for p in pair]
                if name == "name" and any(generic) and not all(generic) and "first_name" not in current:
                    # "Nom" beside "Cognoms"/"Cognome", "Name" beside "Surname": the generic
                    # label is the first name (Catalan "Nom", Italian "Nome" mistyped)
                    given, other = (current[name], value) if generic[0] else (value, current[name])
                    current["first_name"], current[name] = given, other
                    label_of["first_name"] = label_of[name] if generic[0] else label
                    reasons.append(f"{label_of['first_name']!r} beside a surname label read as the "
                                   "first name")
                else:
                    reasons.append(f"labels {label_of[name]!r} and {label!r} both read as {name}: "
                                   "label language ambiguous")
                    conflicts.append(name)
                seen += 1
                return
            records.append({})
            label_of.clear()
            current = records[-1]
        if value or name not in current:
            current[name] = value
            label_of[name] = label
        seen += 1

    # The text part of an HTML table: "Vorname", "", "Uwe", "", "Name", "", "Schmitt"... Three or
    # more bare labels on lines of their own make it a layout: each takes the next line below.
    bare = sum(1 for ln in lines if ln.own and _bare_label(ln.text))
    table_layout = bare >= 3
    spaced = {hit[0] for ln in lines
              if ln.own and not split_labeled(ln.text) and (hit := space_labeled(ln.text))}
    space_layout = len(spaced) >= 3
    for i, line in enumerate(lines):
        text = line.text
        if not text.strip():
            if not (table_layout and pending) and not (pending and from_quote):
                pending, last_field = None, None  # after "> Vorname:" and a blank line, "Stefan" answers
            if line.own:
                prose.append("")  # paragraphs matter to the free-form reader
            continue
        parsed = [p for p in split_labeled(text) if p[0] != labels.IGNORED]
        if line.own and not parsed and space_layout and (hit := space_labeled(text)):
            parsed = [hit]
        if line.own and len(parsed) <= 1 and len(in_sentence := sentence_fields(text)) > len(parsed):
            parsed = list(in_sentence)  # "Nome Carla, sobrenome Menezes, apresentação: estudante"
            reasons.append("fields read from a sentence")
        if not line.own:
            # a quoted blank label waits for the answer on the own line under it
            pending = parsed[0][0] if line.quoted and len(parsed) == 1 and not parsed[0][2] else None
            from_quote = pending is not None
            last_field = None
            continue
        if parsed:
            stripped = _strip_decoration(text)
            if (pos := stripped.find(parsed[0][3])) > 0:
                prose.append(stripped[:pos])  # "Please remove my signature. Name: ..." stays readable
            for name, lang, value, label in parsed:
                record(name, value, label)
                langs.append(lang)
                if m := re.search(r"\s[|;]\s*([^\W\d_][\w .'-]{0,25}):", value):
                    unknown_at.append((i, m.group(1)))  # "... funerals | Affil: X": a label not read
            form_lines.append(i)
            tail = parsed[-1]
            # only "Label:" announces an answer on the next line, not a bare word or table cell
            pending = tail[0] if not tail[2] and (text.rstrip().endswith((":", "：")) or
                                                  table_layout) else None
            from_quote = False
            last_field = tail[0] if tail[2] else None
            continue
        if split_labeled(text):  # an ignored label ("Email: ..."): neither field nor prose
            pending, last_field = None, None
            continue
        # under "Organizzazione", "CES - Confederazione europea dei sindacati" is its value, not a label
        dash_value = pending is not None and not _UNREAD.match(_strip_decoration(text))
        if not dash_value and (unknown := unread_label(text)) is not None:
            # "Kurzbio: Lehrerin": a label the table does not know. Its value is not read, so an
            # organizer must look: the field it meant may be missing from the entry.
            unknown_at.append((i, unknown))
            pending, last_field = None, None
            prose.append(text)
            continue
        if pending == "website" and not re.search(r"\w\.\w", text) and \
                labels.fold(text).strip(" ()[].") not in labels.EMPTY_VALUES:
            pending = None  # "Website:" left blank, then "Jallalla." or a name: not an address
        if pending and not SIGN_OFF.match(text):
            quoted_label = from_quote
            record(pending, text.strip(), pending)
            form_lines.append(i)
            reasons.append("answer read under a quoted label" if quoted_label
                           else "value read on the line under its label")
            after = next((ln for ln in lines[i + 1:] if ln.text.strip()), None)
            if after and after.own and split_labeled(after.text):
                layout_below += 1  # "Label:" then its value below, more than once: a layout
            elif not quoted_label and not layout_below:
                # "Organization:" left blank, then the closing "Penelope Duggan"?
                conflicts.append(pending)
                reasons.append(f"the line under {pending!r} may be a closing line, not its value")
            pending, last_field, from_quote = None, pending, False
            continue
        if last_field in _WRAPPING and _wrapped_run(lines, i):
            # a long value hard-wrapped onto more lines, up to the next labeled line; a short
            # line there is prose ("Happy to sign!"), never part of a name or a country
            records[-1][last_field] = (records[-1].get(last_field, "") + " " + text.strip()).strip()
            continue
        pending, last_field = None, None
        prose.append(text)
        loose.append(i)
    # A line left unread inside the form (between its first and last field, or right under the
    # last one) may be an answer under a label the table does not know: an organizer looks.
    if form_lines:
        end = form_lines[-1]
        while end + 1 < len(lines) and lines[end + 1].own and lines[end + 1].text.strip():
            end += 1
        signer = _signer(records[0]) if records else set()
        closing = next((i for i in loose if i > form_lines[0] and (
            SIGN_OFF.match(lines[i].text.strip()) or not re.search(r"\w", lines[i].text)
            or _names_signer(lines[i].text, signer))), len(lines))
        # the signature block under the form ("José Luis Ramírez Tovar" / "Abogado - Colectivo ..."):
        # its lines are not labels
        unknown_at = [(i, u) for i, u in unknown_at if i < closing or i <= form_lines[-1]]
        for i in loose:
            text = lines[i].text.strip()
            if i >= closing:
                break  # "Viele Grüße", a "____" rule: the form is over
            if text.endswith("!") or SIGN_INTENT.search(labels.fold(text)):
                continue  # "Happy to sign!" between two fields
            inside = form_lines[0] < i < form_lines[-1]
            if inside or form_lines[-1] < i <= end and not _CLOSING.match(text):
                unread.append(text[:40])
            elif table_layout and i > form_lines[0] and i + 1 in loose and len(text.split()) <= 4 \
                    and not text.endswith((",", ".", "!", ":", ";")) and not SIGN_OFF.match(text):
                unread.append(text[:40])  # "Chi sono" then "Scrittrice": a label the table lacks
    first, last = (form_lines[0], form_lines[-1]) if form_lines else (0, -1)
    unread = [u for i, u in unknown_at if not form_only or first <= i <= last] + unread
    filled = [r for r in records if any(r.values())]
    signatories = len(filled)
    values = filled[0] if filled else records[0]
    return Labeled(values=values, labels_seen=seen, language=_vote_language(langs),
                   signatories=signatories, prose=tuple(prose), reasons=tuple(dict.fromkeys(reasons)),
                   conflicts=len(conflicts),
                   unread=tuple(dict.fromkeys(unread)))


def extract_inline(cleaned: CleanText) -> Labeled:
    """The form as answered inside the quoted appeal ("> Nome: Davide"): quoted lines read as own.

    Only for a reply that has no form of its own; the caller checks that the quote is the
    campaign's appeal, not a mail of the bot (a confirmation lists the fields it recorded).
    """
    lines = tuple(Line(ln.text, False, True) for ln in cleaned.lines)
    return extract_labeled(CleanText(own=cleaned.own, lines=lines, quote=""), form_only=True)


def blank_quoted_label(cleaned: CleanText) -> bool:
    """A quoted line that is a known label left blank ("> Organization (optional):")."""
    return any(ln.quoted and (parsed := split_labeled(ln.text)) and len(parsed) == 1 and not parsed[0][2]
               and parsed[0][0] != labels.IGNORED and ln.text.rstrip().endswith((":", "："))
               for ln in cleaned.lines)


_QUOTED = re.compile(r"[\"“”«„‹]\s*([^\"“”«»„‹›]{2,200}?)\s*[\"”“»›]|(https?://\S+|www\.\S+)")


def fields_in_prose(lines: Sequence[str]) -> dict[str, str]:
    """Fields named in a sentence with their value in quotes (or a web address): "Please change my
    presentation to "Charge nurse (retired)"", "come organizzazione mettete "Legambiente Sulcis"",
    "le site web est https://...". The label must come at most six words before its value."""
    out: dict[str, str] = {}
    for line in lines:
        for m in _QUOTED.finditer(line):
            before = re.findall(r"[\w'’-]+", line[:m.start()])[-8:]
            for k in range(len(before) - 1, -1, -1):  # the nearest label before the value
                hit = next((h for n in (3, 2, 1) if k + n <= len(before)
                            and (h := labels.lookup(" ".join(before[k:k + n])))
                            and h[0] not in (labels.IGNORED, labels.FULL_NAME)), None)
                if hit and len(before) - k <= 7:
                    value = (m.group(1) or m.group(2)).rstrip(".,;")
                    if value.endswith(")") and value.count(")") > value.count("("):
                        value = value[:-1]  # "https://x.org)": the sentence's bracket
                    if hit[0] != "website" or m.group(2) or re.search(r"\w\.\w", value):
                        out.setdefault(hit[0], value)
                    break
    return out
