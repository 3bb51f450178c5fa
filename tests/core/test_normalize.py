"""Normalization examples: countries in any language, names, websites, display names."""

from __future__ import annotations

import unicodedata

import pytest

from mailbot.core import countries, places
from mailbot.core.normalize import (
    country_display,
    normalize_country,
    normalize_name,
    normalize_website,
    split_full_name,
)
from mailbot.core.reply import country_display as reexported


@pytest.mark.parametrize("text, code", [
    ("USA", "US"), ("U.S.A.", "US"), ("United States", "US"), ("États-Unis", "US"), ("США", "US"),
    ("UK", "GB"), ("Britain", "GB"), ("Great Britain", "GB"), ("Scotland", "GB"), ("U.K.", "GB"),
    ("Holland", "NL"), ("the Netherlands", "NL"), ("Deutschland", "DE"), ("Allemagne", "DE"),
    ("Россия", "RU"), ("Spanish State", "ES"), ("España", "ES"), ("brazil", "BR"), ("Brasilien", "BR"),
    ("Suisse", "CH"), ("Österreich", "AT"), ("Côte d'Ivoire", "CI"), ("Czech Republic", "CZ"),
    ("RD Congo", "CD"), ("République démocratique du Congo", "CD"), ("Demokratische Republik Kongo", "CD"),
    ("République du Congo", "CG"), ("AO", "AO"),
])
def test_country_names_in_any_language(text, code):
    """Common and CLDR names, any case or accents, give the ISO code exactly."""
    country = normalize_country(text)
    assert country.code == code and country.exact


@pytest.mark.parametrize("text", ["Narnia", "Congo", "Korea", "us", "", "Europe"])
def test_unknown_or_ambiguous_countries_give_no_code(text):
    """Unknown and ambiguous names are never guessed."""
    assert normalize_country(text).code is None


def test_country_inside_a_longer_value_is_a_guess():
    """'Lyon, France' gives FR, flagged as read from a longer value."""
    country = normalize_country("Lyon, France")
    assert country.code == "FR" and not country.exact and "Lyon, France" in country.reason


def test_display_in_campaign_language_with_override():
    """Display names follow the campaign language; a per-campaign override wins."""
    assert country_display("DE", "fr", {}) == "Allemagne"
    assert country_display("ES", "en", {"ES": "Spanish State"}) == "Spanish State"
    assert reexported is country_display


@pytest.mark.parametrize("typed, surname, fixed", [
    ("JEAN-PIERRE", False, "Jean-Pierre"), ("jean", False, "Jean"), ("MCDONALD", True, "McDonald"),
    ("O'BRIEN", True, "O'Brien"), ("VAN DER LINDEN", True, "van der Linden"),
    ("DEL CAÑO", True, "del Caño"), ("ПЕТРОВ", True, "Петров"), ("McAllister", True, "McAllister"),
    ("de la Fuente", True, "de la Fuente"), ("solidaritéS", False, "solidaritéS"),
])
def test_name_case_repair_keeps_particles(typed, surname, fixed):
    """ALL CAPS and all lower case are repaired; particles, Mc and O' survive; mixed case is kept."""
    assert normalize_name(typed, surname=surname)[0] == fixed


def test_names_are_nfc():
    """A decomposed 'é' comes out composed."""
    assert normalize_name(unicodedata.normalize("NFD", "Zoé"))[0] == "Zoé"


@pytest.mark.parametrize("full, first, name, sure", [
    ("Jean Dupont", "Jean", "Dupont", True), ("Juan del Caño", "Juan", "del Caño", True),
    ("María José García", "María José", "García", False), ("Dupont, Jean", "Jean", "Dupont", False),
    ("Juan García López", "Juan", "García López", False), ("Ousmane", "Ousmane", "", False),
    ("Maria do Carmo Lopes", "Maria do Carmo", "Lopes", False), ("Ana da Silva", "Ana", "da Silva", True),
    ("María de los Ángeles Ruiz", "María de los Ángeles", "Ruiz", False),
    ("Diana Marcela Ospina Restrepo", "Diana Marcela", "Ospina Restrepo", False),
])
def test_full_name_split(full, first, name, sure):
    """The first word is the first name, with a usual second given name ("María José"); the split is
    sure only when nothing else is possible; one word alone is a first name."""
    assert split_full_name(full) == (first, name, sure)


