"""The entry point: raw bytes of one inbound mail to a `Reply`; never raises.

decode -> clean -> extract (labeled, else free-form) -> classify -> normalize and score.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from mailbot.core import countries
from mailbot.core.classify import Mail, bounced_recipients, classify
from mailbot.core.clean import CleanText, clean, quotes_mail_of
from mailbot.core.decode import DecodedMail, decode_mail
from mailbot.core.extract import blank_quoted_label, extract_inline, extract_labeled, fields_in_prose
from mailbot.core.fields import build
from mailbot.core.freeform import FreeForm, extract_free, own_words, spelled_in
from mailbot.core.labels import FULL_NAME, PERSON_KEYS, fold
from mailbot.core.model import FIELD_NAMES, Kind, Reply, is_bot_message_id
from mailbot.core.normalize import country_display
from mailbot.core.phrases import ANSWERS_BELOW, CORRECTION, POLITE_REQUEST, SIGN_INTENT, language_of

__all__ = ["ParseRules", "read_reply", "country_display"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ParseRules:
    campaign_address: str  # the appeal's address, e.g. "appeal@campaign.example"
    language: str = "en"  # display language for country names
    country_names: Mapping[str, str] = field(default_factory=dict)  # ISO code -> display override
    auto_approve_threshold: float = 0.8


def read_reply(raw: bytes, rules: ParseRules) -> Reply:
    """Everything the core can tell about one mail; doubt is in `confidence` and `reasons`."""
    try:
        return _read(raw, rules)
    except Exception as exc:  # a bug must not stop the batch: the mail goes to review
        log.exception("parsing failed, kept for review")
        return Reply(message_id="", sender="", sender_name="", subject="", date=None, in_reply_to="",
                     references=(), kind=Kind.other,
                     reasons=(f"could not be parsed ({type(exc).__name__}); needs review",))


def _answered_inside_quote(decoded: DecodedMail, cleaned: CleanText, rules: ParseRules) -> bool:
    """May the quote hold the signer's answers? Only a quote of the campaign's own mail (its
    address in the attribution, or a reply quoting a form with a label still blank), when the reply
    is not to a mail of the bot (whose quote repeats fields already recorded)."""
    if any(is_bot_message_id(m) for m in (decoded.in_reply_to, *decoded.references)):
        return False
    from_campaign = bool(rules.campaign_address) and quotes_mail_of(cleaned, rules.campaign_address)
    # or a reply to a mail of the campaign's own domain: "<appeal-...@campaign.example>"
    domain = rules.campaign_address.rpartition("@")[2].lower()
    from_campaign = from_campaign or bool(domain) and any(
        m.lower().rstrip(">").endswith("@" + domain) for m in (decoded.in_reply_to, *decoded.references) if m)
    # or a reply whose quote still has a blank label of the appeal's form ("Organisation (facultatif) :")
    if not from_campaign and not (decoded.in_reply_to and blank_quoted_label(cleaned)):
        return False
    # Nothing written above the quote but the attribution, or words of signing: "Thanks, all
    # good!" above a quoted list of fields is a thank-you, not a signature.
    own = [line for line in cleaned.own.splitlines() if rules.campaign_address.lower() not in line.lower()]
    if any(SIGN_INTENT.search(fold(line)) or ANSWERS_BELOW.search(fold(line)) for line in own):
        return True
    if _THANKS.search(fold(" ".join(own))):
        return False  # "Thanks, all good!" above a quoted confirmation: a thank-you, not a signature
    # greetings, closings and the signer's own name ("Revd Margaret Ellison", "Lg, Stefan") say
    # nothing; one short line of good wishes may stand with them ("With prayers for the men")
    rest = [line for line in own_words(own) if not _signers_line(line, decoded.sender_name)]
    return not rest or len(rest) == 1 and len(rest[0].split()) <= 12 and "?" not in rest[0]


_THANKS = re.compile(r"\b(?:thanks?|thank you|merci|gracias|obrigad\w|danke|grazie|спасибо|благодар\w*)\b")


def _signers_line(line: str, sender_name: str) -> bool:
    """A short line with a word of the sender's name ("Revd Margaret Ellison", "Lg, Stefan")."""
    words = {w for w in re.findall(r"[^\W\d_]{3,}", fold(line))}
    return len(line.split()) <= 4 and not re.search(r"\d", line) and \
        bool(words & set(re.findall(r"[^\W\d_]{3,}", fold(sender_name))))


def _one_line_entry(raw: dict[str, str]) -> bool:
    """ "Подпись: Елизавета Фёдорова, студентка, Армения.": a full-name field that goes on with a
    presentation and a country is split into them (in place); the caller holds the entry."""
    full = raw.get(FULL_NAME, "")
    parts = [p.strip(" .") for p in full.split(",") if p.strip(" .")]
    if len(parts) < 2 or raw.get("country") or len(parts[0].split()) > 4:
        return False
    country = next((p for p in parts[1:] if countries.lookup(p)), "")
    if not country:
        return False
    raw[FULL_NAME], raw["country"] = parts[0], country
    rest = ", ".join(p for p in parts[1:] if p != country)
    if rest and not raw.get("presentation"):
        raw["presentation"] = rest
    return True


