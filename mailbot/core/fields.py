"""From raw extracted values to normalized `Fields`, the fields named, and a confidence.

Confidence starts at 1 and only goes down; each step down adds a reason a reviewer can read.
Free-form guesses never reach the auto-approval threshold.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from anyascii import anyascii

from mailbot.core import labels
from mailbot.core.labels import fold
from mailbot.core.model import Fields, SignerKind
from mailbot.core.normalize import (
    PARTICLES,
    PATRONYMIC,
    SOVIET_SURNAME,
    country_display,
    is_empty,
    normalize_country,
    normalize_name,
    normalize_website,
    split_full_name,
    strip_first_name_title,
    strip_title,
)

FREE_FORM_CAP = 0.6
_MARKUP = re.compile(r"<\s*/?\s*[a-z][^>]*>|javascript:|&#", re.I)
_BAD_NAME = re.compile(r"[\d@<>{}\[\]=/\\|_#$%^*+~]|https?:|www\.|\ufffd")


# An organization field answered with "none of any": independent, freelance, self-employed
_NO_ORGANIZATION = re.compile(r"independ\w*|unabhangig|indipendente|независим\w*|self-employed|freelance"
                              r"|freelancer|autonom[oa]|autonome|selbststandig|selbstandig|privat|private")


def _skeleton(word: str) -> str:
    """A word's consonants in Latin letters: "Дмитрий", "Dmitriy", "Dmitry" all give "dmtr"."""
    return re.sub(r"[aeiouyj']", "", anyascii(word).lower())


def _swapped(first: str, name: str) -> bool:
    """A surname in the first-name field: "Nombre: Hernández López" (a Spanish patronymic surname
    ends in -ez, no first name does, where -es is common: "Andrés", "Inês"), "Имя: Петренко"."""
    words = [w for w in re.findall(r"\w+", fold(first)) if w not in PARTICLES]
    if not name.split():
        return False
    if any(len(w) > 4 and w.endswith("ez") for w in words):
        return True
    # "Имя: Петренко / Фамилия: Ольга": a Soviet-style surname in the first-name field, not in the other
    return len(first.split()) == 1 and bool(SOVIET_SURNAME.search(first)) and not SOVIET_SURNAME.search(name)


def _looks_like_names(display: str) -> bool:
    """A display name made of names, not a login ("jcsantos.metal", "user_1987")."""
    return " " in display.strip() or not re.search(r"[._\d]", display)


def _display_reversed(first: str, name: str, sender_name: str) -> bool:
    """ "Nome: Bianchi / Cognome: Giulia" from "Giulia Bianchi". Not said of display names written
    surname first on purpose: a comma or capitals ("Dupont, Jean", "DUPONT Jean"), a particle first
    ("Van den Bossche Jean-Luc"), a short surname of East Asian style ("Lim Wei Ling", "Park Min-jun"),
    or a script other than Latin (Russian display names are often surname first)."""
    if "," in sender_name or any(w.isupper() and len(w) > 1 for w in sender_name.split()):
        return False
    if any(ch.isalpha() and "LATIN" not in unicodedata.name(ch, "") for ch in sender_name):
        return False
    shown = re.findall(r"\w+", fold(sender_name))
    firsts, names = re.findall(r"\w+", fold(first)), re.findall(r"\w+", fold(name))
    if not (shown and firsts and names) or shown[0] in PARTICLES or len(names[0]) <= 4:
        return False
    if names[0] not in shown or firsts[0] not in shown or names[0] == firsts[0]:
        return False
    return shown.index(firsts[0]) > shown.index(names[0])


def same_person(name: str, other: str) -> bool:
    """Do two spellings of a name share a word, also across scripts ("Дмитрий Волков", "Dmitry Volkov")?"""
    words = set(re.findall(r"\w+", fold(name)))
    others = set(re.findall(r"\w+", fold(other)))
    if not words or words & others:
        return True
    if {fold(anyascii(w)) for w in words} & {fold(anyascii(w)) for w in others}:
        return True  # "Ион Русу" and "Ion Rusu"
    mine = {_skeleton(w) for w in words if len(_skeleton(w)) >= 3}
    theirs = {_skeleton(w) for w in others if len(_skeleton(w)) >= 3}
    # "Ivanovs" for "Иванов": Latvian and Lithuanian add an ending
    return any(a == b or len(a) >= 3 and len(b) - len(a) == 1 and b.startswith(a)
               or len(b) >= 3 and len(a) - len(b) == 1 and a.startswith(b) for a in mine for b in theirs)


