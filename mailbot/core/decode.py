"""Raw bytes to headers and the best readable text: MIME, charsets, RFC 2047, HTML.

The one importer of mailparser and of the stdlib email parser. Every step is lenient: a broken
part, an unknown charset or a missing boundary degrades the result, it never raises.
"""

from __future__ import annotations

import email
import email.header
import email.utils
import logging
import re
from dataclasses import dataclass
from datetime import datetime
from email.message import Message

import mailparser

from mailbot.core.charsets import decode_bytes, decode_header_free
from mailbot.core.htmltext import html_to_text

log = logging.getLogger(__name__)

@dataclass(frozen=True)
class DeliveryReport:
    """One per-recipient block of a message/delivery-status part (RFC 3464)."""

    recipient: str
    action: str
    status: str


@dataclass(frozen=True)
class DecodedMail:
    """What the rest of the core needs from a message, already decoded to str."""

    headers: tuple[tuple[str, str], ...]  # (lower-cased name, decoded value), in order
    message_id: str
    sender: str
    sender_name: str
    subject: str
    date: datetime | None
    in_reply_to: str
    references: tuple[str, ...]
    content_type: str
    report_type: str  # multipart/report's report-type, "" otherwise
    text: str  # the best body text (plain preferred, HTML converted), "" when none
    from_html: bool
    part_types: tuple[str, ...]  # content types of every part, for classification
    delivery: tuple[DeliveryReport, ...] = ()
    defects: tuple[str, ...] = ()

    def header(self, name: str) -> str:
        """The first value of a header, decoded, or ""."""
        name = name.lower()
        for key, value in self.headers:
            if key == name:
                return value
        return ""

    def has_header(self, name: str) -> bool:
        name = name.lower()
        return any(key == name for key, _ in self.headers)


def decode_header(value: object) -> str:
    """An RFC 2047 (or raw 8-bit) header value as clean str, whitespace folded."""
    if value is None:
        return ""
    if isinstance(value, email.header.Header):
        value = str(value)
    text = str(value)
    if any("\udc80" <= ch <= "\udcff" for ch in text):  # raw 8-bit bytes kept by compat32
        text = decode_bytes(text.encode("utf-8", "surrogateescape"), None)
    out = []
    try:
        chunks = email.header.decode_header(text)
    except Exception:  # malformed encoded words: keep the text as it is
        chunks = [(text, None)]
    for chunk, cs in chunks:
        out.append(decode_bytes(chunk, cs) if isinstance(chunk, bytes) else chunk)
    return re.sub(r"\s+", " ", "".join(out).replace("\x00", "")).strip()


def _parse(raw: bytes) -> Message:
    try:
        return mailparser.parse_from_bytes(raw).message
    except Exception:  # mailparser gives up on a few broken messages; the stdlib never does
        log.debug("mailparser failed, using the stdlib parser")
        return email.message_from_bytes(raw)


def _part_text(part: Message) -> str:
    try:
        payload = part.get_payload(decode=True)
    except Exception:
        payload = None
    if payload is None:
        raw = part.get_payload()
        if isinstance(raw, str):
            return decode_header_free(raw)
        return ""
    try:
        charset = part.get_content_charset()
    except Exception:
        charset = None
    if not isinstance(payload, bytes):
        return ""
    if not charset and part.get_content_type() == "text/html":
        meta = re.search(rb"<meta[^>]+charset=[\"']?([\w-]+)", payload[:4000], re.I)
        charset = meta.group(1).decode("ascii") if meta else None
    text = decode_bytes(payload, charset)
    try:
        flowed = str(part.get_param("format") or "").lower() == "flowed"
        delsp = str(part.get_param("delsp") or "").lower() == "yes"
    except Exception:
        flowed = delsp = False
    return _unflow(text, delsp) if flowed else text


def _unflow(text: str, delsp: bool) -> str:
    """RFC 3676 format=flowed: a line ending in a space continues on the next one."""
    out: list[str] = []
    carry = ""
    for line in text.replace("\r\n", "\n").split("\n"):
        if line != "-- " and line.endswith(" ") and not line.startswith(">"):
            carry += line[:-1] if delsp else line
            continue
        out.append(carry + line)
        carry = ""
    if carry:
        out.append(carry)
    return "\n".join(out)


def _is_attachment(part: Message) -> bool:
    try:
        disposition = (part.get_content_disposition() or "").lower()
        return disposition == "attachment" or (disposition != "inline" and bool(part.get_filename()))
    except Exception:
        return False


def _leaves(msg: Message, depth: int = 0) -> list[Message]:
    """Body leaves in order, not descending into attached messages."""
    if depth > 20:
        return []
    try:
        if msg.get_content_maintype() == "message":  # an attached or bounced original
            return []
        if msg.is_multipart():
            out = []
            for sub in msg.get_payload():
                if isinstance(sub, Message):
                    out += _leaves(sub, depth + 1)
            return out
    except Exception:
        return []
    return [msg]


def _all_types(msg: Message) -> tuple[str, ...]:
    try:
        return tuple(p.get_content_type() for p in msg.walk())
    except Exception:
        return (msg.get_content_type(),)


