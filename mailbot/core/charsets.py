"""Bytes to text under any declared charset, right or wrong, unknown or missing; never raises."""

from __future__ import annotations

# Charset names seen in the wild that Python's codec registry does not know.
_CHARSET_ALIASES = {
    "x-mac-cyrillic": "mac_cyrillic",
    "x-mac-roman": "mac_roman",
    "unicode-1-1-utf-7": "utf-7",
    "ks_c_5601-1987": "cp949",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "iso-8859-8-i": "iso-8859-8",
    "windows-874": "cp874",
    "iso-8859-1": "cp1252",  # mislabelled cp1252 (curly quotes in 0x80-0x9f) is the common case
    "latin1": "cp1252",
    "us-ascii": "utf-8",  # 8-bit bytes under a us-ascii label are nearly always utf-8
    "ascii": "utf-8",
    "utf8": "utf-8",
}


def decode_bytes(data: bytes, charset: str | None) -> str:
    """Bytes to str with the declared charset, falling back to utf-8 then cp1252; never raises."""
    names = []
    if charset:
        cs = charset.strip().strip('"').lower()
        names.append(_CHARSET_ALIASES.get(cs, cs))
        if cs.startswith("x-"):
            names.append(cs[2:])
    names += ["utf-8", "cp1252"]
    for name in names:
        try:
            return data.decode(name)
        except (LookupError, UnicodeError, ValueError):
            continue
    return data.decode("utf-8", "replace")


def decode_header_free(text: str) -> str:
    """Text kept by compat32 with surrogate escapes, back to real characters."""
    if any("\udc80" <= ch <= "\udcff" for ch in text):
        return decode_bytes(text.encode("utf-8", "surrogateescape"), None)
    return text
