"""Country names in any language to ISO 3166-1 alpha-2, from babel's CLDR territory names.

The index is built once, on first use, from every CLDR base locale plus `COMMON_FORMS`, the
names people write that CLDR does not list ("USA", "Holland", "Spanish State"). A name that
CLDR gives to two different countries in two languages is dropped unless a supported
language settles it.
"""

from __future__ import annotations

import bisect
import functools
import re

from babel import Locale
from babel.localedata import locale_identifiers

from mailbot.core.labels import fold

# Written forms CLDR lacks; extend freely. Keys are compared folded (case and accents ignored).
COMMON_FORMS: dict[str, str] = {
    "usa": "US", "u.s.a.": "US", "u.s.a": "US", "us": "US", "u.s.": "US", "united states": "US",
    "united states of america": "US", "america": "US", "the states": "US", "eeuu": "US",
    "ee.uu.": "US", "ee. uu.": "US", "eua": "US", "e.u.a.": "US", "сша": "US", "etats-unis": "US",
    "uk": "GB", "u.k.": "GB", "britain": "GB", "great britain": "GB", "england": "GB",
    "scotland": "GB", "wales": "GB", "northern ireland": "GB", "united kingdom": "GB",
    "gb": "GB", "angleterre": "GB", "ecosse": "GB", "inglaterra": "GB", "escocia": "GB",
    "англия": "GB", "шотландия": "GB", "великобритания": "GB", "grossbritannien": "GB",
    "holland": "NL", "the netherlands": "NL", "hollande": "NL", "holanda": "NL", "голландия": "NL",
    "deutschland": "DE", "brd": "DE", "rfa": "DE", "россия": "RU", "russian federation": "RU",
    "российская федерация": "RU", "рф": "RU", "spanish state": "ES", "estado espanol": "ES",
    "etat espagnol": "ES", "estat espanyol": "ES", "espanya": "ES", "estado espanhol": "ES",
    "spanischer staat": "ES", "stato spagnolo": "ES", "испанское государство": "ES",
    "czech republic": "CZ", "ivory coast": "CI", "cote d'ivoire": "CI", "burma": "MM",
    "macedonia": "MK", "swaziland": "SZ", "vatican": "VA", "palestine": "PS",
    "state of palestine": "PS", "turkiye": "TR", "uae": "AE", "emirates": "AE",
    "south korea": "KR", "north korea": "KP", "viet nam": "VN", "laos": "LA", "syria": "SY",
    "iran": "IR", "russia": "RU", "bolivia": "BO", "venezuela": "VE", "tanzania": "TZ",
    "moldova": "MD", "taiwan": "TW", "brasil": "BR", "mexique": "MX", "méxico": "MX",
    "perú": "PE", "argentine": "AR", "suisse": "CH", "schweiz": "CH", "svizzera": "CH",
    "belgique": "BE", "belgie": "BE", "quebec": "CA", "québec": "CA", "kurdistan": "",
    "hong kong": "HK", "macao": "MO", "macau": "MO", "the gambia": "GM", "the bahamas": "BS",
    "congo-kinshasa": "CD", "drc": "CD", "rdc": "CD", "congo-brazzaville": "CG",
    # the two Congos in their official words: "RD Congo", "République démocratique du Congo"
    "rd congo": "CD", "r.d. congo": "CD", "r.d.c.": "CD", "dr congo": "CD", "d.r. congo": "CD",
    "republique democratique du congo": "CD", "rd du congo": "CD", "republica democratica del congo": "CD",
    "republica democratica do congo": "CD", "rd do congo": "CD", "demokratische republik kongo": "CD",
    "dr kongo": "CD", "демократическая республика конго": "CD", "др конго": "CD", "дрк": "CD",
    "repubblica democratica del congo": "CD", "rd del congo": "CD", "congo kinshasa": "CD",
    "republique du congo": "CG", "republic of the congo": "CG", "republica del congo": "CG",
    "republica do congo": "CG", "republik kongo": "CG", "республика конго": "CG",
    "cote d ivoire": "CI", "cote divoire": "CI", "rossiya": "RU", "rossija": "RU", "rossia": "RU",
    "ukraina": "UA",
    "repubblica del congo": "CG", "congo brazzaville": "CG",
    "kosovo": "XK", "österreich": "AT", "polska": "PL", "italia": "IT", "espana": "ES",
    "sverige": "SE", "danmark": "DK", "norge": "NO", "suomi": "FI", "eire": "IE", "éire": "IE",
    "hellas": "GR", "ellada": "GR", "magyarorszag": "HU", "cesko": "CZ", "slovensko": "SK",
    "oesterreich": "AT", "daenemark": "DK", "tuerkei": "TR", "suedafrika": "ZA", "groebritannien": "GB",
    "белоруссия": "BY", "молдавия": "MD", "киргизия": "KG", "туркмения": "TM",
    "republic of south africa": "ZA", "rsa": "ZA", "burkina": "BF", "кыргызстан": "KG", "kyrgyzstan": "KG",
    "беларусь": "BY", "молдова": "MD", "кот-д'ивуар": "CI",
}
# Names that stand for more than one country: never guessed, the reviewer decides.
# Georgia: also a US state; Guiné: Guinea, but also said for Guinea-Bissau in Portuguese
AMBIGUOUS = frozenset({"congo", "korea", "virgin islands", "georgia", "guine", "guinea"})  # Guinée is Guinea
# Pseudo-territories CLDR lists that are not countries.
_NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "ZZ"})
_PREFERRED = ("en", "fr", "es", "pt", "de", "ru", "it")


