"""Confirmation mail: threaded, marked automatic, and immune to header injection."""

import email
from datetime import UTC, datetime
from email import policy

from mailbot.adapters.outgoing import compose
from mailbot.adapters.templates import make_template_env
from mailbot.config import CampaignSettings
from mailbot.core.model import is_bot_message_id

FIELDS = {"first_name": "Jean", "name": "Dupont", "country": "France",
          "presentation": "<script>alert(1)</script>Professor", "organization": "", "website": ""}


def render(name: str, subject: str = "Re: appeal"):
    _, data = compose(make_template_env(), "confirmation",
                      campaign=CampaignSettings(name="Appeal\r\nBcc: evil@x", address="a@campaign.example"),
                      recipient="jean@example.org", recipient_name=name, subject=subject,
                      in_reply_to="<orig@example.org>", references=["<call@campaign.example>"],
                      context={"fields": FIELDS, "status": "approved", "changed": False},
                      now=datetime(2026, 11, 23, tzinfo=UTC))
    return email.message_from_bytes(data, policy=policy.default)


def test_reply_is_threaded_and_automatic():
    """In-Reply-To and References point to the reply; Auto-Submitted says a robot wrote it."""
    msg = render("Jean Dupont")
    assert msg["In-Reply-To"] == "<orig@example.org>"
    assert msg["References"] == "<call@campaign.example> <orig@example.org>"
    assert msg["Auto-Submitted"] == "auto-replied"
    # the bot's mark: a reply to this mail quotes the bot, not a form the signer filled in
    assert is_bot_message_id(msg["Message-ID"]) and msg["Message-ID"].endswith("@campaign.example>")
    assert msg.get_body(("plain",)).get_content().count("Jean") >= 2


def test_cr_lf_and_nul_never_reach_a_header():
    """A name or campaign carrying CR, LF or NUL cannot add a header."""
    msg = render("Jean\r\nBcc: evil@example.org\x00", subject="Re: x\nBcc: evil2@example.org")
    assert msg["Bcc"] is None
    assert all("\n" not in str(v) and "\x00" not in str(v) for _, v in msg.items())
    assert msg["To"].addresses[0].addr_spec == "jean@example.org"


def test_html_part_escapes_fields():
    """A script in a field is text in the HTML part."""
    html = render("Jean").get_body(("html",)).get_content()
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;Professor" in html
