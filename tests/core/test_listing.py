"""The published list's view model: grouping, order, wording and what is safe to link."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from mailbot.core.listing import build_listing, collation_key, safe_link
from mailbot.core.model import Signatory, SignerKind, Status

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def person(
    id: int,
    first_name: str,
    name: str,
    country: str = "",
    country_code: str | None = None,
    *,
    presentation: str = "",
    organization: str = "",
    website: str = "",
    kind: SignerKind = SignerKind.person,
) -> Signatory:
    return Signatory(
        id=id,
        first_name=first_name,
        name=name,
        country=country,
        country_code=country_code,
        presentation=presentation,
        organization=organization,
        website=website,
        kind=kind,
        status=Status.approved,
        signed_at=NOW,
        updated_at=NOW,
    )


def organization(
    id: int, title: str, country: str = "", code: str | None = None, **kw: str
) -> Signatory:
    return person(id, "", "", country, code, organization=title, kind=SignerKind.organization, **kw)


def listing_of(rows: list[Signatory], language: str = "en"):
    return build_listing(rows, campaign_name="Appeal", language=language, generated_at=NOW)


def test_countries_are_sorted_ignoring_accents():
    """Country headings follow dictionary order, so "Réunion" comes before "Russia"."""
    rows = [
        person(1, "A", "A", "Russia", "RU"),
        person(2, "B", "B", "Réunion", "RE"),
        person(3, "C", "C", "Argentina", "AR"),
        person(4, "D", "D", "Émirats arabes unis", "AE"),
        person(5, "E", "E", "Espagne", "ES"),
    ]
    names = [group.name for group in listing_of(rows).countries]
    assert names == ["Argentina", "Émirats arabes unis", "Espagne", "Réunion", "Russia"]


def test_persons_are_sorted_by_name_then_first_name():
    """Inside a country entries go by name, then first name, accents and case ignored."""
    rows = [
        person(1, "Nicolás", "del Caño", "Argentina", "AR"),
        person(2, "Bruno", "Bravo", "Argentina", "AR"),
        person(3, "Ana", "Álvarez", "Argentina", "AR"),
        person(4, "Zoé", "Bravo", "Argentina", "AR"),
        person(5, "Élise", "Bravo", "Argentina", "AR"),
    ]
    (argentina,) = listing_of(rows).countries
    assert [entry.id for entry in argentina.entries] == [3, 2, 5, 4, 1]


def test_rows_of_one_country_code_share_a_heading():
    """Two spellings of the same ISO code end in one group named by the most used spelling."""
    rows = [
        person(1, "A", "A", "Argentina", "AR"),
        person(2, "B", "B", "Argentine", "ar"),
        person(3, "C", "C", "Argentina", "AR"),
    ]
    (group,) = listing_of(rows).countries
    assert (group.name, group.code, group.anchor, len(group.entries)) == (
        "Argentina",
        "AR",
        "ar",
        3,
    )


def test_country_code_without_display_name_gets_the_locale_name():
    """A known code with no display name is shown under the name from the locale's tables."""
    (group,) = listing_of([person(1, "A", "A", "", "DE")], language="fr").countries
    assert group.name == "Allemagne"


def test_unrecognized_country_keeps_the_name_the_signer_gave():
    """A country without a code gets its own heading, sorted with the others."""
    rows = [person(1, "A", "A", "Kurdistan"), person(2, "B", "B", "Iraq", "IQ")]
    groups = listing_of(rows).countries
    assert [(g.name, g.code, g.anchor) for g in groups] == [
        ("Iraq", "IQ", "iq"),
        ("Kurdistan", None, "x-kurdistan"),
    ]


