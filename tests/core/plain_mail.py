"""A plain-text reply to the appeal, as the core tests feed it to `read_reply`."""

from mailbot.core.reply import ParseRules

RULES = ParseRules(campaign_address="appeal@campaign.example")


def plain_mail(body: str, sender: str = "A Person <a.person@example.org>", subject: str = "Re: Appeal",
               in_reply_to: str = "") -> bytes:
    """The bytes of a utf-8, 8bit text mail to the campaign; `in_reply_to` as a Message-ID."""
    reply_to = f"In-Reply-To: <{in_reply_to}>\n" if in_reply_to else ""
    return (f"From: {sender}\nTo: appeal@campaign.example\nSubject: {subject}\nMessage-ID: <t@example.org>\n"
            f"{reply_to}MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n"
            "Content-Transfer-Encoding: 8bit\n\n" + body + "\n").encode()