def key(name: str) -> str:
    """The form names are compared in: folded, dots and hyphens as in CLDR, "the" dropped."""
    text = fold(name).strip(" .,;:()[]\"'«»“”")
    text = re.sub(r"^(the|la|le|les|el|los|las|o|a|os|as|die|der|das|il|lo)\s+", "", text)
    text = text.replace("’", "'").replace("&", "and")
    return re.sub(r"\s+", " ", text)


# For finding a country inside free text, where "Jordan" or "Chad" may be a person: the names
# of well-known languages only (a rare locale calls Greece "Hélène").
COMMON_LANGUAGES = frozenset(_PREFERRED) | {"nl", "pl", "sv", "da", "nb", "fi", "cs", "ca", "gl", "eu",
                                            "tr", "el", "uk", "ro", "hu", "sk", "sl", "hr", "sr"}


def index(common: bool = False) -> dict[str, str]:
    """Folded name -> code, over all CLDR base locales (or the common ones); ambiguous names out."""
    return _index(bool(common))  # one cache entry per kind, however it is called


@functools.cache
def _index(common: bool) -> dict[str, str]:
    found: dict[str, set[str]] = {}
    preferred: dict[str, str] = {}
    codes = set(Locale.parse("en").territories)
    for ident in sorted(locale_identifiers()):
        if "_" in ident or (common and ident not in COMMON_LANGUAGES):
            continue
        try:
            territories = Locale.parse(ident).territories
        except Exception:  # a locale babel cannot load is skipped, not fatal
            continue
        for code, name in territories.items():
            if len(code) != 2 or not code.isalpha() or code in _NOT_COUNTRIES:
                continue
            k = key(name)
            found.setdefault(k, set()).add(code)
            if ident in _PREFERRED:
                preferred.setdefault(k, code)
    out = {k: next(iter(v)) for k, v in found.items() if len(v) == 1}
    for k, code in preferred.items():
        out.setdefault(k, code)
    for name, code in COMMON_FORMS.items():
        if code:
            out[key(name)] = code
    for name in AMBIGUOUS:
        out.pop(key(name), None)
    out.update({key(c): c for c in codes if len(c) == 2 and c.isalpha() and c not in _NOT_COUNTRIES
                and key(c) not in out})
    return out


