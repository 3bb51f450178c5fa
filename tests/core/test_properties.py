"""Property tests: nothing in the core raises, whatever text or bytes arrive."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from mailbot.core.classify import Mail, classify
from mailbot.core.clean import clean
from mailbot.core.decode import decode_mail
from mailbot.core.extract import extract_labeled, split_labeled
from mailbot.core.freeform import extract_free
from mailbot.core.model import Kind
from mailbot.core.normalize import normalize_country, normalize_name, normalize_website
from mailbot.core.reply import ParseRules, read_reply

RULES = ParseRules(campaign_address="appeal@campaign.example")
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_LINE = st.sampled_from([
    "First name: Jean", "Name: DUPONT", "> First name:", "Jean", "Nom : Dupont", "Country: France",
    "On Tue, 9 Feb 2021, Appeal <a@b.c> wrote:", "-- ", "-----Original Message-----", "From: x",
    "Sent: today", "> ", "", "Please remove my signature", "Je signe : Jean Dupont, France.",
    "Website: javascript:alert(1)", "Страна: Россия", "=?utf-8?q?x?=", "Content-Type: text/html",
    "<b>Prénom</b>: Zoé", "\x00", "\udcff", "Nome: Ana", "Cognome: Rossi", "?",
])
mail_like = st.lists(st.one_of(_LINE, st.text(max_size=40)), max_size=25).map("\n".join)


@FAST
@given(st.binary(max_size=3000))
@example(b"")
@example(b"\xff\xfe\x00")
@example(b"Content-Type: multipart/mixed; boundary=x\n\n--x\n"
         b"Content-Type: text/html; charset=x-unknown\n\n<p>\xe9</p>")
@example(b"Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n!!!notbase64")
def test_read_reply_never_raises_on_bytes(raw):
    """Arbitrary bytes give a Reply, with a confidence in [0, 1]."""
    reply = read_reply(raw, RULES)
    assert isinstance(reply.kind, Kind)
    assert 0.0 <= reply.confidence <= 1.0


@FAST
@given(mail_like)
def test_read_reply_never_raises_on_mail_like_text(body):
    """Mail-like text after a header block gives a Reply."""
    raw = ("From: Jean <jean@example.org>\nSubject: Re: appeal\n\n" + body).encode("utf-8", "surrogatepass")
    reply = read_reply(raw, RULES)
    assert reply.named <= {"first_name", "name", "country", "presentation", "organization", "website"}


@FAST
@given(st.one_of(mail_like, st.text(max_size=500)))
@example("> First name:\n> Name:\n> Country:")
def test_extraction_and_classification_never_raise(text):
    """clean, extract and classify accept any text."""
    cleaned = clean(text)
    labeled = extract_labeled(cleaned)
    free = extract_free(list(labeled.prose), "Jean Dupont")
    decoded = decode_mail(b"From: x@y.z\n\n")
    assert classify(Mail(decoded, cleaned, labeled, free, "appeal@campaign.example")).kind in Kind
    for line in text.split("\n"):
        split_labeled(line)


@FAST
@given(st.text(max_size=80))
def test_normalizers_never_raise(text):
    """Country, name and website normalizers accept any text."""
    normalize_country(text)
    normalize_name(text)
    normalize_name(text, surname=True)
    url, _ = normalize_website(text)
    assert url == "" or url.startswith(("http://", "https://"))


@FAST
@given(mail_like)
def test_quoted_blank_form_never_yields_values(body):
    """Lines that are all quoted never give a field value."""
    quoted = "\n".join("> " + line for line in body.split("\n"))
    labeled = extract_labeled(clean(quoted))
    assert not any(labeled.values.values())


@given(st.integers(min_value=2001, max_value=20_000), st.sampled_from(["presentation", "organization"]))
@settings(max_examples=10, deadline=None)
def test_overlong_value_is_kept_cut_and_flagged_never_dropped(length, field):
    """One unbroken 5,000-character value is not silently lost with full confidence."""
    label = {"presentation": "Presentation", "organization": "Organization"}[field]
    raw = ("From: jean@example.org\r\nSubject: Re: appeal\r\n\r\nFirst name: Jean\r\nName: Dupont\r\n"
           f"Country: France\r\n{label}: {'x' * length}\r\n").encode()
    reply = read_reply(raw, ParseRules(campaign_address="appeal@campaign.example"))
    assert getattr(reply.fields, field).startswith("xxxx")
    assert reply.confidence < 0.9 and f"{field} is unusually long" in reply.reasons
