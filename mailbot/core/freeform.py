"""Free-form replies: "I sign: Jean Dupont, professor, University of Lyon, France".

Finds the statement that carries the signature (after a signing phrase, or a line naming a
person and a country, or a name block at the end), then reads a person's name, a country and
the rest as presentation. Everything here is a guess: the caller keeps the result pending.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from anyascii import anyascii

from mailbot.core import countries
from mailbot.core.labels import fold
from mailbot.core.normalize import strip_title
from mailbot.core.phrases import NAME_INTRO, SIGN_INTENT, SIGN_OFF, language_of
from mailbot.core.places import city_country, country_of_places, place_countries

_NAME_WORD = re.compile(r"^(?:[^\W\d_][^\W\d_'’.-]*(?:[-'’][^\W\d_]+)*\.?)$")
_PARTICLES = {"de", "del", "della", "di", "da", "das", "do", "dos", "du", "van", "von", "der",
              "den", "la", "le", "y", "e", "i", "bin", "ibn", "al", "el", "ter", "ten", "zu"}
_NOT_NAMES = {"i", "we", "je", "yo", "eu", "ich", "я", "io", "please", "dear", "hello", "hi",
              "bonjour", "hola", "olá", "ola", "hallo", "привет", "ciao", "thanks", "merci", "the",
              "appeal", "solidarity", "signature", "professor", "dr", "prof", "guten", "good", "buenos",
              "buenas", "bom", "boa", "buon", "buona", "добрый", "доброе", "здравствуите", "liebe", "lieber",
              "querido", "querida", "caro", "cara", "cher", "chere", "estimado", "estimada", "prezados",
              "senores", "senoras", "estimados", "liebi", "gruess", "grusse", "atte", "cordialita", "cdlt",
              "slds", "abs", "bjs", "bss", "besos", "beijos", "salut", "cheers"}


@dataclass(frozen=True)
class FreeForm:
    full_name: str = ""
    country: str = ""  # the country as written
    presentation: str = ""
    signatories: int = 0
    has_intent: bool = False
    language: str = ""
    reasons: tuple[str, ...] = ()
    organization: str = ""
    guessed_code: str = ""  # the country guessed from a place or a word for its people, as a code
    own_name: bool = False  # a reply of the sender's own name and a few words, without a signing phrase


def _country(text: str) -> str | None:
    if re.fullmatch(r"[A-Z]{2}", text.strip()) and text.strip() not in ("UK", "US"):
        return None  # "Belo Horizonte - MG": a state, not Madagascar
    return countries.lookup(text, common=True) or countries.lookup_inflected(text, common=True)


_AT_PLACE = re.compile(r"(?:(?:^|\s)(?:in|at|near|from|à|a|au|en|em|no|na|de|da|do|di|du|del|dal|della|nel"
                       r"|nella|bei|aus|in der|из|в|во|под)\s+|(?:^|\s)d['’])"
                       r"((?:[A-ZÀ-ÝА-ЯЁ][\w'’.-]+)(?:\s+[A-ZÀ-ÝА-ЯЁ][\w'’.-]+){0,2})")


_REGION_CODE = re.compile(r"([A-ZÀ-Ý][\w'’.-]+(?:\s+[A-ZÀ-Ý][\w'’.-]+){0,2})\s*\(([A-Z]{2,3})\)")


def _all_places(parts: list[str], lines: list[str], tail: list[str], person: str = "") -> list[str]:
    """Every place a reply may name: in each part, and a city with its region's code in brackets
    ("Viçosa (MG)"), which splitting into parts separates; not the words of the person's name
    ("soy Inés": Inês is a town in Brazil)."""
    out = [place for p in parts for place in _places(p)]
    out += [f"{m[1]} {m[2]}" for ln in [*lines, *tail] if ln for m in _REGION_CODE.finditer(ln)]
    theirs = set(_folded(person))
    return [p for p in out if not set(_folded(p)) <= theirs
            and not SIGN_OFF.match(p) and fold(p) not in _GREETINGS]  # "¡Salud!" is not Salud, Cuba


def _places(part: str) -> list[str]:
    """Where a city may stand in a part: the whole part ("Москва", "21073 Hamburg") or after a
    preposition ("infirmière à Grenoble", "живу в Москве"), longest first."""
    out = [part, *(p.strip() for p in re.split(r"/|\s[-–—]\s", part) if p.strip() != part)]
    for m in _AT_PLACE.finditer(part):
        words = m.group(1).rstrip(".").split()
        out += [" ".join(words[:k]) for k in range(len(words), 0, -1)]
    return out


def _people_words(text: str) -> list[str]:
    """Words that may name a country's people ("marocaine", "Ukrainerin"): six letters or more, and
    not a capitalised word beside another, which is a person's name ("Martina Köhler", "Maurer-Kovač")."""
    words = re.findall(r"[^\W\d_]+", text)
    caps = [w[:1].isupper() for w in words]
    return [w for i, w in enumerate(words) if len(w) >= 6
            and not (caps[i] and ((i and caps[i - 1]) or (i + 1 < len(words) and caps[i + 1])))]