def lookup(name: str, common: bool = False) -> str | None:
    """ISO code for a country written by a person, or None; exact match on the folded name.

    `common` limits the names to well-known languages, for country names found in free text.
    """
    k = key(name)
    if not k:
        return None
    if re.fullmatch(r"[A-Z]{2}", name.strip()) and name.strip() in known_codes():
        return name.strip()  # "AO" is Angola, though "Áo" is Austria in Vietnamese
    code = index(common).get(k)
    if code is None and (m := re.match(r"^(?:republic|republique|republica|republik|repubblica|республика)"
                                       r"\s+(?:of\s+|de\s+|di\s+|del\s+|do\s+|da\s+)?(.+)$", k)):
        code = index(common).get(key(m[1]))  # "Repubblica di San Marino", "Республика Казахстан"
    if code is None and (m := re.match(r"^rep\.?\s+(.+)$", k)):  # "Rep. Dominicana", "Rep. Checa"
        code = next((index(common)[c] for c in (f"republica {m[1]}", f"republic {m[1]}",
                                                f"republique {m[1]}") if c in index(common)), None)
    if code and len(k) == 2 and name.strip() != name.strip().upper():
        return None  # "us", "in", "de" typed in lower case are words, not codes
    return code


def lookup_inflected(word: str, common: bool = False) -> str | None:
    """A Russian country name in another case: "в Узбекистане", "из России", "Францией"."""
    if not re.fullmatch(r"[А-Яа-яЁё-]{4,}", word):
        return None
    for stem, ends in ((word[:-1], ("", "а", "я", "ь")), (word[:-2], ("ия", "ья", "", "а", "я")),
                       (word[:-3], ("ия", "а", "я"))):
        for end in ends:
            if len(stem) >= 3 and (code := lookup(stem + end, common=common)):
                return code
    return None


# Endings of words naming people of a country: "togolais", "moçambicano", "Ukrainerin", "brasileira"
_DEMONYM_ENDINGS = ("ienne", "aine", "aise", "oise", "enne", "eira", "eiro", "ense", "erin", "ische", "isch",
                    "ain", "ais", "ois", "ien", "ano", "ana", "ino", "ina", "eno", "ena", "ese", "esa", "ian",
                    "ish", "ska", "ский", "ская", "анин", "анка", "ец", "ка", "er", "an", "es", "és", "ês",
                    "a", "o", "e", "i")
_FOLDED_ENDINGS = tuple(key(e) for e in _DEMONYM_ENDINGS)  # folded as the word is: "ский" is "скии"


_NOT_DEMONYMS = frozenset({"romano", "romana", "romani", "romane", "romanos", "romanas"})  # of Rome


@functools.cache
def _one_word_names() -> tuple[list[str], dict[str, str]]:
    """The one-word country names of the common languages, sorted for prefix search, and their codes."""
    names = {name: code for name, code in index(common=True).items() if " " not in name}
    return sorted(names), names


def _starting_with(prefix: str) -> list[str]:
    ordered, _ = _one_word_names()
    i = bisect.bisect_left(ordered, prefix)
    j = bisect.bisect_left(ordered, prefix + "\U0010ffff")
    return ordered[i:j]