def _delivery_reports(msg: Message) -> tuple[DeliveryReport, ...]:
    """Per-recipient blocks of every message/delivery-status part."""
    out: list[DeliveryReport] = []
    try:
        parts = list(msg.walk())
    except Exception:
        return ()
    for part in parts:
        ctype = part.get_content_type()
        if ctype not in ("message/delivery-status", "text/delivery-status"):
            continue
        text = ""
        payload = part.get_payload()
        if isinstance(payload, list):  # the stdlib parses the blocks as header-only messages
            # their header lines, not str(p): flattening a block with a stray byte raises
            text = "\n\n".join("\n".join(f"{k}: {v}" for k, v in _items(p))
                               for p in payload if isinstance(p, Message))
        else:
            text = _part_text(part)
        out += _parse_delivery_status(text)
    return tuple(out)


def _items(block: Message) -> list[tuple[str, str]]:
    """A block's header fields as text; a field that cannot be read is left out."""
    out = []
    for key in block:
        try:
            out.append((key, str(block.get(key, ""))))
        except Exception:  # a malformed encoded word: the other fields still count
            continue
    return out


def _parse_delivery_status(text: str) -> list[DeliveryReport]:
    out = []
    for block in re.split(r"\n\s*\n", text.replace("\r", "")):
        fields: dict[str, str] = {}
        for line in block.split("\n"):
            if ":" in line and not line[:1].isspace():
                key, _, value = line.partition(":")
                fields.setdefault(key.strip().lower(), value.strip())
        recipient = fields.get("final-recipient") or fields.get("original-recipient") or ""
        if not recipient:
            continue
        address = recipient.split(";", 1)[-1].strip().strip("<>").lower()
        out.append(DeliveryReport(address, fields.get("action", "").lower(), fields.get("status", "")))
    return out


def _choose_text(msg: Message) -> tuple[str, bool]:
    plains: list[str] = []
    htmls: list[str] = []
    for leaf in _leaves(msg):
        if _is_attachment(leaf):
            continue
        ctype = leaf.get_content_type()
        if ctype == "text/plain" or (ctype == "text/enriched"):
            plains.append(_part_text(leaf))
        elif ctype == "text/html":
            htmls.append(_part_text(leaf))
    plain = "\n".join(p for p in plains if p.strip())
    if re.match(r"\s*<(?:!doctype|html|body|div|p|table)\b", plain, re.I):
        return html_to_text(plain), True  # HTML sent as text/plain by a misconfigured client
    html = ""
    short = len(plain.strip()) < 40 or (len(plain.strip()) < 300 and ":" not in plain)
    if htmls and short:  # empty, or a "use an HTML mail program" placeholder
        html = "\n".join(html_to_text(h) for h in htmls)
        if len(html.strip()) > len(plain.strip()) or (":" in html and ":" not in plain):
            return html, True
    if not plain and not htmls and msg.get_content_maintype() not in ("multipart", "text"):
        return "", False
    return plain, False


def _address(value: str) -> tuple[str, str]:
    try:
        pairs = email.utils.getaddresses([value])
    except Exception:
        pairs = []
    for name, addr in pairs:
        if "@" in addr:
            return decode_header(name), addr.strip().lower()
    match = re.search(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", value)
    return "", match.group(0).lower() if match else ""


def _ids(value: str) -> str:
    return " ".join(re.findall(r"<[^<>]+>", value)) or value.strip()


def _date(value: str) -> datetime | None:
    if not value:
        return None
    try:
        return email.utils.parsedate_to_datetime(value)
    except Exception:
        return None


def decode_mail(raw: bytes) -> DecodedMail:
    """Parse a raw message; never raises (a hopeless input yields empty fields and a defect)."""
    msg = _parse(raw)
    headers: list[tuple[str, str]] = []
    raw_addr: dict[str, str] = {}
    for key, value in msg.raw_items():  # raw pairs: items() can raise on bad headers
        try:
            name = str(key).strip().lower()
            headers.append((name, decode_header(value)))
            if name in ("from", "sender"):
                raw_addr.setdefault(name, decode_header_free(str(value)))
        except Exception:
            continue
    first = {k: v for k, v in reversed(headers)}
    sender_name, sender = _address(raw_addr.get("from") or raw_addr.get("sender", ""))
    defects: list[str] = []
    try:
        text, from_html = _choose_text(msg)
    except Exception as exc:  # a structure no branch foresaw: fall back to the raw bytes
        defects.append(f"body unreadable ({type(exc).__name__}); raw text used")
        text, from_html = decode_bytes(raw, None), False
    if not headers:  # a bare body (no RFC 5322 header block)
        text = decode_bytes(raw, None)
    try:
        is_report = msg.get_content_type() == "multipart/report"
        report_type = (msg.get_param("report-type") or "") if is_report else ""
    except Exception:
        report_type = ""
    return DecodedMail(
        headers=tuple(headers),
        message_id=first.get("message-id", "").strip(),
        sender=sender,
        sender_name=sender_name.strip().strip('"').strip(),
        subject=first.get("subject", ""),
        date=_date(first.get("date", "")),
        in_reply_to=_ids(first.get("in-reply-to", "")),
        references=tuple(re.findall(r"<[^<>]+>", first.get("references", ""))),
        content_type=msg.get_content_type(),
        report_type=str(report_type).lower(),
        text=text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", ""),
        from_html=from_html,
        part_types=_all_types(msg),
        delivery=_delivery_reports(msg),
        defects=tuple(defects),
    )