def looks_like_name(text: str) -> bool:
    """Two to five capitalised words (particles allowed), no digits: "Juan del Caño"."""
    words = text.split()
    if not 2 <= len(words) <= 5 or len(text) > 60:
        return False
    if fold(words[0]) in _NOT_NAMES:
        return False
    for word in words:
        if word.lower() in _PARTICLES:
            continue
        if not _NAME_WORD.match(word) or not word[:1].isupper():
            return False
    return words[-1].lower() not in _PARTICLES and words[0] not in _PARTICLES  # not "de Valencia"


def _parts(segment: str) -> list[str]:
    pieces = re.split(r"[,;:()\[\]]|\s[-–—]\s|(?<=[^\s.][^\s.])\.(?:\s+|$)|\s*[!¡]+(?:\s+|$)|\n", segment)
    out = []
    for piece in pieces:
        piece = piece.strip(" \t:\"'«»“”!")
        if piece.endswith(".") and not re.search(r"(\b\w\.){2,}$", piece):
            piece = piece[:-1].strip()
        if m := NAME_INTRO.match(fold(piece)):  # "My name is Jean Dupont", "ich heiße Oksana Melnyk"
            piece = " ".join(piece.split()[len(m.group(0).split()):])  # by words: "ß" folds to "ss"
        piece = strip_title(piece)  # "dott.ssa Teresa Vitale"
        signing = SIGN_INTENT.search(fold(piece)) and len(piece.split()) <= 5  # "and I sign"
        if piece and not SIGN_OFF.match(piece) and not signing:
            out.append(piece)
    return out


def _segment(lines: list[str]) -> tuple[str, bool]:
    """The text that carries the signature and whether a signing phrase introduced it."""
    segment, intent = _segment_in(lines)
    if not intent:  # a phrase hard-wrapped over two lines: "und unterstütze / euren Aufruf."
        paragraphs = [" ".join(p.split("\n")) for p in "\n".join(lines).split("\n\n") if p.strip()]
        if len(paragraphs) < len([ln for ln in lines if ln.strip()]):
            found, intent2 = _segment_in(paragraphs)
            if intent2:
                return found, True
    return segment, intent


def _segment_in(lines: list[str]) -> tuple[str, bool]:
    for i, line in enumerate(lines):
        m = SIGN_INTENT.search(fold(line))
        if not m:
            continue
        after = line.split(":", 1)[1].strip() if ":" in line[m.start():] else ""
        if after:
            return after, True
        word = re.compile(r"\w*").match(fold(line), m.end())  # to the word's end: "подписыва|юсь"
        end = word.end() if word else m.end()
        tail = line[end:].lstrip(" .!,;-–—")  # "Assino. María José García, Espanha."
        if any(looks_like_name(p) for p in _parts(tail)) or _lone_first_name(tail.strip(" .!")):
            return tail, True  # "Подписываю. Светлана"
        block: list[str] = []
        for nxt in lines[i + 1:]:
            if not nxt.strip():
                if block:
                    break
                continue
            block.append(nxt)
        if block and (any(_country(p) or looks_like_name(p) for p in _parts("\n".join(block)))
                      or _lone_first_name(block[0].strip(" .!,"))):  # "Je signe." / "Jacques" / "(Liège)"
            return "\n".join(block), True
        # "My name is Jean Dupont, teacher in France, and I sign.": the phrase ends the line
        if any(looks_like_name(p) for p in _parts(line)):
            return line, True
        found, _ = _name_and_place(lines)  # "Laura Mensah" / "Canada" above "Full solidarity"
        return found, True
    return _name_and_place(lines)