@dataclass(frozen=True)
class Built:
    fields: Fields
    named: frozenset[str]
    signer_kind: SignerKind
    confidence: float
    reasons: tuple[str, ...]
    # Read as an update of an existing signature, a reply need not be complete: the confidence and
    # the reasons without the completeness checks ("missing: country", "an organization signs").
    as_update: float = 1.0
    completeness_reasons: tuple[str, ...] = ()


class _Score:
    def __init__(self) -> None:
        self.value = 1.0
        self.reasons: list[str] = []
        self.complete = 1.0
        self.completeness_reasons: list[str] = []

    def incomplete(self, limit: float, reason: str) -> None:
        self.complete = min(self.complete, limit)
        self.completeness_reasons.append(reason)
        self.note(reason)

    def cap(self, limit: float, reason: str) -> None:
        self.value = min(self.value, limit)
        if reason and reason not in self.reasons:
            self.reasons.append(reason)

    def note(self, reason: str) -> None:
        if reason and reason not in self.reasons:
            self.reasons.append(reason)


def _text(value: str) -> str:
    value = unicodedata.normalize("NFC", value or "")
    value = "".join(ch for ch in value if not _invisible(ch))
    return "" if is_empty(value) else re.sub(r"\s+", " ", value).strip()


def _invisible(ch: str) -> bool:
    """Control and format characters (bidi overrides, zero-width joiners): never published."""
    return unicodedata.category(ch) in ("Cc", "Cf") and ch not in "\t\n\r"


def _mixed_script(word: str) -> bool:
    """A word mixing Latin, Cyrillic or Greek letters ("Jеan" with a Cyrillic е): a spoofing sign."""
    scripts = set()
    for ch in word:
        if ch.isalpha():
            name = unicodedata.name(ch, "")
            scripts.add(next((s for s in ("LATIN", "CYRILLIC", "GREEK") if name.startswith(s)), "OTHER"))
    return len(scripts & {"LATIN", "CYRILLIC", "GREEK"}) > 1


def _caps(word: str) -> bool:
    letters = [ch for ch in word if ch.isalpha()]
    return len(letters) > 1 and all(ch.isupper() for ch in letters)


def _surname_first(value: str, score: _Score) -> tuple[str, str]:
    """ "ФИО: Петров Иван Иванович", "DUPONT Jean": the surname comes first, the rest is the first name."""
    words = value.split()
    if len(words) < 2:
        return "", value
    if _caps(words[-1]) and not any(_caps(w) for w in words[:-1]):
        score.cap(0.85, "")
        return " ".join(words[:-1]), words[-1]  # "Jean DUPONT" under a surname-first label
    score.cap(0.6, f"name read surname first: {value!r}")
    return " ".join(words[1:]), words[0]


# Letters after a name: "Pemberton MP", "Restrepo SJ", "Ostermann MdB", "Dupont, PhD"
_POST_NOMINAL = re.compile(r",?\s+(?:MP|MEP|MdB|MdL|MdEP|MSP|MLA|MPP|TD|SJ|S\.J\.|OP|O\.P\.|OFM|OSB|SDB|CSsR"
                           r"|PhD|Ph\.D\.|MD|M\.D\.|QC|KC|OBE|MBE|CBE)\.?$")


def _untitled(value: str, score: _Score, first_name: bool = False, full_name: bool = False) -> str:
    if (m := _POST_NOMINAL.search(value)) and len(value[:m.start()].split()) >= 1:
        score.cap(0.7, f"{m.group(0).strip(' ,')!r} after the name left out: check")
        value = value[:m.start()]
    stripped = strip_first_name_title(value) if first_name else strip_title(value)
    if full_name and len((clerical := strip_first_name_title(stripped)).split()) >= 2:
        stripped = clerical  # "Father Thomas Mwangi", "Протоиерей Сергий Ковалевский"; not "Don Smith"
    if stripped != value:
        score.note(f"title {value[:len(value) - len(stripped)].strip()!r} left out of the name")
    return stripped


