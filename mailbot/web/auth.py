"""Organizer accounts (argon2 hashes from the config), login rate limits and CSRF tokens."""

from __future__ import annotations

import getpass
import hashlib
import hmac
import secrets
import time
from collections import deque
from collections.abc import Mapping

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from mailbot.errors import MailbotError

_HASHER = PasswordHasher()
# Checked when the name is unknown, so a wrong name costs the same time as a wrong password.
_DUMMY = _HASHER.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def prompt_hash() -> str:
    """Ask for a password twice without echo; return the line to paste into [web] organizers."""
    first = getpass.getpass("Password for the organizer (at least 10 characters): ")
    if len(first) < 10:
        raise MailbotError("password too short: use at least 10 characters (a few words work well)")
    if getpass.getpass("The same again: ") != first:
        raise MailbotError("the two passwords differ: nothing was changed, try again")
    return hash_password(first)


class Accounts:
    def __init__(self, organizers: Mapping[str, str]) -> None:
        self.organizers = dict(organizers)

    def verify(self, name: str, password: str) -> bool:
        hashed = self.organizers.get(name)
        try:
            return _HASHER.verify(hashed or _DUMMY, password) and hashed is not None
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def fingerprint(self, name: str) -> str:
        """Changes when the account's password hash changes (or the account goes): old sessions end."""
        hashed = self.organizers.get(name)
        return hashlib.sha256(hashed.encode()).hexdigest()[:16] if hashed else ""


class RateLimiter:
    """At most `limit` failed logins per key (an IP address, an account) in `window` seconds."""

    def __init__(self, limit: int = 5, window: float = 900.0, clock=time.monotonic) -> None:  # type: ignore[no-untyped-def]
        self.limit, self.window, self.clock = limit, window, clock
        self.failures: dict[str, deque[float]] = {}

    def _recent(self, key: str) -> deque[float]:
        now = self.clock()
        q = self.failures.setdefault(key, deque())
        while q and q[0] <= now - self.window:
            q.popleft()
        if not q:
            del self.failures[key]
            return deque()
        return q

    def wait(self, *keys: str) -> int:
        """Seconds until another try is allowed for all `keys` (0: go ahead)."""
        waits = [int(q[0] + self.window - self.clock()) + 1 for k in keys
                 if len(q := self._recent(k)) >= self.limit]
        return max(waits, default=0)

    def fail(self, *keys: str) -> None:
        now = self.clock()
        for key in keys:
            self.failures.setdefault(key, deque()).append(now)

    def clear(self, *keys: str) -> None:
        for key in keys:
            self.failures.pop(key, None)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def same_token(expected: str | None, given: str | None) -> bool:
    return bool(expected and given) and hmac.compare_digest(str(expected), str(given))
