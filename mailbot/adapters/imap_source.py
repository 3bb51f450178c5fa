"""The campaign's IMAP inbox: incremental fetch by UID, and marking mail handled. Never deletes."""

from __future__ import annotations

import imaplib
import logging
import ssl
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType

import imapclient
from imapclient.exceptions import IMAPClientError, LoginError

from mailbot.config import ImapSettings
from mailbot.errors import SourceAuthError, SourceError, SourceTimeout

log = logging.getLogger(__name__)

HANDLED_KEYWORD = b"$MailbotHandled"
# A SEARCH answer is one line, and imaplib refuses lines over 1 MB: about 90,000 ten-digit UIDs
# (140,000 six-digit ones). Beyond that the first step of every poll failed, for good. 100 MB
# holds 9 million UIDs; the server is the campaign's own, not a stranger.
imaplib._MAXLINE = max(imaplib._MAXLINE, 100_000_000)  # type: ignore[attr-defined]
MAX_MESSAGE_BYTES = 25 * 1024 * 1024  # default cap: larger mail is kept truncated


@dataclass(frozen=True)
class RawMail:
    uid: int
    data: bytes
    size: int  # the size the server reported; larger than len(data) when truncated
    arrived_at: datetime | None = None  # the server's INTERNALDATE


class ImapSource:
    """One connection to one folder; use as a context manager."""

    def __init__(self, settings: ImapSettings, *, max_bytes: int = MAX_MESSAGE_BYTES) -> None:
        self.settings = settings
        self.max_bytes = max_bytes
        self._client: imapclient.IMAPClient | None = None
        self.uidvalidity = 0
        self._keywords_allowed = False

    @property
    def where(self) -> str:
        s = self.settings
        return f"{s.username}@{s.host}:{s.port}"

    def __enter__(self) -> ImapSource:
        self.connect()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def connect(self) -> None:
        s = self.settings
        try:
            client = imapclient.IMAPClient(s.host, port=s.port, ssl=s.security == "ssl",
                                           timeout=s.timeout)
            if s.security == "starttls":
                client.starttls(ssl.create_default_context())
        except TimeoutError as exc:
            raise SourceTimeout(f"IMAP server {s.host}:{s.port} did not answer within "
                                f"{s.timeout:g} s") from exc
        except (OSError, IMAPClientError) as exc:
            raise SourceError(f"cannot connect to IMAP server {s.host}:{s.port} "
                              f"({s.security}): {exc}") from exc
        try:
            client.login(s.username, s.password)
        except LoginError as exc:
            client.shutdown()
            raise SourceAuthError(f"IMAP server {s.host}:{s.port} refused the login for "
                                  f"{s.username!r}: check [imap] username and the password "
                                  f"(for Gmail and Fastmail, an app password)") from exc
        try:
            info = client.select_folder(s.folder)
        except IMAPClientError as exc:
            client.logout()
            raise SourceError(f"IMAP server {s.host} has no folder {s.folder!r} for {s.username}: "
                              f"check [imap] folder") from exc
        client.normalise_times = False  # keep INTERNALDATE's time zone
        self._client = client
        self.uidvalidity = int(info[b"UIDVALIDITY"])
        flags = info.get(b"PERMANENTFLAGS", ())
        self._keywords_allowed = b"\\*" in flags
        if s.processed_folder and not client.folder_exists(s.processed_folder):
            client.create_folder(s.processed_folder)
        log.info("imap connected server=%s folder=%s uidvalidity=%s", self.where, s.folder,
                 self.uidvalidity)

    def close(self) -> None:
        if self._client is not None:
            try:
                self._client.logout()
            except (OSError, IMAPClientError):
                self._client.shutdown()
            self._client = None

    @property
    def client(self) -> imapclient.IMAPClient:
        if self._client is None:
            raise SourceError("IMAP source used before connect()")
        return self._client

    def new_uids(self, after: int) -> list[int]:
        """UIDs above `after`, ascending (`n:*` also matches the highest UID: filter it)."""
        uids = self._call(self.client.search, ["UID", f"{after + 1}:*"])
        return sorted(uid for uid in uids if uid > after)

    def message_ids(self, uids: Sequence[int]) -> dict[int, tuple[bytes, int]]:
        """Message-ID header block and size of each UID, without loading bodies."""
        got = self._call(self.client.fetch, list(uids),
                         ["BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]", "RFC822.SIZE"])
        out = {}
        for uid, item in got.items():
            header = item.get(b"BODY[HEADER.FIELDS (MESSAGE-ID)]", b"") or b""
            out[uid] = (header, int(item.get(b"RFC822.SIZE", 0)))
        return out

    def fetch(self, uids: Sequence[int], sizes: dict[int, int]) -> Iterator[RawMail]:
        """Whole messages (BODY.PEEK: the server's \\Seen flag is not touched)."""
        whole = [u for u in uids if sizes.get(u, 0) <= self.max_bytes]
        big = [u for u in uids if u not in whole]
        if whole:
            got = self._call(self.client.fetch, whole, ["BODY.PEEK[]", "INTERNALDATE"])
            for uid in whole:
                if uid in got:
                    data = got[uid].get(b"BODY[]", b"") or b""
                    yield RawMail(uid, data, sizes.get(uid, len(data)), _date(got[uid]))
        for uid in big:
            got = self._call(self.client.fetch, [uid],
                             [f"BODY.PEEK[]<0.{self.max_bytes}>", "INTERNALDATE"])
            item = got.get(uid, {})
            data = item.get(b"BODY[]<0>", b"") or b""
            log.warning("imap message truncated uid=%s size=%s kept=%s", uid, sizes[uid], len(data))
            yield RawMail(uid, data, sizes[uid], _date(item))

    def mark_handled(self, uids: Sequence[int]) -> None:
        """Flag (or move) handled mail; called only after the database commit."""
        if not uids:
            return
        uids = list(uids)
        if self.settings.processed_folder:
            if self.client.has_capability("MOVE"):
                self._call(self.client.move, uids, self.settings.processed_folder)
            else:  # COPY then hide: \Deleted without EXPUNGE would let a later expunge lose mail
                self._call(self.client.copy, uids, self.settings.processed_folder)
                self._call(self.client.add_flags, uids, [b"\\Seen"])
            return
        flags = [b"\\Seen", HANDLED_KEYWORD] if self._keywords_allowed else [b"\\Seen"]
        self._call(self.client.add_flags, uids, flags)

    def append(self, data: bytes, folder: str | None = None) -> None:
        """Put a message into the mailbox (used by the demo and tests)."""
        self._call(self.client.append, folder or self.settings.folder, data)

    def _call(self, fn, *args):  # type: ignore[no-untyped-def]
        try:
            return fn(*args)
        except TimeoutError as exc:
            raise SourceTimeout(f"IMAP server {self.where} timed out") from exc
        except (OSError, IMAPClientError) as exc:
            raise SourceError(f"IMAP server {self.where} failed: {exc}") from exc


def _date(item: dict[bytes, object]) -> datetime | None:
    value = item.get(b"INTERNALDATE")
    return value if isinstance(value, datetime) and value.tzinfo is not None else None


def batches(items: Sequence[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield list(items[start:start + size])
