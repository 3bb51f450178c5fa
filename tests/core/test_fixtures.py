"""Our own fixtures, one per language, client and kind of mail, each with what it must give."""

from __future__ import annotations

from pathlib import Path

import pytest

from mailbot.core.model import Kind, SignerKind
from mailbot.core.reply import ParseRules, read_reply

MAILS = Path(__file__).parent.parent / "fixtures" / "mail"
RULES = ParseRules(campaign_address="appeal@campaign.example", language="en")
S, W = Kind.signature, Kind.withdrawal

# fixture: (kind, expected fields (subset), auto-approved?)
EXPECTED: dict[str, tuple[Kind, dict[str, object], bool | None]] = {
    "labeled-form-en": (S, dict(first_name="Mary", name="O'Connor", country_code="IE",
                                organization="Trinity College Dublin",
                                website="http://www.tcd.ie/history"), True),
    "labeled-form-fr-gmail-wrapped": (S, dict(first_name="Zoé", name="Dupont-Moreau", country_code="BE",
                                              country="Belgium", organization="CGSP Enseignement",
                                              website=""), True),
    "labeled-form-es-gmail-escribio": (S, dict(first_name="Juan", name="del Caño Pérez",
                                               country_code="ES", organization="CGT"), True),
    "labeled-form-pt-gmail-escreveu": (S, dict(first_name="Ana", name="Souza", country_code="PT",
                                               website="https://ces.uc.pt"), True),
    "labeled-form-de-latin1-schrieb": (S, dict(first_name="Jürgen", name="Müller", country_code="DE",
                                               presentation="Lehrer", organization="GEW",
                                               website="https://www.gew.de"), True),
    "labeled-form-ru-koi8r-napisal": (S, dict(first_name="Иван", name="Петров", country_code="RU",
                                              presentation="историк", organization="Мемориал"), True),
    "labeled-form-ru-windows-1251-base64": (S, dict(first_name="Ольга", name="Смирнова",
                                                    country_code="DE", presentation="журналист",
                                                    website="https://olga.example.net"), True),
    "labeled-form-it-ha-scritto": (S, dict(first_name="Giulia", name="Rossi", country_code="IT",
                                           organization="Università di Bologna"), True),
    "labeled-form-pt-nome-completo-particle": (S, dict(first_name="Maria", name="da Silva",
                                                       country_code="BR"), True),
    "labeled-form-full-name-en": (S, dict(first_name="Mary", name="McAllister", country_code="GB"), True),
    "labeled-form-all-caps-particles-es": (S, dict(first_name="Juan Carlos", name="del Caño",
                                                   country_code="AR"), True),
    "labeled-form-separators-en": (S, dict(first_name="Jean", name="Dupont", country_code="FR",
                                           presentation="teacher"), True),
    "labeled-form-markdown-bullets-en": (S, dict(first_name="Jean", name="Dupont", country_code="FR",
                                                 website="https://jean.example.org"), True),
    "inline-answers-under-quoted-labels-en": (S, dict(first_name="Jean", name="Dupont", country_code="FR",
                                                      presentation="retired teacher",
                                                      organization=""), True),
    "quoted-blank-form-only-en": (Kind.other, dict(first_name="", name="", country_code=None), False),
    "outlook-from-sent-block-en": (S, dict(first_name="Peter", name="Novak", country_code="CZ",
                                           organization=""), True),
    "outlook-original-message-de": (S, dict(first_name="Anna", name="Schmidt", country_code="AT"), True),
    "apple-mail-html-blockquote-bold-labels-fr": (S, dict(first_name="Hélène", name="Leclerc",
                                                          country_code="FR", presentation="syndicaliste",
                                                          organization=""), True),
    "outlook-html-table-form-en": (S, dict(first_name="Kwame", name="Mensah", country_code="GH",
                                           presentation="economist"), True),
    "rfc2047-headers-latin1-fr": (S, dict(first_name="François", name="Léger", country_code="CH",
                                          presentation="médecin"), True),
    "signature-block-and-disclaimer-en": (S, dict(first_name="John", name="Smith", country_code="GB",
                                                  website=""), True),
    "mobile-footer-iphone-es": (S, dict(first_name="Lucía", name="Fernández", country_code="UY"), True),
    "ooo-autoreply-fr-subject-only": (Kind.auto_reply, {}, None),
    "ooo-autoreply-es-subject-only": (Kind.auto_reply, {}, None),
    "ooo-autoreply-de-body-only": (Kind.auto_reply, {}, None),
    "ooo-outlook-auto-response-suppress-en": (Kind.auto_reply, {}, None),
    "ooo-autoreply-ru-header": (Kind.auto_reply, {}, None),
    "bounce-postmaster-plain-en": (Kind.bounce, {}, None),
    "bounce-exim-x-failed-recipients": (Kind.bounce, {}, None),
    "bounce-dsn-delayed-not-failed": (Kind.bounce, {}, None),
    "fuzzed-delivery-report-broken-block": (Kind.bounce, {}, None),  # see test_kinds.py
    "read-receipt-mdn": (Kind.auto_reply, {}, None),
    "newsletter-list-id": (Kind.bulk, {}, None),
    "forward-to-friend-de": (Kind.forward, {}, None),
    "question-fr": (Kind.question, {}, None),
    **{f"withdrawal-{lang}": (W, {}, None) for lang in ("en", "fr", "es", "pt", "de", "ru", "it")},
    "correction-fr": (Kind.correction, dict(name="Dupond"), None),
    "several-signatories-en": (S, dict(first_name="Jean", name="Dupont", country_code="FR"), False),
    "organization-signing-en": (S, dict(organization="Attac France", country_code="FR",
                                        website="https://france.attac.org"), False),
    "free-form-name-block-en": (S, dict(first_name="Jean", name="Dupont", country_code="FR"), False),
    "free-form-please-add-my-name-en": (S, dict(first_name="Jean", name="Dupont", country_code="FR"), False),
    "free-form-several-signatories-en": (S, dict(first_name="Jean", name="Dupont"), False),
    "website-javascript-dropped-en": (S, dict(website="", country_code="FR"), False),
    "country-unknown-narnia-en": (S, dict(country_code=None), False),
    "name-differs-from-sender-en": (S, dict(first_name="Barack", name="Obama", country_code="US"), False),
    "name-register-order-comma-fr": (S, dict(first_name="Jean", name="Dupont", country_code="FR"), False),
    "first-name-repeated-in-name-en": (S, dict(first_name="Jean", name="Dupont"), True),
    "own-quotation-wrote-before-form-en": (S, dict(first_name="Jean", name="Dupont",
                                                   country_code="FR"), True),
    "free-form-name-and-labeled-country-en": (S, dict(first_name="Jean", name="Dupont",
                                                      country_code="FR"), False),
    "apple-mail-plain-on-at-wrote-sv": (S, dict(first_name="Lisa", name="Berg", country_code="SE",
                                                organization=""), True),
    "bottom-posted-reply-en": (S, dict(first_name="Jean", name="Dupont", country_code="FR"), True),
    "thunderbird-html-moz-cite-de": (S, dict(first_name="Jan", name="de Vries", country_code="NL"), True),
    "alternative-plain-placeholder-html-form-en": (S, dict(first_name="Jean", presentation="teacher"), True),
    "html-cp1252-mislabelled-latin1-fr": (S, dict(first_name="Jean", presentation="membre d’Attac"), True),
    "disclaimer-like-sentence-before-form-en": (S, dict(first_name="Jean", country_code="FR"), True),
    "labeled-form-nome-holds-two-names-it": (S, dict(first_name="Giulia", name="Maria"), False),
    "ooo-no-headers-outlook-quote-fr": (Kind.auto_reply, {}, None),
    "signature-with-question-en": (S, dict(first_name="Jean", country_code="FR"), False),
    "bounce-dsn-original-with-filled-form": (Kind.bounce, {}, None),
    "forward-with-own-form-en": (S, dict(first_name="Jean", name="Dupont", country_code="FR"), True),
    "labeled-country-abbreviation-uk-en": (S, dict(country_code="GB", country="United Kingdom"), True),
    "x-autoreply-header-with-form": (Kind.auto_reply, {}, None),
    # the sender's "Petr" is "Пётр" in Latin letters: the same person, approved
    "charset-x-mac-cyrillic-ru": (S, dict(first_name="Пётр", name="Сидоров", country_code="UA"), True),
    "correction-rfc2047-subject-de": (Kind.correction, dict(name="Müller-Lüdenscheidt"), None),
    "quoted-confirmation-mentions-withdrawal-en": (Kind.other, dict(first_name=""), None),
    "unsubscribe-mailing-list-not-withdrawal-en": (Kind.question, {}, None),
    "withdrawal-and-unsubscribe-en": (W, {}, None),
    # "Nom" (a slip for "Nome", or Catalan) beside "Cognome": the first name, approved
    "label-language-ambiguous-nom-cognome-it": (S, dict(first_name="Giulia", name="Rossi",
                                                        country_code="IT"), True),
    "reply-to-differs-from-sender-en": (S, dict(first_name="Jean", name="Dupont"), False),
    "yahoo-plain-reply-pt": (S, dict(first_name="Beatriz", name="Lima", country_code="BR"), True),
    "outlook-header-block-fr": (S, dict(first_name="Marc", name="Girard", country_code="CA",
                                        organization=""), True),
    "gmail-html-bold-labels-es": (S, dict(first_name="Carmen", name="Ruiz", country_code="MX"), True),
    "outlook-desktop-html-mso-en": (S, dict(first_name="Aoife", name="Byrne", country_code="IE"), True),
    "we-sign-two-people-lines-en": (S, dict(first_name="Jean", name="Dupont"), False),
    "bulk-list-reply-with-form-en": (Kind.bulk, {}, None),
    "spoofing-lookalike-letters-and-bidi-en": (S, dict(name="Dupont"), False),
    "withdrawal-sentence-before-label-en": (W, {}, None),
    "prose-line-between-labels-en": (S, dict(
        name="Dupont", country_code="FR",
        presentation="professor of sociology at the University of Lyon and editor of the journal "
                     "Contretemps"),
        True),
    "blank-label-then-closing-name-en": (S, dict(first_name="Penelope", country_code="FR"), False),
    "values-under-own-labels-en": (S, dict(first_name="Jean", name="Dupont", country_code="FR"), True),
    "html-sent-as-text-plain-en": (S, dict(first_name="Jean", name="Dupont", country_code="FR"), True),
    "html-table-horizontal-rows-en": (S, dict(first_name="Jean", name="Dupont", country_code="FR",
                                              website=""), True),
    "format-flowed-long-presentation-en": (S, dict(
        presentation="professor of sociology at the University of Lyon and member of the editorial board",
        organization="CNRS"), True),
    "answers-typed-inside-quoted-appeal-de": (S, dict(first_name="Markus", name="Braun", country_code="DE",
                                                      presentation="Erzieher in einer Kita"), True),
    # the quote is a mail of the bot (its Message-ID mark): its fields are not the signer's answers
    "reply-to-bot-mail-quoting-fields-en": (S, dict(first_name="Jean", name="Dupont"), False),
    "label-typo-doubled-letter-it": (S, dict(first_name="Sara", name="Conti", country_code="IT"), True),
    "fields-in-a-sentence-without-colons-pt": (S, dict(
        first_name="Carla", name="Menezes", country_code="AO",
        presentation="estudante de enfermagem em Luanda"), True),
    # a city and no country: the city's country suggested to the reviewer, never approved
    "free-form-country-from-city-fr": (S, dict(first_name="Sylvie", name="Perret", country_code="FR"), False),
    "labeled-country-is-a-city-de": (S, dict(first_name="Claudia", name="Richter", country_code="DE"), False),
    # a correction in words: the field and its quoted value read, held for a look before applying
    "correction-in-words-quoted-value-en": (Kind.correction, dict(presentation="Charge nurse (retired)"),
                                            False),
    "unknown-label-holds-entry-en": (S, dict(first_name="Kofi", name="Mensah", country_code="GH",
                                             presentation=""), False),
    "label-copied-with-hint-es": (S, dict(first_name="Lucía", name="Fernández Ruiz", country_code="MX",
                                          presentation="Abogada laboralista", organization="UNAM",
                                          website=""), True),
    "html-table-text-part-label-below-de": (S, dict(first_name="Uwe", name="Schmitt",
                                                    country_code="DE", presentation="Gewerkschafter"),
                                            True),
    "question-mentioning-signing-en": (Kind.question, {}, False),
    "value-wrapped-over-three-lines-ru": (S, dict(
        first_name="Сергей", name="Фёдоров", country_code="EE",
        presentation="Профессор кафедры новейшей истории и координатор исследовательской сети по "
                     "изучению социальных движений и рабочего класса"), True),
    "ps-line-is-prose-fr": (S, dict(first_name="Marie", name="Curie", country_code="FR"), True),
}
BOUNCED = {
    "bounce-postmaster-plain-en": ("jane.doe@example.net",),
    "bounce-exim-x-failed-recipients": ("old.address@example.org",),
    "bounce-dsn-delayed-not-failed": (),
    "bounce-dsn-original-with-filled-form": ("gone@example.com",),
}
NAMED = {"correction-fr": {"name"}, "correction-rfc2047-subject-de": {"name"}}
REASON = {
    "several-signatories-en": "several signatories",
    "free-form-several-signatories-en": "several signatories",
    "country-unknown-narnia-en": "country not recognized: 'Narnia'",
    "website-javascript-dropped-en": "website dropped",
    "name-differs-from-sender-en": "differs from the sender",
    "labeled-form-nome-holds-two-names-it": "name split uncertain",
    "signature-with-question-en": "asks a question",
    "label-language-ambiguous-nom-cognome-it": "'Nom' beside a surname label read as the first name",
    "reply-to-differs-from-sender-en": "Reply-To",
    "we-sign-two-people-lines-en": "several signatories",
    "bulk-list-reply-with-form-en": "a filled form is present",
    "spoofing-lookalike-letters-and-bidi-en": "mixes alphabets",
    "unknown-label-holds-entry-en": "labels not understood, not read: 'Kurzbio'",
    "correction-in-words-quoted-value-en": "read from a sentence: check before applying",
    "free-form-country-from-city-fr": "country guessed from the place 'Grenoble'",
    "labeled-country-is-a-city-de": "DE guessed from the city in 'Hamburg'",
}


