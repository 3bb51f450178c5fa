"""HTML bodies to plain text with inscriptis, quoted blocks kept visible as `> ` lines.

Mail clients mark quoted originals with elements (Gmail `div.gmail_quote`, Apple and Thunderbird
`blockquote type=cite`, Yahoo `div.yahoo_quoted`); rendering them as `> ` lines lets `clean.py` cut
HTML and plain replies by the same rules.
"""

from __future__ import annotations

import contextlib
import html as htmllib
import re

import lxml.html
from inscriptis import Inscriptis
from inscriptis.model.config import ParserConfig

MAX_HTML = 2_000_000  # characters; a reply is far shorter, this bounds time on hostile input
_CONFIG = ParserConfig(display_links=False, display_images=False)
_QUOTE_XPATH = (
    "//blockquote | //div[contains(concat(' ', normalize-space(@class), ' '), ' gmail_quote ')]"
    " | //div[contains(@class, 'yahoo_quoted')]"
)


def _render(tree: lxml.html.HtmlElement) -> str:
    return Inscriptis(tree, _CONFIG).get_text()


def _mark_quotes(tree: lxml.html.HtmlElement) -> None:
    quotes = tree.xpath(_QUOTE_XPATH)
    outermost = [q for q in quotes if not any(a in quotes for a in q.iterancestors())]
    for quote in outermost:
        parent = quote.getparent()
        if parent is None:
            continue
        inner = _render(lxml.html.fromstring(lxml.html.tostring(quote)))
        lines = [("> " + line).rstrip() for line in inner.strip("\n").split("\n")]
        pre = lxml.html.Element("pre")
        pre.text = "\n" + "\n".join(lines) + "\n"
        pre.tail = quote.tail
        parent.replace(quote, pre)


def html_to_text(html: str) -> str:
    """Readable text of an HTML body; never raises (worst case: tags stripped by a regex)."""
    if not html.strip():
        return ""
    html = html[:MAX_HTML]
    try:
        tree = lxml.html.fromstring(html)
        with contextlib.suppress(Exception):  # a quote we cannot render stays in place, unmarked
            _mark_quotes(tree)
        return _render(tree)
    except Exception:
        text = re.sub(r"(?is)<(script|style)[^>]*>.*?</\1>", " ", html)
        text = re.sub(r"(?i)<br\s*/?>|</p>|</div>|</tr>", "\n", text)
        return htmllib.unescape(re.sub(r"<[^>]+>", "", text))