@pytest.mark.parametrize("typed, url", [
    ("https://internationalviewpoint.org/", "https://internationalviewpoint.org/"),
    ("HTTP://Example.COM/Path", "http://example.com/Path"),
    ("www.letusrise.ie", "https://www.letusrise.ie"),
    ("www.w-vwa.de<http://www.w-vwa.de>", "http://www.w-vwa.de"),
    ("javascript:alert(1)", ""), ("ftp://example.org", ""), ("jean@example.org", ""),
    ("none", ""), ("http://localhost", ""), ("my site", ""),
])
def test_websites_only_http_and_https(typed, url):
    """Only http(s) survives; a bare host is taken as https; anything else is dropped."""
    assert normalize_website(typed)[0] == url


@pytest.mark.parametrize("typed", ["não tem", "no website yet", "keine eigene", "non ho ancora un sito"])
def test_no_website_in_words_is_empty_not_dropped(typed):
    """Saying there is none leaves the field empty without a doubt to review."""
    assert normalize_website(typed) == ("", "")


@pytest.mark.parametrize("word, code", [
    ("togolais", "TG"), ("Ukrainerin", "UA"), ("moçambicano", "MZ"), ("brasileira", "BR"),
    ("française", "FR"), ("marocaine", "MA"), ("Portuguesa", "PT"), ("venezolano", "VE"),
    ("nigérienne", "NE"), ("ticinese", "CH"),
    ("romano", None), ("congolais", None), ("professore", None), ("enseignante", None),
])
def test_a_word_for_a_country_s_people(word, code):
    """Free-form replies often give the country as its people ("je suis togolais"); Congo stays ambiguous."""
    assert countries.demonym(word) == code


@pytest.mark.parametrize("text, code", [
    ("Hamburg", "DE"), ("21073 Hamburg", "DE"), ("Москве", "RU"), ("Санкт-Петербурге", "RU"),
    ("Córdoba", None), ("Lyon", "FR"), ("Grenoble", "FR"), ("Воркута", "RU"), ("6900 Lugano", "CH"),
    ("Hola", None),  # a town of 21,000 in Kenya: too small to be named alone, and a greeting
    ("Lens", None),  # 38,000 people: read only with its region
    ("Paraná", None),  # a city in Argentina, a state of Brazil
])
def test_the_country_of_a_well_known_city(text, code):
    """Cities of 50,000 people with no same-name city a seventh as big in another country."""
    assert places.city_country(text) == code


@pytest.mark.parametrize("text, code", [
    ("Steiermark", "AT"), ("Nova Scotia", "CA"), ("British Columbia", "CA"), ("Sud Sardegna", "IT"),
    ("Asturias", "ES"), ("Pas-de-Calais", "FR"),
    ("Georgia", None),  # a country too: stays ambiguous
    ("Itabira MG", "BR"), ("Fortaleza/CE", "BR"), ("Viçosa (MG)", "BR"), ("Austin, TX", "US"),
])
def test_the_country_of_a_region_or_a_city_with_its_region_code(text, code):
    """ISO 3166-2 region names (pycountry), and a city followed by the code of one of its regions."""
    assert places.city_country(text) == code


@pytest.mark.parametrize("texts, language, code", [
    (["Surrey", "British Columbia"], "en", "CA"),  # Surrey is also an English county
    (["Lens", "Pas-de-Calais"], "fr", "FR"),
    (["Halifax", "Nova Scotia"], "en", "CA"),
    (["Halifax"], "en", "CA"),  # 471,000 people in Canada, 83,000 in England: both English-speaking
    (["Córdoba"], "es", "AR"),  # a province of Argentina, Spain and Colombia: the biggest city, Argentina
    (["Valencia"], "es", None),  # Spain or Venezuela
    (["manchester"], "en", "GB"),  # a city and a district of England, a parish of Jamaica
    (["Zaragoza"], "es", "ES"),  # not Puebla de Zaragoza in Mexico, a seventh for another name
    (["Cahors"], "fr", "FR"), (["Salud"], "es", "CU"),  # a town alone, in the mail's language
    (["Lugo"], "es", "ES"),  # the one where the mail's language is spoken
    (["Lugo"], "it", "IT"),  # Lugo in Italy, 21,000 people: in an Italian mail
    (["Paraná"], "pt", "BR"), (["Bari"], "it", "IT"),
    (["Hola"], "es", None), (["Hamburg", "Lyon"], "de", None),
    (["brescia"], "it", "IT"),  # a reply typed all in lower case
])
def test_places_named_together_agree_on_one_country(texts, language, code):
    found = places.country_of_places(texts, language)
    assert (found[1] if found else None) == code


@pytest.mark.parametrize("text, code", [("Узбекистане", "UZ"), ("России", "RU"), ("Францией", "FR"),
                                        ("Москве", None)])
def test_russian_country_names_in_any_case(text, code):
    assert countries.lookup_inflected(text) == code