def _name_and_place(lines: list[str]) -> tuple[str, bool]:
    """Without a signing phrase: a line with a person's name and a country or city, or a short block."""
    for line in lines:  # no signing phrase: a line with a person's name and a country (or city)
        if re.search(r"\d", line):
            continue  # "Bremer Str. 3, 21073 Hamburg": an address, not a name
        parts = _parts(line)
        if any(_country(p) or city_country(p) for p in parts) and any(looks_like_name(p) for p in parts):
            return line, False
    short: list[str] = []
    for line in [*lines, ""]:  # or a short block: "Laura Mensah" / "Canada" / "Full solidarity"
        if line.strip():
            short.append(line)
            continue
        if 2 <= len(short) <= 5:
            first = _parts(short[0])
            if any(_country(p) or city_country(p) for b in short for p in _parts(b)) and first and \
                    looks_like_name(first[0]):  # "Laura Mensah" / "Canada", "Ursula Meier-Imhof" / "Bern"
                return "\n".join(short), False
        short = []
    return "", False


_CONTACT = re.compile(r"@|https?:|www\.|\+?\(?\d[\d ()./-]{6,}\d|^(?:tel|tél|fax|mob|phone|t|m|f)\b\.?", re.I)
_ORGANIZATION = re.compile(r"universi|instit|union|sindicat|syndicat|gewerkschaft|verband|verein|associa"
                           r"|fundaci|foundation|stiftung|comit|committee|depart|facult|ministr|council"
                           r"|école|ecole|escola|escuela|scuola|schule|hospital|ospedale|hôpital|centr"
                           r"|союз|университет|институт|ассоциац|фонд|e\.v\.|ltd|gmbh|s\.a\.|llp|inc\b", re.I)


_TWO_PEOPLE = re.compile(r"^(\S.*?)\s+(?:y|e|and|et|und|и|i|&)\s+([A-ZÀ-ÝА-ЯЁ]\S*(?:\s+\S+){0,3})$")


def _folded(text: str) -> list[str]:
    """The words of `text` as names are compared across scripts: "Болат" and "Bolat" are "bolat"."""
    return [fold(anyascii(w)) for w in text.split()]


def _spellings(word: str) -> set[str]:
    """A word as it may be typed without its letters: "Jürgen" as "jurgen" or "juergen"."""
    german = word.replace("ü", "ue").replace("ö", "oe").replace("ä", "ae").replace("ß", "ss")
    return {fold(anyascii(word)), fold(german)}


def _catalan_surnames(m: re.Match[str]) -> bool:
    """ "Jordi Vilanova i Puig": two surnames joined by "i", not two people."""
    return " i " in m.group(0) and len(m.group(2).split()) == 1 and len(m.group(1).split()) >= 2


def _lone_first_name(text: str) -> bool:
    """One capitalised word that may be a first name: not a greeting, a closing, a place or a country."""
    return len(text.split()) == 1 and bool(_NAME_WORD.match(text)) and text[:1].isupper() and \
        len(text) >= 3 and fold(text) not in _NOT_NAMES and fold(text) not in _GREETINGS and \
        not SIGN_OFF.match(text) and not _country(text) and not place_countries(text)


def _register_order(surname: str, given: str, sender_name: str) -> bool:
    """Are two parts a surname and its given names: the surname in capitals, or each sharing a word
    with the sender's name ("Nakamura" / "Eduardo Hideki" from "Eduardo Nakamura")?"""
    a, b = surname.split(), given.split()
    if not (1 <= len(a) <= 3 and 1 <= len(b) <= 3) or any(w.lower() in _PARTICLES for w in a[:1] + b[:1]):
        return False
    if not all(_NAME_WORD.match(w) and w[:1].isupper() for w in a + b) or _country(surname) or \
            _country(given) or strip_title(f"{surname} {given}") != f"{surname} {given}" or \
            re.fullmatch(r"(?:rev|revd|dr|prof|fr|pr|mr|mrs|ms|sr|sra|me|mme|dott|avv|ing|lic|hon)\.?",
                         fold(surname)):
        return False  # "Dr, Priya Raman", "Rev., Samuel Adeyemi": a title, not a surname
    theirs = set(_folded(sender_name))
    mine = {v for w in a for v in _spellings(w)}, {v for w in b for v in _spellings(w)}
    caps = surname.isupper() and len(surname) >= 3 and not given.isupper()
    return caps and bool(mine[1] & theirs or not theirs) or bool(mine[0] & theirs and mine[1] & theirs)


