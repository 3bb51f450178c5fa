"""Field values as published: country codes and display names, person names, websites.

Websites: only http(s) is accepted. A bare host such as "www.letusrise.ie" is accepted as
"https://www.letusrise.ie" (a reason records the assumption); any other scheme, an e-mail
address or text that is not a host is dropped with a reason.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from mailbot.core import countries, places
from mailbot.core.labels import EMPTY_VALUES, fold

# Lower-case name particles, longest first, kept lower case when a name's case is repaired.
PARTICLES = ("van der", "van den", "van de", "von der", "de la", "de las", "de los", "de l'",
             "van", "von", "der", "den", "de", "del", "della", "degli", "di", "da", "das", "do",
             "dos", "du", "des", "la", "le", "y", "e", "i", "ter", "ten", "zu", "af", "av",
             "bin", "ibn", "al", "el")


@dataclass(frozen=True)
class Country:
    code: str | None
    reason: str = ""  # set when the code is a guess or missing
    exact: bool = False
    place: bool = False  # "Lyon, France", "Svizzera (Ticino)": a country beside a city or region


def country_display(code: str, language: str, overrides: Mapping[str, str]) -> str:
    """The name a campaign prints for a country code, overrides first ("ES" -> "Spanish State")."""
    return countries.display(code, language, dict(overrides))


_EMPTY = frozenset(v.strip(" .") for v in EMPTY_VALUES) | EMPTY_VALUES


def is_empty(value: str) -> bool:
    """A field left empty in words: "-", "n/a", "k.A.", "keine", "нет", "geen"."""
    return not value.strip() or fold(value).strip(" .()[]") in _EMPTY or fold(value) in _EMPTY


def normalize_country(value: str) -> Country:
    """Recognize a country as typed; a guess from a part of the text says so in its reason."""
    text = unicodedata.normalize("NFC", value).strip()
    if not text:
        return Country(None)
    code = countries.lookup(text)
    if code:
        return Country(code, exact=True)
    if code := countries.lookup_inflected(text):
        return Country(code, f"country read from {text!r} (an inflected form) as {code}")
    parts = [p for p in re.split(r"[,;/()\[\]|]|\s[-–—]\s", text) if p.strip()]
    hits = {c for p in parts if (c := countries.lookup(p))}
    if len(hits) == 1 and len(parts) > 1:
        found = hits.pop()
        others = [p for p in parts if not countries.lookup(p)]
        place = len(parts) <= 3 and all(len(p.split()) <= 3 and not re.search(r"\d", p) for p in others)
        return Country(found, f"country read from {text!r} as {found}", place=place)
    if len(hits) > 1:
        return Country(None, f"several countries in {text!r}")
    cities = {c for p in [text, *parts] if (c := places.city_country(p))}
    if len(cities) == 1:  # "Hamburg": a guess for the reviewer, never approved as it stands
        found = cities.pop()
        return Country(found, f"no country given; {found} guessed from the city in {text!r}")
    if code := countries.demonym(text):  # "togolais", "Ukrainerin"
        return Country(code, f"no country given; {code} guessed from {text!r}")
    return Country(None, f"country not recognized: {text!r}")


# Titles written before a name: left out of it ("Dr. Anna" is Anna). The short ones that could be
# a name need their dot.
_TITLE = re.compile(r"^(?:(?:dr|dra|prof|profa|pr|mr|mrs|ms|mme|mlle|dott|dott\.?ssa|dr\.?ssa|prof\.?ssa"
                    r"|herr|frau|sir|dame)\.?|(?:doutor|doutora|doctor|doctora|docteur|dottore|dottoressa|doktor"
                    r"|professor|professora|professeur|profesor|profesora|professore|professoressa|maître|maitre"
                    r"|ingeniero|ingeniera|licenciado|licenciada|avvocato|avvocatessa"
                    r"|(?:me|don|dom|padre|fra|fray|suor|dona|doña|frei|pater|отец|p\.|pe\.)(?=\s+\S+\s+\S))(?=\s)"
                    r"|(?:m|sr|sra|srta|ing|mag|avv|rev|fr|lic|lcdo|lcda|arq|mtro"
                    r"|mtra|mgr|dipl\.-ing|univ\.-prof|prof\.ª|д-р|проф)\.)\s+", re.I)


# What follows "Dr." in German and Austrian degrees: "Dr. med.", "Dr. rer. nat.", "Dr. phil. habil."
_DEGREE = re.compile(r"^(?:med|phil|rer|nat|jur|iur|dent|vet|habil|h\.\s?c|mult|oec|pol|theol|sc|techn)\.\s+",
                     re.I)


# Before a first name in its own field, a clerical or honorific word needs no dot: "don Ciro",
# "о. Георгий", "Padre Júlio", "Suor Anna"
_FIRST_NAME_TITLE = re.compile(r"^(?:don|dom|padre|pe\.|fra|frei|suor|sor|pater|о\.|отец|иерей|мать|dott"
                               r"|dr\.?-ing\.|dipl\.-ing\.|mag\.|ing\.|pbro\.|pbra\.|presbítero|father|fr\."
                               r"|reverend|rev\.|pastor|pastora|imam|rabbi|священник|протоиерей|диакон|игумен"
                               r"|матушка|sœur|soeur|frère|frere|fray|hno\.|hna\.|brother|sister|иеромонах"
                               r"|père|pere|mère|mere|abbé|abbe|irmã|irma|irmão|irmao|madre|hermana|hermano"
                               r"|schwester|bruder|pfarrer|pfarrerin|rt\.? hon\.?|the hon\.?|hon\.|monseñor"
                               r"|monsenor|mons\.|mgr|doña|dona|on\.|onorevole|sen\.|senador|senadora"
                               r"|dep\.|diputado|diputada|deputado|deputada)\s+",
                               re.I)


def strip_first_name_title(value: str) -> str:
    """ "don Ciro" -> "Ciro", "Dr.-Ing. Thomas" -> "Thomas", in a first-name field; a lone word is kept."""
    value = strip_title(value)
    while (m := _FIRST_NAME_TITLE.match(value)) and len(value.split()) > 1:
        value = strip_title(value[m.end():])
    return value


def strip_title(value: str) -> str:
    """"Dr. Anna" -> "Anna", "Prof. Dr. Klaus Weber" -> "Klaus Weber"; a lone word is kept."""
    while (m := _TITLE.match(value) or _DEGREE.match(value)) and len(value.split()) > 1:
        value = value[m.end():]
    return value


def _fix_word(word: str, first: bool) -> str:
    if not word:
        return word
    low = word.lower()
    if not first and low in PARTICLES:
        return low
    if "-" in word:
        return "-".join(_fix_word(w, True) for w in word.split("-"))
    m = re.match(r"^(o|d|l)['’](\w.*)$", low)
    if m:  # O'Brien, D'Angelo; d'/l' inside a name stays lower: "de l'Isle"
        head = m.group(1).upper() if first or m.group(1) == "o" else m.group(1)
        return f"{head}'{m.group(2)[:1].upper()}{m.group(2)[1:]}"
    if low.startswith("mc") and len(low) > 3:
        return "Mc" + low[2:3].upper() + low[3:]
    return low[:1].upper() + low[1:]


# A surname re-cased from capitals or lower case: which leading particles are written with a capital.
# Italian "De Luca", "Di Maio", "Della Valle", "La Rocca"; French "Le Goff", "La Fontaine" (but "de
# Gaulle"); elsewhere lower case ("van der Linden", "del Caño", "da Silva").
_CAPITAL_PARTICLES = {"it": {"de", "di", "da", "del", "della", "degli", "la", "lo", "li", "le"},
                      "fr": {"le", "la", "les"}}


def normalize_name(value: str, surname: bool = False, language: str = "") -> tuple[str, bool]:
    """NFC, spaces collapsed, ALL CAPS or all lower case repaired; (name, case_was_fixed).

    A surname printed after its first name keeps a leading particle lower case ("van der Linden"),
    except where its language writes it with a capital ("De Luca", "Le Goff").
    """
    text = unicodedata.normalize("NFC", value)
    text = re.sub(r"\s+", " ", text).strip(" \t,;:\"'«»“”()[]")
    if text.endswith(".") and not re.search(r"(?:^|\s)\w\.$", text):
        text = text.rstrip(".").rstrip()  # "Jean." loses its dot, an initial ("J. R.") keeps it
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) < 2 or not (all(ch.isupper() for ch in letters) or all(ch.islower() for ch in letters)):
        return text, False
    if not any(ch.isupper() or ch.islower() for ch in letters):  # scripts without case
        return text, False
    words = text.split(" ")
    fixed = []
    i = 0
    while i < len(words):
        matched = False
        for particle in PARTICLES:
            n = particle.count(" ") + 1
            if (i > 0 or surname) and " ".join(words[i:i + n]).lower() == particle and i + n < len(words):
                fixed += [w.lower() for w in words[i:i + n]]
                capital = _CAPITAL_PARTICLES.get(language.split()[0] if language else "", set())
                if i == 0 and surname and fold(words[0]) in capital:
                    fixed[-n] = fixed[-n].capitalize()
                i += n
                matched = True
                break
        if not matched:
            fixed.append(_fix_word(words[i], i == 0))
            i += 1
    return " ".join(fixed), True


# A Marian name after Maria or Ana is part of the first name: "Maria do Carmo", "María de los Ángeles"
_MARIAN = re.compile(r"(?:do|da|das|dos|de|del|de la|de las|de los)\s+(?:Carmo|Céu|Ceu|Graças|Gracas"
                     r"|Conceição|Lourdes|Fátima|Fatima|Rosário|Rosario|Luz|Socorro|Dores|Glória|Gloria|Penha"
                     r"|Carmen|Pilar|Mar|Jesús|Jesus|Soledad|Mercedes|Nazaré|Guadalupe|Ángeles|Angeles|Remedios"
                     r"|Asunción|Assunção|Consolación|Dolores|Montserrat|Rocío|Rocio)\b")

# Given names that mostly come second in a double given name ("José Luis", "Ana Paula", "Jean-Luc"
# without its hyphen): in a three-word name, read as part of the first name. Never sure.
SECOND_GIVEN_NAMES = frozenset(fold(n) for n in (
    "Luis", "Luiz", "Carlos", "José", "Maria", "María", "Antonio", "António", "Paula", "Paulo", "Roberto",
    "Eduardo", "Henrique", "Helena", "Cristina", "Clara", "Fernanda", "Manuel", "Miguel", "Ángel", "Angel",
    "Francisco", "Javier", "Alberto", "Andrés", "Isabel", "Teresa", "Elena", "Lucía", "Luisa", "Luísa",
    "Augusto", "Ricardo", "Gabriel", "Alejandro", "Felipe", "Rafael", "Jorge", "Juan", "Carmen", "Rosa",
    "Pierre", "Marie", "Claude", "Luc", "Paul", "Michel", "Anne", "Louis", "Giovanni", "Pietro", "Paolo",
    "Karl", "Heinz", "Peter", "Josef", "Maria", "Eugenia", "Victoria", "Fernando", "Guadalupe", "Inés",
    "Zahra", "Zohra", "Ezzahra", "Tidiane", "Vinícius", "Vinicius", "Henrique", "Gabriela", "Aparecida",
))


PATRONYMIC = re.compile(r"^\w+(?:ович|евич|ьич|овна|евна|ична|инична)$", re.I)
# Surnames of the former Soviet Union, in Cyrillic or Latin letters ("Петренко", "Abdullaev", "Ivanova"):
# no first name ends so (a first name ending "-ina" or "-in" does: "Marina", "Ирина")
SOVIET_SURNAME = re.compile(r"\w{3,}(?:енко|ова|ева|ёва|ов|ев|ёв|ский|ская|цкий|цкая|ук|юк|enko|ova|eva|ov|ev"
                             r"|skiy|skii|sky|skaya|yuk)$", re.I)


def split_full_name(full: str) -> tuple[str, str, bool]:
    """(first name, name, sure): the first word is the first name, the rest the name.

    Sure for two words, or one word, particles and one word ("Juan del Caño"); "María José
    García" is not. "Dupont, Jean" is read name first, never sure.
    """
    if full.count(",") == 1:  # "Dupont, Jean": the name first, as in a register
        name, first = (part.strip() for part in full.split(","))
        if name and first:
            return first, name, False
    words = full.split()
    if not words:
        return "", "", False
    if len(words) == 1:  # "Signe : Ousmane": one word under a full-name label is a first name
        return words[0], "", False
    if len(words) == 2 and SOVIET_SURNAME.search(words[0]) and not SOVIET_SURNAME.search(words[1]):
        return words[1], words[0], False  # "Abdullaev Rustam", "Петренко Ольга": surname first
    if len(words) == 3 and PATRONYMIC.match(words[2]) and not PATRONYMIC.match(words[1]):
        return f"{words[1]} {words[2]}", words[0], False  # "Орлов Павел Игоревич": ФИО, surname first
    if len(words) == 3 and PATRONYMIC.match(words[1]):
        return f"{words[0]} {words[1]}", words[2], False  # "Валентина Петровна Гончаренко"
    first, rest = words[0], words[1:]
    # "Ana dos Santos", "Pieter van der Berg": one given name, then particles and one name
    sure = all(w.lower() in PARTICLES for w in rest[:-1])
    if len(rest) >= 2 and fold(rest[0]) in SECOND_GIVEN_NAMES:
        first, rest = f"{first} {rest[0]}", rest[1:]  # "José Luis Pérez", "Ana Paula Reis": a guess
    elif len(rest) == 3 and not any(w.lower() in PARTICLES for w in rest):
        first, rest = f"{first} {rest[0]}", rest[1:]  # "Diana Marcela Ospina Restrepo": two and two
    elif fold(first) in ("maria", "ana") and (m := _MARIAN.match(" ".join(rest))) and \
            len(rest) > len(m.group(0).split()):
        # "Maria do Carmo Lopes", "María de los Ángeles Ruiz": a Marian name is one first name
        cut = len(m.group(0).split())
        first, rest = f"{first} {' '.join(rest[:cut])}", rest[cut:]
    return first, " ".join(rest), sure


def normalize_website(value: str) -> tuple[str, str]:
    """(url, reason): an http(s) URL with a lower-case scheme and host, or "" and why not."""
    text = value.strip()
    if m := re.match(r"^\S+\s*<((?:https?|mailto):[^>\s]+)>$", text):
        text = m.group(1)  # Outlook's plain-text links: "www.x.org<http://www.x.org/>"
    text = text.strip("<>()[]\"'").rstrip(".,;")
    if not text or is_empty(text):
        return "", ""
    if re.search(r"\s", text) and "." not in text and len(text.split()) <= 5 and re.search(
            r"\b(?:no|not|none|nao|não|pas|kein\w*|non|нет|sin|sem|ohne|senza|nessun\w*|aucun\w*)\b",
            text, re.I):
        return "", ""  # "não tem site", "je n'en ai pas encore": none, in words
    if re.search(r"\s", text):
        return "", f"website dropped (not a single address): {value.strip()!r}"
    assumed = False
    if "@" in text and "://" not in text:
        return "", f"website dropped (an e-mail address): {value.strip()!r}"
    if "://" not in text:
        if re.match(r"^[a-z][a-z0-9+.-]*:", text, re.I) and not re.match(r"^[\w.-]+:\d", text):
            return "", f"website dropped (not http or https): {value.strip()!r}"
        text = "https://" + text
        assumed = True
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return "", f"website dropped (not an address): {value.strip()!r}"
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        return "", f"website dropped (not http or https): {value.strip()!r}"
    host = (parts.hostname or "").lower()
    if not re.match(r"^(?=.{1,253}$)([\w-]{1,63}\.)+[^\W\d_]{2,63}$", host) or parts.username:
        return "", f"website dropped (not an address): {value.strip()!r}"
    netloc = host + (f":{port}" if port else "")
    url = urlunsplit((scheme, netloc, parts.path, parts.query, parts.fragment))
    return url, (f"website {value.strip()!r} has no http(s): https assumed" if assumed else "")