@pytest.mark.parametrize(
    ("language", "label"), [("en", "Other"), ("fr", "Autres"), ("ru", "Другие")]
)
def test_persons_without_country_come_last_under_a_localized_label(language, label):
    """Entries with no country form the last group, labeled in the campaign's language."""
    rows = [person(1, "Kim", "Lee"), person(2, "Zed", "Zulu", "Zambia", "ZM")]
    groups = listing_of(rows, language).countries
    assert [g.name for g in groups] == ["Zambia", label]
    assert groups[-1].is_other and groups[-1].code is None


def test_organizations_have_their_own_section():
    """Organizations are listed apart, sorted by name, with their country as the last part."""
    rows = [
        person(1, "Ana", "Álvarez", "Argentina", "AR"),
        organization(2, "Sindicato Único", "Spain", "ES", presentation="Trade union"),
        organization(3, "Amnesty", ""),
    ]
    listing = listing_of(rows)
    assert [e.id for g in listing.countries for e in g.entries] == [1]
    assert [e.parts for e in listing.organizations] == [
        ("Amnesty",),
        ("Sindicato Único", "Trade union", "Spain"),
    ]
    assert (listing.total, listing.person_count, listing.organization_count) == (3, 1, 2)


def test_entry_parts_leave_out_empty_fields():
    """The line is "First Name, presentation, organization" without empty parts."""
    rows = [
        person(
            1,
            "Nicolás",
            "del Caño",
            "Argentina",
            "AR",
            presentation="Deputy",
            organization="PTS/FIT",
        ),
        person(2, "Ana", "Álvarez", "Argentina", "AR", organization="CeProDH"),
        person(3, "", "Solo", "Argentina", "AR"),
    ]
    entries = {e.id: e for e in listing_of(rows).countries[0].entries}
    assert entries[1].line == "Nicolás del Caño, Deputy, PTS/FIT"
    assert entries[2].parts == ("Ana Álvarez", "CeProDH")
    assert entries[3].line == "Solo"


def test_display_values_are_one_clean_line():
    """Line breaks, controls and bidi overrides in a field never reach the published line."""
    row = person(
        1, " Jean\r\n", "Dupont\x00", "France", "FR", presentation="Prof\u202eessor\tof  law"
    )
    (entry,) = listing_of([row]).countries[0].entries
    assert entry.parts == ("Jean Dupont", "Professor of law")


@pytest.mark.parametrize(
    ("website", "link"),
    [
        ("https://example.org/a?b=1", "https://example.org/a?b=1"),
        ("HTTP://EXAMPLE.ORG", "HTTP://EXAMPLE.ORG"),
        ("www.example.org", "https://www.example.org"),
        ("example.org/about", "https://example.org/about"),
        ("javascript:alert(1)", ""),
        ("JavaScript:alert(document.cookie)//example.org", ""),
        ("data:text/html,<script>alert(1)</script>", ""),
        ('https://example.org/"onmouseover=alert(1)', ""),
        ("https:///nohost", ""),
        ("ftp://example.org", ""),
        ("my site", ""),
        ("", ""),
    ],
)
def test_only_http_websites_become_links(website, link):
    """A website is linked only as http(s); a bare domain gets https://, anything else no link."""
    assert safe_link(website) == link


def test_entry_keeps_an_unlinkable_website_as_text():
    """A website that cannot be linked is still shown, as plain text."""
    row = person(1, "A", "B", "France", "FR", website="javascript:alert(1)")
    (entry,) = listing_of([row]).countries[0].entries
    assert (entry.website, entry.link) == ("javascript:alert(1)", "")


@pytest.mark.parametrize(
    ("language", "count", "total"),
    [
        ("en", 1, "1 signature"),
        ("en", 1234, "1,234 signatures"),
        ("fr", 0, "0 signature"),
        ("fr", 2, "2 signatures"),
        ("de", 1234, "1.234 Unterschriften"),
        ("ru", 1, "1 подпись"),
        ("ru", 3, "3 подписи"),
        ("ru", 5, "5 подписей"),
        ("ru", 21, "21 подпись"),
        ("es", 2, "2 firmas"),
        ("pt", 2, "2 assinaturas"),
        ("it", 1, "1 firma"),
    ],
)
def test_total_is_worded_with_plural_and_number_format(language, count, total):
    """The total uses the language's plural form and digit grouping."""
    rows = [person(i, "A", "B", "France", "FR") for i in range(count)]
    assert listing_of(rows, language).labels.total == total