def _first_of_two(m: re.Match[str]) -> str:
    """The first of two people: "Pedro Alcántara y Lucía Ramos", "Marie et Pierre Lenoir" (held);
    a Russian surname in the plural made singular for them ("Татьяна и Михаил Лебедевы": Лебедева)."""
    first, other = m.group(1), m.group(2)
    if len(first.split()) > 1:
        return first
    surname = other.split()[-1]
    if re.fullmatch(r"[А-ЯЁ][а-яё]+(?:ов|ев|ёв|ин|ын)ы", surname):
        surname = surname[:-1] + ("а" if first[-1:] in "ая" else "")
    return f"{first} {surname}"


def _signature_block(lines: list[str], tail: list[str]) -> tuple[str, str, str, str] | None:
    """(name, presentation, organization, country as written) from the block under a closing
    ("Atentamente," then "Dr. Xavier Oller Solé" / "Catedrático ..." / "Universitat de València" /
    "Avda. ... 46022 València (España)"), or from a cut "-- " signature; None when its first line
    is not a name."""
    seq = [ln.strip() for ln in [*lines, *tail]]
    start = next((i + 1 for i, ln in enumerate(seq) if SIGN_OFF.match(ln) and len(ln) < 40), None)
    if start is None:
        start = len(lines) if tail else None
    if start is None:
        return None
    block = [ln for ln in seq[start:start + 9] if ln and re.search(r"\w", ln)]  # no "--" or "____"
    if not block or not looks_like_name(name := strip_title(block[0].strip(" ,"))):
        return None
    rest = [ln for ln in block[1:] if not _CONTACT.search(ln)]
    country = next((p for ln in reversed(rest) for p in reversed(_parts(ln)) if _country(p)), "")
    plain = [ln for ln in rest if not re.search(r"\d", ln) and not (country and country in ln)]
    organization = next((ln for ln in plain[1:] if _ORGANIZATION.search(ln)), "")
    if not organization and plain and _ORGANIZATION.search(plain[0]) and len(plain) == 1:
        return name, "", plain[0], country
    return name, plain[0] if plain else "", organization, country


_GREETINGS = {"oi", "ola", "hola", "hello", "hi", "hey", "bonjour", "bonsoir", "salut", "hallo", "moin",
              "servus", "ciao", "salve", "buongiorno", "buonasera", "привет", "здравствуите", "добрыи",
              "dear", "cher", "chere", "chers", "caro", "cara", "cari", "care", "caros", "querido", "querida",
              "queridos",
              "estimado", "estimada", "estimados", "liebe", "lieber", "prezados", "buenos", "buenas", "bom",
              "boa", "guten", "good", "уважаемые", "коллеги", "companheiros", "companeros", "compagni",
              "salud", "saude", "salute", "cheers"}


def spelled_in(text: str, name: str) -> str:
    """`name` as `text` spells it ("Dennis Wójcik" for the display name "Dennis Wojcik"), else `name`."""
    words = re.findall(r"[^\W\d_][\w'’-]*", text)
    n, want = len(name.split()), fold(anyascii(name))
    return next((" ".join(words[i:i + n]) for i in range(len(words) - n + 1)
                 if fold(anyascii(" ".join(words[i:i + n]))) == want), name)


def own_words(lines: list[str]) -> list[str]:
    """The lines of a reply without greetings and closings."""
    out = []
    for line in (ln.strip() for ln in lines):
        words = fold(line).replace(",", " ").replace("!", " ").split()
        if not words or (len(words) <= 4 and (SIGN_OFF.match(line) or words[0] in _GREETINGS)):
            continue
        out.append(line)
    return out


def is_own_name(text: str, sender_name: str, sender: str) -> bool:
    """Is `text` the sender's name: the words of the display name ("Claudia Ferrante"), in any
    script ("Болат" from "Bolat"), or one first name that the display name or the address begins
    with ("Jacques" from jacques.liege@...)?"""
    words, theirs = _folded(text), _folded(sender_name)
    if len(words) > 1:
        return looks_like_name(text) and bool(theirs) and set(words) <= set(theirs)
    if not _NAME_WORD.match(text) or not text[:1].isupper() or len(words[0]) < 3 or \
            fold(text) in _NOT_NAMES or _country(text) or city_country(text):
        return False
    local = fold(sender.partition("@")[0])
    starts = re.match(rf"{re.escape(words[0])}(?:[._-]|\d|$)", local)  # "jacques.liege@", "lena.h@"
    return bool(theirs and words[0] == theirs[0]) or bool(starts)