def _read(raw: bytes, rules: ParseRules) -> Reply:
    decoded = decode_mail(raw if isinstance(raw, bytes) else bytes(raw))
    cleaned = clean(decoded.text)
    labeled = extract_labeled(cleaned)
    has_person = any(labeled.values.get(k) for k in PERSON_KEYS)
    if not has_person and _answered_inside_quote(decoded, cleaned, rules):
        inline = extract_inline(cleaned)
        if sum(bool(inline.values.get(k)) for k in (*PERSON_KEYS, "country")) >= 2:
            labeled = replace(inline, prose=labeled.prose,
                              reasons=(*inline.reasons, "answers typed inside the quoted appeal"))
            has_person = True
            # the quote is where the answers are: nothing was cut wrongly
            cleaned = replace(cleaned, cut_failed=False, reasons=tuple(
                r for r in cleaned.reasons if not r.startswith(("nothing left", "the reply holds only"))))
    in_prose = False
    if not any(labeled.values.get(k) for k in (*FIELD_NAMES, *PERSON_KEYS)) and \
            CORRECTION.search(fold(" ".join(labeled.prose))) and (found := fields_in_prose(labeled.prose)):
        # "Please change my presentation to "Charge nurse (retired)"": a correction in words
        labeled = replace(labeled, values=found, reasons=(*labeled.reasons, "fields read from a sentence"))
        in_prose = True
    free = FreeForm()
    if not has_person:
        free = extract_free(list(labeled.prose), decoded.sender_name, cleaned.tail.splitlines(),
                            decoded.sender, decoded.subject)
    mail = Mail(decoded, cleaned, labeled, free, rules.campaign_address)
    verdict = classify(mail)
    kind = verdict.kind
    reasons = list(verdict.reasons) + list(decoded.defects)
    language = labeled.language or free.language or language_of(cleaned.own)
    base = Reply(message_id=decoded.message_id, sender=decoded.sender, sender_name=decoded.sender_name,
                 subject=decoded.subject, date=decoded.date, in_reply_to=decoded.in_reply_to,
                 references=decoded.references, kind=kind, language=language, text=cleaned.own)
    if kind is Kind.bounce:
        bounced = bounced_recipients(mail)
        if not bounced:
            reasons.append("no failed recipient found in the bounce")
        log.info("classified message_id=%s kind=%s", decoded.message_id, kind)
        return replace(base, bounced=bounced, reasons=tuple(reasons))
    if kind not in (Kind.signature, Kind.correction):
        confidence = 0.9 if kind is Kind.withdrawal else 0.0
        if kind is Kind.withdrawal and mail.has_form:
            confidence = 0.5
            reasons.append("also contains a filled form")
        log.info("classified message_id=%s kind=%s", decoded.message_id, kind)
        return replace(base, confidence=confidence, reasons=tuple(reasons))
    free_form = not mail.has_form
    raw_values: dict[str, str] = dict(labeled.values)
    if mail.has_form and not has_person and free.full_name and kind is Kind.signature:
        raw_values[FULL_NAME] = free.full_name  # "I sign: Jean Dupont" above "Country: France"
        free_form = True
    elif free_form:
        raw_values = {FULL_NAME: free.full_name, "country": free.guessed_code or free.country,
                      "presentation": free.presentation, "organization": free.organization}
        if not free.full_name and decoded.sender_name and free.has_intent:
            raw_values[FULL_NAME] = spelled_in(cleaned.own, decoded.sender_name)  # "Wójcik" as typed
            reasons.append("name taken from the sender's display name")
    one_line = not free_form and _one_line_entry(raw_values)
    if one_line:
        reasons.append("name, presentation and country read from one line")
    built = build(raw_values, language=language, campaign_language=rules.language,
                  country_names=rules.country_names, sender_name=decoded.sender_name,
                  free_form=free_form, correction=kind is Kind.correction)
    reasons += list(labeled.reasons) + list(free.reasons) + list(cleaned.reasons) + list(built.reasons)
    caps = 0.7 if one_line or in_prose else 1.0  # doubts about the whole reply, beyond its fields
    if in_prose:
        reasons.append("a field and its value read from a sentence: check before applying")
    if free_form and not free.has_intent:
        caps = min(caps, 0.4)
        if not free.own_name:
            reasons.append("no signing phrase: a name and a country were found in the text")
    signatories = labeled.signatories if mail.has_form else free.signatories
    if signatories > 1:
        caps = min(caps, 0.3)
        reasons.append(f"several signatories in one mail ({signatories}): only the first was read")
    if labeled.conflicts:
        caps = min(caps, 0.5)
    if labeled.unread and mail.has_form:
        caps = min(caps, 0.6)
        reasons.append("lines with labels not understood, not read: "
                       + ", ".join(repr(u) for u in labeled.unread[:3]))
    reply_to = re.findall(r"[\w.+'=-]+@[\w-]+(?:\.[\w-]+)+", decoded.header("reply-to"))
    if reply_to and decoded.sender and reply_to[0].lower() != decoded.sender:
        caps = min(caps, 0.7)
        reasons.append(f"Reply-To ({reply_to[0].lower()}) differs from the sender: check who signs")
    if cleaned.cut_failed:
        caps = min(caps, 0.6)
    if not decoded.sender:
        caps = min(caps, 0.3)
        reasons.append("no sender address")
    if mail.has_form and any(line.strip().endswith("?") and not POLITE_REQUEST.search(fold(line.strip()))
                             for line in labeled.prose):
        caps = min(caps, 0.6)
        reasons.append("the reply also asks a question")
    if kind is Kind.correction and not built.named:
        caps = 0.0
    if decoded.has_header("x-auto-response-suppress"):
        caps = min(caps, 0.5)
        reasons.append("auto-reply header on a filled form")
    confidence = min(built.confidence, caps)
    log.info("classified message_id=%s kind=%s confidence=%.2f", decoded.message_id, kind, confidence)
    return replace(base, fields=built.fields, named=built.named & frozenset(FIELD_NAMES),
                   signer_kind=built.signer_kind, confidence=round(confidence, 2),
                   update_confidence=round(min(built.as_update, caps), 2),
                   completeness_reasons=built.completeness_reasons,
                   reasons=tuple(dict.fromkeys(reasons)))
