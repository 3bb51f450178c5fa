"""The published signatory list as a view model: grouped, sorted and worded, ready for templates.

Pure: rows in, a `Listing` out. Which rows to show (approved only, addresses or not) is the caller's choice.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.numbers import format_decimal

from mailbot.core.model import Signatory, SignerKind

# The little fixed wording of a list. Plural forms follow CLDR (babel's `plural_form`); a missing form
# falls back to "other". Campaigns change anything longer in the templates, not here.
WORDS: Mapping[str, Mapping[str, str]] = {
    "en": {
        "signatories": "Signatories",
        "organizations": "Organizations",
        "countries": "Countries",
        "other": "Other",
        "updated": "Updated {date}",
        "count.one": "{count} signature",
        "count.other": "{count} signatures",
    },
    "fr": {
        "signatories": "Signataires",
        "organizations": "Organisations",
        "countries": "Pays",
        "other": "Autres",
        "updated": "Mis à jour le {date}",
        "count.one": "{count} signature",
        "count.many": "{count} de signatures",
        "count.other": "{count} signatures",
    },
    "es": {
        "signatories": "Firmantes",
        "organizations": "Organizaciones",
        "countries": "Países",
        "other": "Otros",
        "updated": "Actualizado el {date}",
        "count.one": "{count} firma",
        "count.many": "{count} de firmas",
        "count.other": "{count} firmas",
    },
    "pt": {
        "signatories": "Signatários",
        "organizations": "Organizações",
        "countries": "Países",
        "other": "Outros",
        "updated": "Atualizado em {date}",
        "count.one": "{count} assinatura",
        "count.many": "{count} de assinaturas",
        "count.other": "{count} assinaturas",
    },
    "de": {
        "signatories": "Unterzeichnende",
        "organizations": "Organisationen",
        "countries": "Länder",
        "other": "Sonstige",
        "updated": "Stand: {date}",
        "count.one": "{count} Unterschrift",
        "count.other": "{count} Unterschriften",
    },
    "ru": {
        "signatories": "Подписавшие",
        "organizations": "Организации",
        "countries": "Страны",
        "other": "Другие",
        "updated": "Обновлено {date}",
        "count.one": "{count} подпись",
        "count.few": "{count} подписи",
        "count.many": "{count} подписей",
        "count.other": "{count} подписи",
    },
    "it": {
        "signatories": "Firmatari",
        "organizations": "Organizzazioni",
        "countries": "Paesi",
        "other": "Altri",
        "updated": "Aggiornato il {date}",
        "count.one": "{count} firma",
        "count.many": "{count} di firme",
        "count.other": "{count} firme",
    },
}
DEFAULT_LANGUAGE = "en"


@dataclass(frozen=True)
class Labels:
    """Fixed wording in the list's language, already filled in."""

    signatories: str
    organizations: str
    countries: str
    total: str  # "1,234 signatures"
    updated: str  # "Updated May 1, 2024"


@dataclass(frozen=True)
class Entry:
    """One published line: `parts` joined by ", ", then the website."""

    id: int
    parts: tuple[str, ...]  # person: "First Name", presentation, organization; empty parts left out
    website: str  # as given, cleaned for display ("" when none)
    link: str  # an http(s) URL safe to put in href, or "" when the website is not one
    email: str = ""  # only filled when the caller passed addresses

    @property
    def line(self) -> str:
        return ", ".join(self.parts)


@dataclass(frozen=True)
class CountryGroup:
    """The persons of one country, under its heading."""

    name: str
    code: str | None  # ISO 3166-1 alpha-2, None for an unrecognized country or the "Other" group
    anchor: str  # a stable HTML id fragment: "ar", "other", "x-kurdistan"
    entries: tuple[Entry, ...]
    is_other: bool = False  # the last group: persons who gave no country


@dataclass(frozen=True)
class Listing:
    campaign_name: str
    language: str  # the language the wording is in ("en", "pt-BR")
    generated_at: datetime
    labels: Labels
    total: int
    countries: tuple[CountryGroup, ...]
    organizations: tuple[Entry, ...]

    @property
    def person_count(self) -> int:
        return sum(len(group.entries) for group in self.countries)

    @property
    def organization_count(self) -> int:
        return len(self.organizations)


def build_listing(
    rows: Sequence[Signatory], *, campaign_name: str, language: str, generated_at: datetime
) -> Listing:
    """Group and sort `rows` the way appeals are printed; every row given is shown."""
    words, locale = _resolve_language(language)
    persons = [row for row in rows if row.kind is not SignerKind.organization]
    organizations = [row for row in rows if row.kind is SignerKind.organization]
    total = len(rows)
    plural = locale.plural_form(total)
    count_text = words.get(f"count.{plural}", words["count.other"])
    labels = Labels(
        signatories=words["signatories"],
        organizations=words["organizations"],
        countries=words["countries"],
        total=count_text.format(count=format_decimal(total, locale=locale)),
        updated=words["updated"].format(
            date=format_date(generated_at.date(), format="long", locale=locale)
        ),
    )
    org_entries = sorted(
        ((_organization_entry(row), row) for row in organizations),
        key=lambda pair: (_collation_key(pair[0].parts[0] if pair[0].parts else ""), pair[1].id),
    )
    return Listing(
        campaign_name=_clean(campaign_name),
        language=_language_tag(locale),
        generated_at=generated_at,
        labels=labels,
        total=total,
        countries=_group_by_country(persons, locale, words["other"]),
        organizations=tuple(entry for entry, _ in org_entries),
    )