def _names(raw: Mapping[str, str], language: str, score: _Score,
           sender_name: str = "") -> tuple[str, str]:
    first, name, full = (_untitled(_text(raw.get(k, "")), score, first_name=k == "first_name",
                                   full_name=k == labels.FULL_NAME)
                         for k in ("first_name", "name", labels.FULL_NAME))
    reverse = _text(raw.get(labels.FULL_NAME_SURNAME_FIRST, ""))
    raw_first, raw_name = first, name
    source, inferred = "", False
    if reverse and not (first and name):
        first, name = _surname_first(reverse, score)
    elif full and not (first and name):
        source = full
    elif name and not first and len(name.split()) >= 2 and name.split()[0].lower() not in PARTICLES:
        source, name, inferred = name, "", True
        score.note("'name' holds a full name: split into first name and name")
    elif first and not name and len(first.split()) >= 2:
        source, first, inferred = first, "", True  # or two first names: a reviewer decides
        score.note("'first name' holds a full name: split into first name and name")
    if first and name and fold(name).startswith(fold(first) + " "):
        name = name[len(first):].strip()  # "First name: Jean / Name: Jean Dupont"
        score.note("first name repeated in 'name': removed")
    if first and name and fold(first).endswith(" " + fold(name)):
        first = first[:len(first) - len(name)].strip()  # "Nome: Carla Souza / Sobrenome: Souza"
        score.note("name repeated in 'first name': removed")
    if source:
        words = source.split()
        caps = next((i for i, w in enumerate(words) if not _caps(w)), len(words))
        if 0 < caps < len(words) and not any(_caps(w) for w in words[caps:]):
            # "DUPONT Jean", "MBARGA ATANGANA Paul-Henri": the surname in capitals comes first
            first, name = " ".join(words[caps:]), " ".join(words[:caps])
            score.cap(0.6, f"name read surname first: {source!r}")
        else:
            first, name, sure = split_full_name(source)
            if inferred and sure and not raw_first and fold(sender_name).split() == fold(source).split():
                # "Name: Kevin O'Neill" from "Kevin O'Neill": the order is confirmed (a first-name
                # field holding two words may hold two first names: "Paulo Henrique")
                inferred = False
            if inferred or not sure:
                score.cap(0.6, f"name split uncertain: {source!r}")
            else:
                score.cap(0.85, "")
    if re.search(r"\s(?:and|&|et|e|y|und|и|i|og|en)\s+\w|[,/+]", first) or "&" in first:  # "Marco, Silvia"
        score.cap(0.3, f"the first name {first!r} names several people: several signatories?")
    words = raw_first.split()
    if len(words) >= 2 and not raw_first.islower() and (
            re.fullmatch(r"[^\W\d_]{3,}\.", words[0]) or words[0].islower() and words[1][:1].isupper()):
        # "Pbro. Alfonso", "священник Николай": a word before the first name that may be a title
        score.cap(0.6, f"{words[0]!r} before the first name may be a title: check")
    if _caps(raw_first) and len(raw_first) > 2 and name and not _caps(name) and not _caps(raw_name):
        # "Prénom: MOREAU / Nom: Luc": the surname is the word written in capitals
        score.cap(0.6, f"the first name {raw_first!r} is in capitals, the name is not: swapped?")
    if patronymic := [w for w in first.split()[1:] if PATRONYMIC.match(w)]:
        # "Иван Петрович Сидоров" is published "Иван Сидоров", as international lists print names;
        # careful organizers differ, so one looks
        first = " ".join(w for w in first.split() if w not in patronymic)
        score.cap(0.6, f"the patronymic {' '.join(patronymic)!r} left out of the first name: check")
    elif any(PATRONYMIC.match(w) for w in name.split()[:-1]):
        score.cap(0.6, f"a patronymic in {first} {name!r}: check which words to publish")
    out = []
    for value, surname in ((first, False), (name, True)):
        fixed, changed = normalize_name(value, surname=surname, language=language)
        if changed:
            score.note(f"capitalisation of {value!r} repaired")
            words = fixed.split()
            if surname and len(words) > 1 and words[0].lower() in PARTICLES and words[0][:1].isupper():
                # "le goff" -> "Le Goff" by the form's language; but "de Gaulle", and "del Río" in Spain
                score.cap(0.7, f"capital of the particle in {fixed!r} guessed: check")
        if fixed and (_BAD_NAME.search(fixed) or len(fixed) > 60 or len(fixed.split()) > 5):
            score.cap(0.3, f"name does not look like a name: {fixed!r}")
        out.append(fixed)
    return out[0], out[1]


