"""Was a mail really sent by its From address? Read the receiving server's Authentication-Results.

RFC 8601 headers are parsed into values; only headers added by our own receiving server are trusted
(the configured authserv-id, or else the topmost header, which a sender cannot place above it).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from email.parser import BytesHeaderParser
from email.policy import compat32
from email.utils import getaddresses
from enum import StrEnum


class Verdict(StrEnum):
    passed = "passed"  # DMARC passed, or an aligned DKIM or SPF pass
    failed = "failed"  # DMARC failed, or DKIM/SPF failed and nothing passed
    unknown = "unknown"  # no trusted header, or no conclusive result


@dataclass(frozen=True)
class MethodResult:
    """One `method=result` of a header, e.g. dkim=pass with {"header.d": "example.org"}."""

    method: str
    result: str
    reason: str = ""
    properties: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class AuthResults:
    """One Authentication-Results header."""

    authserv_id: str
    results: tuple[MethodResult, ...] = ()


@dataclass(frozen=True)
class Authenticity:
    verdict: Verdict
    reasons: tuple[str, ...] = ()
    dmarc: str | None = None  # the result word, None when the trusted headers have none
    dkim: str | None = None
    spf: str | None = None
    authserv_id: str | None = None  # the header that was trusted

    @property
    def passed(self) -> bool:
        return self.verdict is Verdict.passed


_RESINFO = re.compile(r'([A-Za-z0-9_.\-/]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^\s;]+)')
_VERSION = re.compile(r"^\d+$")
_FAILING = {"fail", "softfail", "permerror"}


def _strip_comments(value: str) -> str:
    """Drop RFC 5322 comments (nested parentheses) outside quoted strings."""
    out, depth, quoted, escaped = [], 0, False, False
    for ch in value:
        if escaped:
            escaped = False
            if depth == 0:
                out.append(ch)
            continue
        if ch == "\\":
            escaped = True
            if depth == 0:
                out.append(ch)
            continue
        if ch == '"' and depth == 0:
            quoted = not quoted
        elif not quoted and ch == "(":
            depth += 1
            continue
        elif not quoted and ch == ")" and depth:
            depth -= 1
            continue
        if depth == 0:
            out.append(ch)
    return "".join(out)


def _split(value: str) -> list[str]:
    """Split on `;` outside quoted strings."""
    parts: list[str] = []
    current: list[str] = []
    quoted = False
    for ch in value:
        if ch == '"':
            quoted = not quoted
        if ch == ";" and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return [p.strip() for p in parts]


def parse_authentication_results(value: str) -> AuthResults | None:
    """One header value to its authserv-id and results; None when it cannot be read."""
    parts = _split(" ".join(_strip_comments(value).split()))
    head = parts[0].split()
    if not head or "=" in head[0]:
        return None
    if len(head) > 1 and not _VERSION.match(head[1]):
        return None
    results = []
    for part in parts[1:]:
        pairs = [(k.lower(), v.strip('"')) for k, v in _RESINFO.findall(part)]
        if not pairs:
            continue  # "none", or an empty trailing part
        method, result = pairs[0]
        reason = ""
        props: dict[str, str] = {}
        for key, val in pairs[1:]:
            if key == "reason":
                reason = val
            elif "." in key:
                props[key] = val
        results.append(MethodResult(method.split("/")[0], result.lower(), reason, props))
    return AuthResults(head[0].lower(), tuple(results))


def _domain(address: str) -> str:
    return address.rpartition("@")[2].strip().strip(".").lower()


def _aligned(a: str, b: str) -> bool:
    """Relaxed alignment (RFC 7489 3.1): the same domain, or one a subdomain of the other.

    Without a Public Suffix List this is an approximation; it never aligns a domain with a bare TLD.
    """
    if not a or not b:
        return False
    if a == b:
        return True
    shorter, longer = sorted((a, b), key=len)
    return "." in shorter and longer.endswith("." + shorter)


def assess(headers: Sequence[str], from_address: str, *, authserv_id: str | None = None) -> Authenticity:
    """Judge a mail by its Authentication-Results headers, topmost first, and its From address."""
    parsed = [p for p in (parse_authentication_results(h) for h in headers) if p is not None]
    if authserv_id:
        trusted = [p for p in parsed if p.authserv_id == authserv_id.lower()]
        if not trusted:
            return Authenticity(Verdict.unknown, (f"no Authentication-Results header from "
                                                  f"{authserv_id}",))
    else:
        if not parsed:
            return Authenticity(Verdict.unknown, ("no Authentication-Results header",))
        trusted = parsed[:1]
    results = [r for p in trusted for r in p.results]
    server = trusted[0].authserv_id
    domain = _domain(from_address)
    by_method: dict[str, list[MethodResult]] = {}
    for r in results:
        by_method.setdefault(r.method, []).append(r)

    def first(method: str) -> str | None:
        return by_method[method][0].result if method in by_method else None

    found = dict(dmarc=first("dmarc"), dkim=first("dkim"), spf=first("spf"), authserv_id=server)
    if not domain:
        return Authenticity(Verdict.unknown, ("no From address to check",), **found)
    reasons: list[str] = []
    for r in by_method.get("dmarc", []):
        header_from = r.properties.get("header.from", "").lower()
        if header_from and not _aligned(header_from, domain):
            reasons.append(f"dmarc={r.result} is for {header_from}, not {domain}")
            continue
        if r.result == "pass":
            return Authenticity(Verdict.passed, (f"dmarc=pass for {domain} ({server})",), **found)
        if r.result in ("fail", "permerror"):
            return Authenticity(Verdict.failed, (f"dmarc={r.result} for {domain} ({server})",),
                                **found)
        reasons.append(f"dmarc={r.result}")
    for r in by_method.get("dkim", []):
        signer = r.properties.get("header.d") or _domain(r.properties.get("header.i", ""))
        if r.result == "pass" and _aligned(signer.lower(), domain):
            return Authenticity(Verdict.passed, (f"dkim=pass signed by {signer} ({server})",),
                                **found)
        reasons.append(f"dkim={r.result}" + (f" by {signer}" if signer else ""))
    for r in by_method.get("spf", []):
        envelope = _domain(r.properties.get("smtp.mailfrom", ""))
        if r.result == "pass" and _aligned(envelope, domain):
            return Authenticity(Verdict.passed, (f"spf=pass for {envelope} ({server})",), **found)
        reasons.append(f"spf={r.result}" + (f" for {envelope}" if envelope else ""))
    if any(r.result in _FAILING for m in ("dkim", "spf") for r in by_method.get(m, [])):
        return Authenticity(Verdict.failed, tuple(reasons) + ("nothing aligned with the From "
                                                              "address passed",), **found)
    if not reasons:
        reasons.append(f"no dmarc, dkim or spf result from {server}")
    return Authenticity(Verdict.unknown, tuple(reasons), **found)


def assess_message(raw: bytes, *, authserv_id: str | None = None) -> Authenticity:
    """`assess` on the headers of a raw message (the body is not read)."""
    end = raw.find(b"\r\n\r\n")
    end = raw.find(b"\n\n") if end < 0 else end
    msg = BytesHeaderParser(policy=compat32).parsebytes(raw[:end] if end >= 0 else raw)
    headers = [str(h) for h in msg.get_all("Authentication-Results") or []]
    senders = getaddresses([str(v) for v in msg.get_all("From") or []])
    if len(senders) != 1:  # RFC 7489 6.6.1: several From addresses cannot be judged
        return Authenticity(Verdict.unknown, (f"{len(senders)} From addresses",))
    return assess(headers, senders[0][1], authserv_id=authserv_id)