def test_every_fixture_has_an_expectation():
    """No fixture sits in the folder untested."""
    assert {p.stem for p in MAILS.glob("*.eml")} == set(EXPECTED)


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_fixture_reads_as_expected(stem):
    """Kind, fields, approval, bounced addresses, named fields and reasons match the table."""
    reply = read_reply((MAILS / f"{stem}.eml").read_bytes(), RULES)
    kind, fields, approved = EXPECTED[stem]
    assert reply.kind is kind, reply.reasons
    for name, value in fields.items():
        assert getattr(reply.fields, name) == value, (name, reply.reasons)
    if approved is not None:
        is_approved = reply.is_complete and reply.confidence >= RULES.auto_approve_threshold
        assert is_approved is approved, (reply.confidence, reply.reasons)
    if stem in BOUNCED:
        assert reply.bounced == BOUNCED[stem]
    if stem in NAMED:
        assert reply.named == NAMED[stem]
    if stem in REASON:
        assert any(REASON[stem] in r for r in reply.reasons), reply.reasons
    if not kind.may_get_mail:
        assert reply.confidence < RULES.auto_approve_threshold or kind is not Kind.signature


def test_organization_signing_is_an_organization_entry():
    """An organization with no person named is listed as an organization."""
    reply = read_reply((MAILS / "organization-signing-en.eml").read_bytes(), RULES)
    assert reply.signer_kind is SignerKind.organization
    assert reply.is_complete


def test_campaign_display_override():
    """A campaign override replaces the CLDR name ("ES" printed as "Spanish State")."""
    rules = ParseRules(campaign_address="appeal@campaign.example", language="fr",
                       country_names={"ES": "État espagnol"})
    reply = read_reply((MAILS / "labeled-form-es-gmail-escribio.eml").read_bytes(), rules)
    assert reply.fields.country == "État espagnol"
    reply = read_reply((MAILS / "labeled-form-it-ha-scritto.eml").read_bytes(), rules)
    assert reply.fields.country == "Italie"


def test_logs_never_hold_bodies_or_names(caplog):
    """Parsing logs identifiers and kinds only: no body text, no field value."""
    caplog.set_level("DEBUG")
    for stem in ("labeled-form-fr-gmail-wrapped", "bounce-postmaster-plain-en", "withdrawal-ru"):
        read_reply((MAILS / f"{stem}.eml").read_bytes(), RULES)
    logged = " ".join(r.getMessage() for r in caplog.records)
    for secret in ("Zoé", "Dupont", "CGSP", "jane.doe", "подпись", "Belgique"):
        assert secret not in logged