def build(raw: Mapping[str, str], *, language: str, campaign_language: str,
          country_names: Mapping[str, str], sender_name: str, free_form: bool,
          correction: bool = False) -> Built:
    """Normalize raw values; the confidence says how sure the reading is."""
    score = _Score()
    if any(_invisible(ch) for value in raw.values() for ch in value or ""):
        score.cap(0.5, "invisible or control characters removed")
    first, name = _names(raw, language, score, sender_name)
    if any(_mixed_script(word) for word in f"{first} {name}".split()):
        score.cap(0.3, "a name mixes alphabets (look-alike letters): check before publishing")
    country_raw = _text(raw.get("country", ""))
    country = normalize_country(country_raw)
    display = country_display(country.code, campaign_language, country_names) if country.code else country_raw
    if country_raw and not country.code:
        score.cap(0.5, country.reason)
    elif country.code and not country.exact:
        score.cap(0.85 if country.place else 0.7, country.reason)
    website, why = normalize_website(raw.get("website", ""))
    if why:
        score.note(why)
        if not website:
            score.cap(0.7, "")
    presentation, organization = _text(raw.get("presentation", "")), _text(raw.get("organization", ""))
    if _NO_ORGANIZATION.fullmatch(fold(organization).strip("()[] .")):
        score.note(f"organization {organization!r} read as none")
        organization = ""  # "(independent)", "freelance": no organization to print
    for label, value in (("presentation", presentation), ("organization", organization)):
        letters = [ch for ch in value if ch.isalpha()]
        long_words = sum(len(re.sub(r"\W", "", w)) >= 6 for w in value.split())
        if len(letters) >= 5 and all(ch.isupper() for ch in letters) and \
                (label == "presentation" or long_words >= 2):
            # "AGRICULTEUR BIO": re-casing could break an acronym ("presidente do STR"); an
            # organization of acronyms ("FLC CGIL", "AFL-CIO") is printed as written
            score.cap(0.7, f"{label} written in capitals: check how it should be printed")
    for label, value in (("presentation", presentation), ("organization", organization),
                         ("name", f"{first} {name}"), ("country", country_raw)):
        if _MARKUP.search(value):
            score.cap(0.3, f"markup in {label}: check before publishing")
        if len(value) > 300:
            score.cap(0.6, f"{label} is unusually long")
    fields = Fields(first, name, display, country.code, presentation, organization, website)
    named = frozenset(k for k in ("first_name", "name", "country", "presentation", "organization")
                      if getattr(fields, k)) | ({"website"} if website else set())
    kind = SignerKind.person
    if organization and not first and not name and not correction:
        kind = SignerKind.organization
        score.incomplete(0.75, "an organization signs (no person named)")
    if not correction:
        missing = [k for k, v in (("first name", first), ("name", name), ("country", country_raw))
                   if not v and kind is SignerKind.person]
        if kind is SignerKind.organization and not country_raw:
            missing = ["country"]
        if missing:
            score.incomplete(0.5, "missing: " + ", ".join(missing))
        if sender_name and (first or name) and "@" not in sender_name and _looks_like_names(sender_name) and \
                not same_person(f"{first} {name}", sender_name):
            score.cap(0.7, f"name differs from the sender's name {sender_name!r}")
        if first and name and _swapped(first, name):
            score.cap(0.6, f"the first name {first!r} looks like a surname: first name and name swapped?")
        elif first and name and sender_name and _display_reversed(first, name, sender_name):
            score.cap(0.6, f"first name and name in the other order in the sender's name {sender_name!r}: "
                           "swapped?")
    if free_form:
        score.cap(FREE_FORM_CAP, "name and country guessed from free text")
    return Built(fields, named, kind, round(min(score.value, score.complete), 2), tuple(score.reasons),
                 as_update=round(score.value, 2), completeness_reasons=tuple(score.completeness_reasons))