# Words for a people that do not begin with their country's name, or name a region's people
_IRREGULAR_DEMONYMS = {
    "venezolan": "VE", "nigerien": "NE", "nigerian": "NG", "quebecois": "CA", "quebeques": "CA",
    "catalan": "ES", "gallego": "ES", "galega": "ES", "vasco": "ES", "basque": "ES", "andaluz": "ES",
    "sardo": "IT", "sarda": "IT", "siciliano": "IT", "siciliana": "IT", "napoletan": "IT", "ticinese": "CH",
    "scottish": "GB", "welsh": "GB", "ecossais": "GB", "escoces": "GB", "escocesa": "GB",
    "gales": "GB", "galesa": "GB", "gallois": "GB", "schott": "GB", "bavarian": "DE", "bayerisch": "DE",
    "flamand": "BE", "flemish": "BE", "wallon": "BE", "corse": "FR", "breton": "FR", "bretonne": "FR",
    "tirolese": "AT", "tiroler": "AT", "galician": "ES", "andalusian": "ES", "tejano": "US", "texan": "US",
    "dominican": "DO", "dominicain": "DO", "dominikan": "DO",  # "dominicana": Dominica is rarely meant
    # Russian words for a people (folded: й is и): not "русский", which is mostly the language
    "армян": "AM", "грузин": "GE", "казах": "KZ", "казашк": "KZ", "узбек": "UZ", "узбечк": "UZ",
    "таджик": "TJ", "киргиз": "KG", "туркмен": "TM", "белорус": "BY", "украинец": "UA", "украинк": "UA",
    "латыш": "LV", "литовец": "LT", "литовк": "LT", "эстонец": "EE", "эстонк": "EE", "молдаван": "MD",
    "немец": "DE", "немк": "DE", "француз": "FR", "итальянец": "IT", "итальянк": "IT", "испанец": "ES",
    "испанк": "ES", "поляк": "PL", "полька": "PL", "англичан": "GB", "американец": "US", "американк": "US",
    "россиян": "RU",
}


@functools.lru_cache(maxsize=4096)
def demonym(word: str) -> str | None:
    """The country a word for its people names ("togolais" -> TG, "Ukrainerin" -> UA), when its
    stem begins exactly one country's name in a common language; a guess, never exact."""
    w = key(word)
    if irregular := next((c for stem, c in _IRREGULAR_DEMONYMS.items()
                          if w.startswith(stem) and len(w) - len(stem) <= 4), None):
        return irregular  # "venezolano", "nigérienne", "sardo", "ticinese"
    if len(w) < 6 or " " in w or not w.isalpha() or w in _NOT_DEMONYMS:
        return None
    _, codes_of = _one_word_names()
    for ending in _FOLDED_ENDINGS:
        stem = w[: -len(ending)] if w.endswith(ending) else ""
        if len(stem) < 3:
            continue
        found = [n for n in _starting_with(stem)  # "brasileir-a": "brasil"
                 if len(n) - len(stem) <= 3 and (len(stem) >= 4 or len(n) <= 4)]
        if len(stem) >= 6:  # "российск-ий": "россия"
            found += [n for n in _starting_with(stem[:-1]) if len(n) == len(stem)]
        # "cub-ano": "cuba"; "togol-ais": "togo": the stem is the name, or the name and one letter
        found += [n for n in (stem, stem[:-1]) if len(n) >= 4 and n in codes_of]
        codes = {codes_of[n] for n in found}
        if len(codes) == 1:
            return codes.pop()
        if codes:
            return None
    for ending in _FOLDED_ENDINGS:  # "portugu-esa": "portug-al"
        stem = w[: -len(ending)] if w.endswith(ending) else ""
        if len(stem) >= 7 and len(codes := {codes_of[n] for n in _starting_with(stem[:-1])}) == 1:
            return codes.pop()
    return None


def known_codes() -> frozenset[str]:
    return frozenset(index().values())


@functools.lru_cache(maxsize=64)
def _territories(language: str) -> dict[str, str]:
    try:
        return dict(Locale.parse(language.replace("-", "_")).territories)
    except Exception:
        return dict(Locale.parse("en").territories)


def display(code: str, language: str, overrides: dict[str, str] | None = None) -> str:
    """The country's name in the campaign language, a campaign override winning."""
    code = (code or "").upper()
    if not code:
        return ""
    if overrides and code in overrides:
        return overrides[code]
    return _territories(language or "en").get(code) or _territories("en").get(code) or code
