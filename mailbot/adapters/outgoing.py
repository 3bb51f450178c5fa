"""Mail mailbot writes: confirmations and withdrawal notices, from Jinja2 templates."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid
from typing import Any

from jinja2 import Environment

from mailbot.config import CampaignSettings
from mailbot.core.model import BOT_MESSAGE_ID_MARK

_UNSAFE = re.compile(r"[\r\n\x00]+")

FIELD_LABELS = {
    "first_name": "First name", "name": "Name", "country": "Country",
    "presentation": "Presentation", "organization": "Organization", "website": "Website",
}


def header_safe(value: str, limit: int = 200) -> str:
    """No CR, LF or NUL ever reaches an outgoing header (header injection), and no novel."""
    return _UNSAFE.sub(" ", value).strip()[:limit]


def compose(env: Environment, template: str, *, campaign: CampaignSettings, recipient: str,
            recipient_name: str, subject: str, in_reply_to: str, references: Sequence[str],
            context: Mapping[str, Any], now: datetime) -> tuple[str, bytes]:
    """Render `mail/<template>.{subject,txt,html}.j2` into a threaded reply; return (Message-ID, bytes)."""
    domain = campaign.address.rpartition("@")[2] or "localhost"
    message_id = make_msgid(idstring=BOT_MESSAGE_ID_MARK, domain=domain)
    values = dict(context, campaign=campaign, subject=subject, labels=FIELD_LABELS)
    msg = EmailMessage(policy=SMTP)
    msg["From"] = Address(header_safe(campaign.name), addr_spec=campaign.address)
    msg["To"] = Address(header_safe(recipient_name), addr_spec=recipient)
    msg["Subject"] = header_safe(env.get_template(f"mail/{template}.subject.j2").render(values), 250)
    msg["Date"] = format_datetime(now)
    msg["Message-ID"] = message_id
    # RFC 3834: an automatic answer says so, so that other robots do not answer it.
    msg["Auto-Submitted"] = "auto-replied"
    msg["X-Auto-Response-Suppress"] = "All"
    if in_reply_to:
        msg["In-Reply-To"] = header_safe(in_reply_to, 998)
        refs = [header_safe(r, 998) for r in references if r][-10:]
        if in_reply_to not in refs:
            refs.append(header_safe(in_reply_to, 998))
        msg["References"] = " ".join(refs)
    msg.set_content(env.get_template(f"mail/{template}.txt.j2").render(values))
    msg.add_alternative(env.get_template(f"mail/{template}.html.j2").render(values), subtype="html")
    return message_id, msg.as_bytes()
