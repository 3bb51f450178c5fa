"""Say what kind of reply a mail is, by an ordered table of rules: the first hit decides.

Machines first (bounces, auto-replies, lists: never answered, RFC 3834), then what a person
asks (withdrawal, correction), then forwards, signatures and questions.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from mailbot.core import phrases
from mailbot.core.clean import CleanText
from mailbot.core.decode import DecodedMail
from mailbot.core.extract import Labeled
from mailbot.core.freeform import FreeForm
from mailbot.core.labels import PERSON_KEYS, fold
from mailbot.core.model import FIELD_NAMES, Kind

_ADDRESS = re.compile(r"[\w.+'=-]+@[\w-]+(?:\.[\w-]+)+")
_FAILURE = re.compile(r"\b5\d\d\b|\b5\.\d\.\d+\b|user unknown|unknown user|does not exist|no such user"
                      r"|mailbox (?:unavailable|not found|full)|recipient.{0,20}(?:rejected|unknown|failed)"
                      r"|undeliverable|could not be delivered|address rejected|permanent", re.I)


@dataclass(frozen=True)
class Mail:
    """Everything a rule may look at."""

    decoded: DecodedMail
    cleaned: CleanText
    labeled: Labeled
    free: FreeForm
    campaign_address: str

    @property
    def has_form(self) -> bool:
        return any(self.labeled.values.get(f) for f in (*FIELD_NAMES, *PERSON_KEYS))

    @property
    def prose(self) -> str:
        return fold("\n".join(self.labeled.prose))


@dataclass(frozen=True)
class Verdict:
    kind: Kind
    reasons: tuple[str, ...] = ()


Rule = Callable[[Mail], str]


def _report(mail: Mail) -> str:
    d = mail.decoded
    if d.content_type == "multipart/report" or "message/delivery-status" in d.part_types:
        return f"delivery report ({d.report_type or 'multipart/report'})"
    return ""


def _read_receipt(mail: Mail) -> str:
    d = mail.decoded
    if d.report_type == "disposition-notification" or "message/disposition-notification" in d.part_types:
        return "read receipt (disposition notification)"
    return ""


def _bounce_sender(mail: Mail) -> str:
    d = mail.decoded
    if failed := d.header("x-failed-recipients"):
        return f"X-Failed-Recipients: {failed[:80]}"
    if phrases.BOUNCE_SENDER.search(d.sender.split("@")[0]):
        return f"sent by {d.sender.split('@')[0]}"
    if phrases.BOUNCE_SUBJECT.search(fold(d.subject)) and not mail.has_form:
        return "bounce subject"
    return ""


def _auto_header(mail: Mail) -> str:
    d = mail.decoded
    auto = d.header("auto-submitted").lower()
    if auto and not auto.startswith("no"):
        return f"Auto-Submitted: {auto[:40]}"
    for name in ("x-autoreply", "x-autorespond", "x-autoresponder", "x-vacation"):
        if d.has_header(name):
            return f"{name} header"
    if d.header("precedence").lower().strip() == "auto_reply":
        return "Precedence: auto_reply"
    # Weak: some clients set it on mail a person wrote; a form or a signing phrase wins.
    if d.has_header("x-auto-response-suppress") and not mail.has_form and not mail.free.has_intent:
        return "X-Auto-Response-Suppress header"
    return ""


def _auto_subject(mail: Mail) -> str:
    return "auto-reply subject" if phrases.AUTO_REPLY_SUBJECT.search(fold(mail.decoded.subject)) else ""


def _bulk(mail: Mail) -> str:
    d = mail.decoded
    for name in ("list-id", "list-unsubscribe", "list-post", "x-mlserver", "x-ml-name"):
        if d.has_header(name):
            return f"{name} header"
    if d.header("precedence").lower().strip() in ("bulk", "list", "junk"):
        return f"Precedence: {d.header('precedence').lower().strip()}"
    if re.match(r"^(no-?reply|do-?not-?reply|newsletter|notifications?)\b", d.sender, re.I):
        return "sent from a no-reply address"
    return ""


def _auto_body(mail: Mail) -> str:
    if not mail.has_form and phrases.AUTO_REPLY_BODY.search(fold(mail.cleaned.own)):
        return "out-of-office text"
    return ""


def _withdrawal(mail: Mail) -> str:
    if not any((phrases.WITHDRAWAL.search(s) or phrases.wants_name_withheld(s) or phrases.wants_off_list(s))
               and not phrases.DONT_REMOVE.search(s) and not phrases.NAME_EDIT.search(s)
               for s in phrases.sentences(mail.prose)):
        return ""
    if phrases.UNSUBSCRIBE.search(mail.prose) and not phrases.SIGNATURE_WORDS.search(mail.prose):
        return ""  # "remove me from your mailing list": see _unsubscribe
    return "asks to withdraw the signature"


def _unsubscribe(mail: Mail) -> str:
    if phrases.UNSUBSCRIBE.search(mail.prose) and not mail.has_form and not mail.free.has_intent:
        # "sottoscrivo l'appello ... lo farò circolare nella mailing list" signs
        return "asks to stop receiving mail (not to withdraw a signature): staff should look"
    return ""


def _correction(mail: Mail) -> str:
    asked = phrases.CORRECTION.search(mail.prose) or phrases.CORRECTION.search(fold(mail.decoded.subject))
    if asked and mail.has_form:
        return "asks for a correction"
    return ""


def _correction_unclear(mail: Mail) -> str:
    asked = phrases.CORRECTION.search(mail.prose) or phrases.CORRECTION.search(fold(mail.decoded.subject))
    if asked and not mail.free.full_name:
        return "asks for a correction but gives no labeled field: staff should look"
    return ""


def _forward(mail: Mail) -> str:
    d = mail.decoded
    forwarded = phrases.FORWARD_SUBJECT.search(d.subject) or re.search(
        r"forwarded message|message transf|mensaje reenviado|mensagem encaminhada|weitergeleitet"
        r"|пересыла|messaggio inoltrato", fold(mail.cleaned.quote[:2000]))
    if forwarded and not mail.has_form and not (mail.free.has_intent and mail.free.full_name):
        return "forward of the appeal"  # "a ver si firmamos todos" above a forwarded appeal: no name
    return ""


def _form(mail: Mail) -> str:
    values = mail.labeled.values
    if not any(values.get(k) for k in (*PERSON_KEYS, "organization")) and _question(mail):
        return ""  # "Can I sign anonymously? Country — Uzbekistan, if it matters.": a question
    return "labeled form" if mail.has_form else ""


def _question(mail: Mail) -> str:
    text = fold(" ".join(line.strip() for line in mail.labeled.prose))
    text = re.sub(r"https?://\S+", " ", text)
    sentences = re.findall(r"[^.!?]+[.!?]*", text)
    if any(phrases.SIGN_INTENT.search(s) and phrases.BUT_FIRST.search(s) for s in sentences):
        return "wants to sign, but asks something first"
    if not any(s.rstrip().endswith("?") for s in sentences):
        return ""
    if mail.free.has_intent and any(
            phrases.SIGN_INTENT.search(s) and not s.rstrip().endswith("?")
            and not phrases.CONDITIONAL.search(s) and not phrases.WISH_TO_SIGN.search(s)
            for s in sentences):
        return ""  # "I sign. Will the list be published?": a signature that also asks
    return "asks a question"


def _free(mail: Mail) -> str:
    if mail.free.full_name and (mail.free.has_intent or mail.free.country or mail.free.own_name):
        return "free-form signature"
    if mail.free.has_intent:
        return "signing phrase without a readable name"
    return ""


RULES: tuple[tuple[Kind, Rule], ...] = (
    (Kind.auto_reply, _read_receipt),
    (Kind.bounce, _report),
    (Kind.bounce, _bounce_sender),
    (Kind.auto_reply, _auto_header),
    (Kind.auto_reply, _auto_subject),
    (Kind.bulk, _bulk),
    (Kind.auto_reply, _auto_body),
    (Kind.withdrawal, _withdrawal),
    (Kind.question, _unsubscribe),
    (Kind.correction, _correction),
    (Kind.question, _correction_unclear),
    (Kind.forward, _forward),
    (Kind.signature, _form),
    (Kind.question, _question),
    (Kind.signature, _free),
)


def classify(mail: Mail) -> Verdict:
    """The first rule that fires decides; nothing firing is `Kind.other`."""
    for kind, rule in RULES:
        if reason := rule(mail):
            if not kind.may_get_mail and kind is not Kind.question and mail.has_form:
                # never a signature (RFC 3834), but a person may have typed a form: say so
                return Verdict(kind, (reason, "a filled form is present: an organizer may look"))
            return Verdict(kind, (reason,))
    return Verdict(Kind.other, ("no rule matched",))


def bounced_recipients(mail: Mail) -> tuple[str, ...]:
    """Addresses a bounce reports as failed, lower-cased, in order."""
    d = mail.decoded
    found = [r.recipient for r in d.delivery
             if r.action.startswith("fail") or (not r.action and r.status.startswith("5"))]
    found += [a.lower() for a in _ADDRESS.findall(d.header("x-failed-recipients"))]
    if not found and not d.delivery:
        for line in d.text.split("\n")[:200]:
            if _FAILURE.search(line):
                found += [a.lower() for a in _ADDRESS.findall(line)]
    skip = {mail.campaign_address.lower(), d.sender}
    return tuple(dict.fromkeys(a.strip(".<>") for a in found if a and a not in skip))