def collation_key(text: str) -> tuple[str, str]:
    """Sort key close to a dictionary's order without a collation library: accents and case ignored."""
    return (_collation_key(text), text)


def safe_link(website: str) -> str:
    """The website as an http(s) URL fit for an href, or "" (never `javascript:` or the like)."""
    value = _clean(website)
    if not value or _UNSAFE_URL_CHARS.search(value):
        return ""
    if _BARE_DOMAIN.match(value):
        value = "https://" + value
    try:
        parts = urlsplit(value)
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return ""
    return value


# Letters NFKD does not take apart; enough for names written in Latin script.
_FOLD = str.maketrans(
    {"ł": "l", "ø": "o", "æ": "ae", "œ": "oe", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
)
# C0/C1 controls become spaces; bidi embeddings, overrides and isolates are dropped (they can make a
# published line read backwards).
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]+")
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
_SPACES = re.compile(r"\s+")
_UNSAFE_URL_CHARS = re.compile(r"[\s<>\"'`\\{}|^]")
_BARE_DOMAIN = re.compile(r"^(?:[^\W_](?:[\w-]*[^\W_])?\.)+[^\W\d_]{2,}(?:[/?#].*)?$")


def _clean(text: str) -> str:
    """One tidy line: controls and line breaks become spaces, runs of spaces collapse."""
    text = _BIDI.sub("", _CONTROLS.sub(" ", text))
    return _SPACES.sub(" ", text).strip()


def _collation_key(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", _clean(text).casefold().translate(_FOLD))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    # Leading quotes or dashes ("«Solidarność»") should not send an entry to the top.
    return stripped.lstrip("\"'«»“”„‘’-–—([ ")


def _resolve_language(language: str) -> tuple[Mapping[str, str], Locale]:
    base = re.split(r"[-_]", language.strip(), maxsplit=1)[0].lower()
    if base not in WORDS:
        return WORDS[DEFAULT_LANGUAGE], Locale.parse(DEFAULT_LANGUAGE)
    try:
        locale = Locale.parse(language.strip().replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        locale = Locale.parse(base)
    if locale.language != base:
        locale = Locale.parse(base)
    return WORDS[base], locale


def _language_tag(locale: Locale) -> str:
    return f"{locale.language}-{locale.territory}" if locale.territory else locale.language


def _person_entry(row: Signatory) -> Entry:
    full_name = _clean(f"{row.first_name} {row.name}")
    return _entry(row, (full_name, row.presentation, row.organization))


def _organization_entry(row: Signatory) -> Entry:
    title = row.organization or f"{row.first_name} {row.name}"
    return _entry(row, (title, row.presentation, row.country))


def _entry(row: Signatory, parts: Iterable[str]) -> Entry:
    return Entry(
        id=row.id,
        parts=tuple(part for part in map(_clean, parts) if part),
        website=_clean(row.website),
        link=safe_link(row.website),
        email=_clean(row.email),
    )


def _group_by_country(
    persons: Sequence[Signatory], locale: Locale, other_label: str
) -> tuple[CountryGroup, ...]:
    # Keyed by ISO code when known, so "Argentina" and "Argentine" from two normalizations meet;
    # an unrecognized country keeps its own group under the name the signer wrote.
    buckets: dict[str, list[Signatory]] = {}
    others: list[Signatory] = []
    for row in persons:
        if row.country_code:
            buckets.setdefault(row.country_code.strip().upper(), []).append(row)
        elif _clean(row.country):
            buckets.setdefault("x-" + _collation_key(row.country), []).append(row)
        else:
            others.append(row)
    groups = [_country_group(key, members, locale) for key, members in buckets.items()]
    groups.sort(key=lambda group: collation_key(group.name))
    if others:
        groups.append(_make_group(other_label, None, "other", others, is_other=True))
    return tuple(groups)


def _country_group(key: str, members: list[Signatory], locale: Locale) -> CountryGroup:
    names = Counter(_clean(row.country) for row in members if _clean(row.country))
    if names:
        # The most used spelling wins; ties go to the first in sort order, so output is stable.
        name = min(names, key=lambda n: (-names[n], collation_key(n)))
    else:
        name = locale.territories.get(key, key)
    code = None if key.startswith("x-") else key
    anchor = code.lower() if code else "x-" + (re.sub(r"\W+", "-", key[2:]).strip("-") or "x")
    return _make_group(name, code, anchor, members)


def _make_group(
    name: str, code: str | None, anchor: str, members: list[Signatory], *, is_other: bool = False
) -> CountryGroup:
    members = sorted(
        members,
        key=lambda row: (
            collation_key(row.name or row.first_name),
            collation_key(row.first_name),
            row.id,
        ),
    )
    return CountryGroup(
        name=name,
        code=code,
        anchor=anchor,
        entries=tuple(_person_entry(row) for row in members),
        is_other=is_other,
    )
