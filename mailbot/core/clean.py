"""Separate what the sender wrote from quoted originals, signature blocks and disclaimers.

Cutting fails safe: when it would leave nothing, the whole text is kept and a reason says so.
Quoted lines are kept (flagged) so that answers typed under a quoted label can still be read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_TEXT = 300_000  # characters read; a reply is far shorter, this bounds time on hostile input
_QUOTE_MARK = re.compile(r"^\s*((?:>\s?)+)")

# "On <date>, <someone> wrote:" and its translations: the verb ends the line, or comes before
# the name and address ("Am ... schrieb Jan <j@x.de>:", "Den ... skrev Per <p@x.dk>:").
_VERBS = (r"(?:wrote|writes|a écrit|a ecrit|écrit|escribió|escribio|escreveu|schrieb|geschrieben"
          r"|ha scritto|scrive|написал\(а\)|написала|написал|пишет|skrev|schreef|napisał|kirjoitti)")
_ATTRIBUTION_END = re.compile(rf"{_VERBS}\s*:?\s*$|{_VERBS}\s+[^:]{{1,120}}:\s*$", re.I)
_ATTRIBUTION_START = re.compile(
    r"^(On|Le|El|Em|Am|Il|В|Op|Den|Dne|W dniu|\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|\d{1,2}\.? \w+\.? \d{4})\b",
    re.I,
)
_ADDRESS_COLON = re.compile(r"<[^<>\s]+@[^<>\s]+>\s*:\s*$")
_LOOKS_SENT = re.compile(r"@|<[^>]+>|\d{1,2}:\d{2}|\b\d{4}\b")
_ORIGINAL = re.compile(
    r"^[-_=\s]*(original message|message d'origine|message original|mensaje original"
    r"|mensagem original|ursprüngliche nachricht|originalnachricht|исходное сообщение"
    r"|messaggio originale|forwarded message|message transféré|mensaje reenviado"
    r"|mensagem encaminhada|weitergeleitete nachricht|пересылаемое сообщение"
    r"|переслан\w* сообщение|messaggio inoltrato|oprindelig meddelelse|ursprungligt meddelande"
    r"|oorspronkelijk bericht|wiadomość oryginalna|alkuperäinen viesti)[-_=\s]*:?\s*$",
    re.I,
)
_FORWARD_START = re.compile(
    r"^(begin forwarded message|début du message réexpédié|inicio del mensaje reenviado"
    r"|início da mensagem reencaminhada|anfang der weitergeleiteten nachricht"
    r"|inizio messaggio inoltrato)\s*:?\s*$",
    re.I,
)
_HEADER_FROM = re.compile(r"^\**(from|de|von|от|da|van|fra|från|od|kimden|από|apo)\s*\**\s*:\s*\**\s*\S",
                          re.I)
_HEADER_OTHER = re.compile(
    r"^\**(sent|date|envoyé|envoye|enviado|enviada|gesendet|datum|отправлено|дата|inviato|data"
    r"|fecha|to|à|a|para|an|кому|subject|objet|asunto|assunto|betreff|тема|oggetto|cc|sendt|skickat"
    r"|verzonden|wysłano|emne|ämne|onderwerp|temat|til|till|aan|do|gönderildi|gonderildi|kime|konu"
    r"|tarih|copie à|προς|θέμα|ημερομηνία|enviat|per a|assumpte)\s*\**\s*:",
    re.I,
)
_SEPARATOR = re.compile(r"^\s*_{8,}\s*$")
_SIGNATURE = re.compile(r"^--\s*$")
_MOBILE = re.compile(
    r"^(sent from my|sent from outlook|get outlook for|envoyé de mon|envoyé depuis|enviado desde mi"
    r"|enviado do meu|enviado de meu|von meinem .* gesendet|gesendet von|отправлено с|"
    r"inviato da"
    # "Sent from Yahoo Mail on Android", "Enviado do Yahoo Mail no Android", "Отправлено из ... Яндекс"
    r"|(?:sent|envoyé|enviado|inviato|gesendet|отправлено) (?:from|with|de|do|desde|da|dal|mit|von|с|из)"
    r" .{0,40}(?:yahoo|iphone|ipad|android|samsung|galaxy|outlook|mobile|smartphone|huawei|xiaomi|gmail"
    r"|aol|mail|почт|яндекс|телефон))",
    re.I,
)
_DISCLAIMER = re.compile(
    r"^(confidential|confidentiality notice|disclaimer|this e-?mail (and|is|message)|this message"
    r" (and|is|contains)|the information (contained|in this)|ce (message|courriel) (et|est|contient)"
    r"|este (mensaje|correo)|esta mensagem|diese (e-?mail|nachricht)|questo messaggio"
    r"|il presente messaggio|данное сообщение|это сообщение (и|содержит|является)"
    r"|important\s*:|notice\s*:|aviso\s*:|avis\s*:|hinweis\s*:|avviso\s*:|внимание\s*:"
    r"|(?:avviso|aviso|avis|notice|hinweis|nota|уведомление)\b.{0,20}(?:riservat|confiden|vertraulich|конфиден)"
    r"|vertraulichkeitshinweis)",
    re.I,
)

_CONFIDENTIAL = re.compile(
    r"confidential|privileged|intended (?:only )?for|intended recipient|confidentiel|destinataire"
    r"|confidencial|destinatario|vertraulich|empfänger|riservat|конфиденц|адресат",
    re.I,
)


@dataclass(frozen=True)
class Line:
    """One line of the body, with quote markers removed and what it belongs to."""

    text: str
    quoted: bool  # written by someone else (a `>` line or inside a cut original)
    own: bool  # part of the sender's own text after cutting


@dataclass(frozen=True)
class CleanText:
    own: str  # the sender's own words
    lines: tuple[Line, ...]
    quote: str  # the quoted part (for forwards and the fail-safe), "" when none
    reasons: tuple[str, ...] = ()
    cut_failed: bool = False
    tail: str = ""  # the signature block, footer or disclaimer cut from the end of the own text


def _is_attribution(lines: list[str], i: int) -> int:
    """Number of lines (1 to 3) of an attribution starting at i, 0 when none."""
    line = lines[i].strip()
    if not line:
        return 0
    # A quotation in the sender's own words ("As Rosa Luxemburg wrote:") is no attribution:
    # require a client's opening word, an address or a time.
    if _ATTRIBUTION_END.search(line) and (_ATTRIBUTION_START.search(line) or _LOOKS_SENT.search(line)):
        return 1
    if _ADDRESS_COLON.search(line) and re.search(r"\d{1,2}:\d{2}", line):
        return 1  # Gmail in Russian and others: "вт, 9 февр. 2021 г. в 10:00, Appeal <a@b.c>:"
    if _ATTRIBUTION_START.search(line) and re.search(rf"@[^\s<>]+>?\s*{_VERBS}\s*:", line, re.I):
        return 1  # Yahoo's text of its HTML: "On ..., Appeal<a@b.c> wrote:     Dear friends,"
    if _ATTRIBUTION_START.search(line):
        joined = line
        for extra in (1, 2):  # Gmail and others wrap long attributions over two or three lines
            if i + extra >= len(lines) or not lines[i + extra].strip():
                break
            joined += " " + lines[i + extra].strip()
            if _ATTRIBUTION_END.search(joined) and len(joined) < 300:
                return extra + 1
    return 0


def _is_header_block(lines: list[str], i: int) -> bool:
    line = lines[i].strip()
    if _SEPARATOR.match(line):
        nxt = [x.strip() for x in lines[i + 1 : i + 3] if x.strip()]
        return bool(nxt) and bool(_HEADER_FROM.match(nxt[0]))
    if _WEBMAIL_START.match(line):  # "Message du 03/11/26 10:12" then "De : ..."
        return any(_HEADER_FROM.match(x.strip()) for x in lines[i + 1 : i + 3])
    if _HEADER_FROM.match(line):
        return any(_HEADER_OTHER.match(x.strip()) for x in lines[i + 1 : i + 5])
    if _HEADER_OTHER.match(line) and _LOOKS_SENT.search(line):
        # webmail that puts the date first: "Gesendet: Dienstag, 3. November 2026 um 10:12 Uhr"
        return any(_HEADER_FROM.match(x.strip()) for x in lines[i + 1 : i + 3])
    return False


_WEBMAIL_START = re.compile(r"^(?:message du|le message du|mensaje del|nachricht vom)\s+\d{1,2}[./]\d{1,2}"
                            r"[./]\d{2,4}\b", re.I)


def _cut_point(texts: list[str], quoted: list[bool]) -> tuple[int, int, str]:
    """(index where the original starts, lines the marker spans, what it was); (-1, 0, "") if none."""
    for i, line in enumerate(texts):
        if quoted[i]:
            continue
        stripped = line.strip()
        if _ORIGINAL.match(stripped) and re.search(r"\w", stripped):
            return i, 1, "quoted original"
        if _FORWARD_START.match(stripped):
            return i, 1, "forwarded message"
        if _is_header_block(texts, i):
            return i, 1, "quoted header block"
        if span := _is_attribution(texts, i):
            return i, span, "attribution line"
    return -1, 0, ""


def _trim_tail(own: list[int], texts: list[str]) -> tuple[list[int], list[str]]:
    """Cut a "-- " signature block, mobile footers and disclaimers, if something remains."""
    reasons: list[str] = []
    for pos, idx in enumerate(own):
        line = texts[idx].strip()
        if _SIGNATURE.match(texts[idx].rstrip()) and any(texts[j].strip() for j in own[:pos]):
            return own[:pos], ["signature block cut"]
        disclaimer = _DISCLAIMER.match(line) and _CONFIDENTIAL.search(
            " ".join(texts[j] for j in own[pos:pos + 4]))
        footer = (_MOBILE.match(line) and len(line) < 60) or disclaimer
        if footer and any(texts[j].strip() for j in own[:pos]):
            return own[:pos], ["footer or disclaimer cut"]
    return own, reasons


def clean(text: str) -> CleanText:
    """Split a body into own text and quoted text; never raises."""
    text = text[:MAX_TEXT]
    body = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    # "Oi, segue:* Nome: Fernanda": a list joined to the line above it by the HTML-to-text step
    body = re.sub(r"(?m)^([^\n>*•]{1,40}:)[ \t]*(?=[*•][ \t]+[^\W\d_][^:\n]{0,40}:)", "\\1\n", body)
    raw = body.split("\n")
    quoted = [bool(_QUOTE_MARK.match(line)) for line in raw]
    texts = [_QUOTE_MARK.sub("", line).rstrip() if q else line.rstrip()
             for line, q in zip(raw, quoted, strict=True)]
    start, span, what = _cut_point(texts, quoted)
    in_original = [False] * len(texts)
    reasons: list[str] = []
    if start >= 0:
        following = [j for j in range(start + span, len(texts)) if texts[j].strip()]
        # "On ... wrote:" followed by `>` lines: only the marker goes, bottom-posted or inline
        # answers below it stay own text. Anything else: the whole rest is the original.
        if what == "attribution line" and following and quoted[following[0]]:
            for j in range(start, start + span):
                in_original[j] = True
        else:
            for j in range(start, len(texts)):
                in_original[j] = True
    own_idx = [i for i in range(len(texts)) if not quoted[i] and not in_original[i]]
    trimmed, tail_reasons = _trim_tail(own_idx, texts)
    tail = "\n".join(texts[i].strip() for i in own_idx[len(trimmed):] if texts[i].strip())
    own_idx = trimmed
    reasons += tail_reasons
    cut_failed = False
    if not any(texts[i].strip() for i in own_idx):
        # Fail safe: a marker may have cut the sender's own words; `>` lines stay quoted, the
        # sender marked them as someone else's.
        unmarked = [i for i in range(len(texts)) if not quoted[i]]
        if any(texts[i].strip() for i in unmarked):
            reasons.append("nothing left after cutting quotes; the whole text was kept")
            cut_failed = True
            own_idx, tail = unmarked, ""  # the cut block is part of the text kept
        elif any(t.strip() for t in texts):
            reasons.append("the reply holds only quoted text")
    own_set = set(own_idx)
    lines = tuple(
        Line(texts[i].strip(), quoted[i] or in_original[i], i in own_set) for i in range(len(texts))
    )
    own = "\n".join(texts[i].strip() for i in own_idx).strip("\n")
    quote = "\n".join(t.strip() for i, t in enumerate(texts) if i not in own_set).strip("\n")
    return CleanText(own=own, lines=lines, quote=quote, reasons=tuple(reasons), cut_failed=cut_failed,
                     tail=tail)


def quotes_mail_of(cleaned: CleanText, address: str) -> bool:
    """Does the reply quote a mail written by `address` ("On ... <address> wrote:", "From: <address>")?"""
    address = address.lower()
    texts = [ln.text for ln in cleaned.lines]
    for i, text in enumerate(texts):
        if address not in text.lower():
            continue
        if _HEADER_FROM.match(text) or _ADDRESS_COLON.search(text) or _ATTRIBUTION_END.search(text):
            return True
        if any(_is_attribution(texts, j) > i - j for j in range(max(0, i - 2), i + 1)):
            return True  # an attribution wrapped over lines, the address on its second line
    return False