def _own_name_block(lines: list[str], sender_name: str, sender: str) -> str:
    """A reply that is the sender's own name and a few short words, without a signing phrase:
    "Claudia Ferrante / assistente sociale", "Wagner Lopes / brasileiro, estudante"."""
    own = own_words(lines)
    if not own or len(own) > 4 or any("?" in ln or len(ln.split()) > 10 for ln in own):
        return ""
    for i, line in enumerate(own):
        first = _parts(line)[:2]
        if len(first) == 2 and _register_order(first[0], first[1], sender_name):
            return "\n".join(own[i:])  # "Müller, Andreas - Lokführer - Dresden"
        first = first[:1]
        if first and is_own_name(first[0], sender_name, sender) and \
                (len(first[0].split()) > 1 or any(_parts(ln)[1:] for ln in own[i:]) or own[i + 1:]):
            return "\n".join(own[i:])
    return ""


def extract_free(lines: list[str], sender_name: str, tail: list[str] | None = None, sender: str = "",
                 subject: str = "") -> FreeForm:
    """Guess name, country and presentation from prose lines; never raises. The subject's language
    stands in for a reply too short to tell ("Re: Liberen a los periodistas")."""
    segment, intent = _segment([ln for ln in lines if ln is not None])
    language = language_of("\n".join(lines)) or language_of(subject)
    own_name = False
    if not segment and not intent and (segment := _own_name_block(lines, sender_name, sender)):
        own_name = True
    if not segment and not intent:
        return FreeForm(has_intent=intent, language=language)
    parts = _parts(segment)
    @functools.cache
    def everywhere() -> list[str]:  # where a country may also stand: every own line, and the
        return [p for ln in [*lines, *(tail or [])] if ln for p in _parts(ln)]  # cut signature block

    reasons: list[str] = []
    guessed = ""
    couples = {p: _first_of_two(m) for p in parts
               if (m := _TWO_PEOPLE.match(p)) and looks_like_name(m.group(2)) and not _catalan_surnames(m)
               and (looks_like_name(m.group(1)) or _NAME_WORD.match(m.group(1)) and m.group(1)[:1].isupper())}
    names = [couples.get(p, p) for p in parts if (p in couples or looks_like_name(p)) and not _country(p)
             and not (place_countries(p) and fold(p) != fold(sender_name))]  # not "San José"
    full_guess = " ".join(names[:1])  # its words are not places
    found = [(p, c) for p in parts if (c := _country(p))]
    if not found and intent:  # "Je signe. ... Mali": a country on a line of its own elsewhere
        found = [(p, c) for p in everywhere() if (c := _country(p))]
    if not found:  # "teacher in France": a country closing a part, read as a guess
        for part in parts or everywhere():
            if place_countries(part):
                continue  # "British Columbia" is not Colombia ("Columbia" in Romanian)
            words = part.split()
            for k in (3, 2, 1):
                if len(words) > k and (c := _country(" ".join(words[-k:]))):
                    found = [(" ".join(words[-k:]), c)]
                    reasons.append(f"country {' '.join(words[-k:])!r} read inside {part!r}")
                    break
            if found:
                break
    if not found and intent:  # "enseignant à Bamako au Mali et je signe": a country inside a sentence
        # not in a person's name ("Montserrat Vilaró i Puig"), not a short word ("Man darf nicht ...")
        grams = {(g, c) for p in everywhere() if not place_countries(p) and not looks_like_name(p)
                 for w in [p.split()] for k in (1, 2, 3) for i in range(len(w) - k + 1)
                 if len(g := " ".join(w[i:i + k])) >= 4 and (c := _country(g))}
        if len({c for _, c in grams}) == 1:
            found = [max(sorted(grams), key=lambda g: len(g[0]))]  # sorted: the same every run
            reasons.append(f"country {found[0][0]!r} read inside a sentence")
    if not found:  # "Kossi Agbeko, togolais, étudiant": a word for the country's people
        where = [*everywhere(), *(ln for ln in [*lines, *(tail or [])] if ln)]  # signing lines too
        peoples = {(w, c) for p in where if not looks_like_name(p)
                   for w in _people_words(p) if (c := countries.demonym(w))}
        if len({c for _, c in peoples}) == 1:
            found = [min(sorted(peoples))]
            guessed = found[0][1]
            reasons.append(f"country guessed from the word {found[0][0]!r}")
    if not found:  # "infirmière à Grenoble", "Москва" under the name: the place's country, a guess
        where = [*everywhere(), *(ln.strip() for ln in lines if ln and SIGN_OFF.match(ln.strip()))]
        person = f"{sender_name} {full_guess}"  # its words are no places ("soy Inés", "Tom Fletcher")
        if place := country_of_places(_all_places(where, lines, tail or [], person), language):
            found = [place]
        else:  # a city closing a line: "Universität Leipzig", "Containerterminal Bremerhaven"
            theirs = set(_folded(person))
            ends = {(w, c) for p in where if len(p.split()) >= 2 and (w := p.split()[-1])[:1].isupper()
                    and fold(anyascii(w)) not in theirs and (c := city_country(w))}
            if len({c for _, c in ends}) == 1:
                found = [min(sorted(ends))]
        if found:
            guessed = found[0][1]
            reasons.append(f"country guessed from the place {found[0][0]!r}")
    codes = {c for _, c in found}
    full = ""
    # "Nakamura, Eduardo Hideki", "RODRÍGUEZ PEÑA, Martín": a name as in a register, surname first
    register = next((f"{a}, {b}" for a, b in zip(parts, parts[1:], strict=False)
                     if _register_order(a, b, sender_name)), "")
    if register:
        full = register
        reasons.append(f"name written surname first: {register!r}")
    elif sender_name and any(fold(n) == fold(sender_name) for n in names):
        full = next(n for n in names if fold(n) == fold(sender_name))
    elif names:
        full = names[0]
        if sender_name and not set(fold(full).split()) & set(fold(sender_name).split()):
            reasons.append(f"name {full!r} differs from the sender's name {sender_name!r}")
    elif one := next((p for p in parts if len(p.split()) == 1 and is_own_name(p, sender_name, sender)), ""):
        full = one  # "Zacarias / Moçambique / mineiro", "Je signe. / Jacques / (Liège)": a first name alone
        reasons.append(f"only a first name, {one!r}, as the sender's")
    elif intent and parts and _lone_first_name(parts[0]):
        full = parts[0]  # "Подписываю. Светлана": a first name right after the signing words
        reasons.append(f"only a first name, {full!r}")
    if full and len(full.split()) == 1:
        # "Bernard" under "je m'appelle Bernard Petit": the whole name written in the reply
        whole = [n for n in everywhere() if looks_like_name(n) and fold(n.split()[0]) == fold(full)]
        if whole:
            full = whole[0]
            reasons = [r for r in reasons if not r.startswith("only a first name")]
    if full.isupper() and len(full.split()) == 2 and _folded(full)[::-1] == _folded(sender_name):
        full = " ".join(reversed(full.split()))  # "ROSSI MARIO" from Mario Rossi: the surname came first
        reasons.append("name in capitals written surname first, as the sender's name shows")
    if re.match(r"^(?:[^\W\d_]\.-?)+\s+\S", full):  # "H. Marchand" under "Je m'appelle Hélène Marchand"
        written = [p for p in everywhere() if looks_like_name(p) and not re.match(r"^[^\W\d_]\.", p)
                   and fold(p.split()[-1]) == fold(full.split()[-1]) and fold(p)[:1] == fold(full)[:1]]
        full = written[0] if written else full
    country = found[-1][0] if found else ""
    signatories = 2 if full in couples.values() else 1 if full else 0
    if (m := _TWO_PEOPLE.match(full)) and not _catalan_surnames(m):
        full, signatories = _first_of_two(m), 2
    if len(names) > 1 and len(codes) > 1:
        signatories = len(names)
    rest = [p for p in parts if p != full and p != country and p not in {f for f, _ in found}
            and not (register and p in register.split(", "))]
    presentation = ", ".join(rest)
    organization = ""
    if intent and not full and (block := _signature_block(lines, tail or [])):
        # "I sign." then a closing and a signature block: the block says who signs
        full, presentation, organization, block_country = block
        if block_country:  # a country named in the block beats a guess from a city or a word
            country, codes, guessed = block_country, {_country(block_country) or ""}, ""
        elif not found and (near := country_of_places(_all_places(
                [ln.strip() for ln in [*lines, *(tail or [])] if ln], [], [], f"{sender_name} {full}"),
                language)):
            country, codes, guessed = near[0], {near[1]}, near[1]  # "Viele Grüße aus Graz" above the block
            reasons.append(f"country guessed from the place {near[0]!r}")
        reasons.append("name read from the signature block")
        signatories = 1
    if len(codes) > 1:
        reasons.append(f"several countries named: {', '.join(sorted(codes))}")
    if own_name:
        reasons.append("only the sender's own name and a few words, without a signing phrase")
    return FreeForm(full, country, presentation, signatories, intent, language, tuple(reasons), organization,
                    guessed, own_name)