@pytest.mark.parametrize(
    ("language", "resolved", "signatories", "updated"),
    [
        ("en", "en", "Signatories", "Updated May 1, 2024"),
        ("fr", "fr", "Signataires", "Mis à jour le 1 mai 2024"),
        ("fr-CA", "fr-CA", "Signataires", "Mis à jour le 1 mai 2024"),
        ("pt_BR", "pt-BR", "Signatários", "Atualizado em 1 de maio de 2024"),
        ("de", "de", "Unterzeichnende", "Stand: 1. Mai 2024"),
        ("nl", "en", "Signatories", "Updated May 1, 2024"),
        ("", "en", "Signatories", "Updated May 1, 2024"),
    ],
)
def test_wording_follows_the_campaign_language(language, resolved, signatories, updated):
    """Fixed wording comes in the campaign's language, English when we have none for it."""
    listing = listing_of([], language)
    assert listing.language == resolved
    assert listing.labels.signatories == signatories
    assert listing.labels.updated == updated
    assert listing.countries == () and listing.organizations == () and listing.total == 0


def test_listing_shows_every_row_it_is_given():
    """Choosing which statuses to publish is the caller's job; the view model drops nothing."""
    rows = [person(1, "A", "A", "France", "FR"), person(2, "B", "B", "France", "FR")]
    rows[1] = Signatory(**{**rows[1].__dict__, "status": Status.pending})
    assert listing_of(rows).total == 2


def test_collation_key_ignores_accents_case_and_leading_quotes():
    """Sorting puts accented, capitalized and quoted names where a reader looks for them."""
    words = ["Zola", "«Solidarność»", "Łukasz", "émile", "Eve", "ørsted", "Ana"]
    assert sorted(words, key=collation_key) == [
        "Ana",
        "émile",
        "Eve",
        "Łukasz",
        "ørsted",
        "«Solidarność»",
        "Zola",
    ]


FIELD_TEXT = st.text(max_size=40)


@given(
    st.lists(
        st.tuples(
            FIELD_TEXT,
            FIELD_TEXT,
            FIELD_TEXT,
            st.one_of(st.none(), st.sampled_from(["AR", "FR", "ru", "XX", ""])),
            FIELD_TEXT,
            st.booleans(),
        ),
        max_size=12,
    ),
    st.sampled_from(["en", "fr", "ru", "pt-BR", "zz", "fr_CA"]),
)
@example([("Jean\r\n", "\u202eDupont", "France\x00", "FR", "Prof", False)], "fr")
def test_every_row_appears_once_on_one_clean_line(fields, language):
    """Whatever the fields hold, each row is listed exactly once and every part is one clean line."""
    rows = [
        person(
            i,
            first,
            name,
            country,
            code,
            presentation=text,
            organization=text,
            website=text,
            kind=SignerKind.organization if is_org else SignerKind.person,
        )
        for i, (first, name, country, code, text, is_org) in enumerate(fields)
    ]
    listing = listing_of(rows, language)
    entries = [e for g in listing.countries for e in g.entries] + list(listing.organizations)
    assert sorted(e.id for e in entries) == list(range(len(rows))) and listing.total == len(rows)
    for entry in entries:
        for part in entry.parts + (entry.website,):
            assert part == part.strip() and "  " not in part
            assert not any(unicodedata.category(ch) in ("Cc", "Zl", "Zp") for ch in part)
            assert not any(ch in part for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2069")
        assert entry.link == "" or entry.link.lower().startswith(("http://", "https://"))
    assert [g.is_other for g in listing.countries].count(True) <= 1
