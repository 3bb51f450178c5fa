"""Outgoing mail through one reused SMTP connection (aiosmtplib)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import aiosmtplib

from mailbot.config import SmtpSettings
from mailbot.errors import PermanentSendError, SendError, TemporarySendError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Envelope:
    key: int  # the caller's id for this mail (the outbox row)
    sender: str
    recipient: str
    message: bytes


@dataclass(frozen=True)
class SendResult:
    key: int
    error: SendError | None = None

    @property
    def sent(self) -> bool:
        return self.error is None


class _Recorder(list[SendResult]):
    """A list of results that tells the caller about each one as it is added."""

    def __init__(self, on_result: Callable[[SendResult], None] | None) -> None:
        super().__init__()
        self._on_result = on_result

    def append(self, result: SendResult) -> None:
        super().append(result)
        if self._on_result is not None:
            self._on_result(result)

    def extend(self, results: Iterable[SendResult]) -> None:
        for result in results:
            self.append(result)


class SmtpSender:
    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings

    @property
    def where(self) -> str:
        return f"{self.settings.host}:{self.settings.port}"

    def send_all(self, mails: Sequence[Envelope],
                 on_result: Callable[[SendResult], None] | None = None) -> list[SendResult]:
        """Send each mail; a failure of one never stops the others.

        `on_result` is called after each mail, before the next one is sent, so the caller can
        record it at once: a crash then repeats at most the one mail in flight.
        """
        return asyncio.run(self._send_all(mails, on_result)) if mails else []

    async def _send_all(self, mails: Sequence[Envelope],
                        on_result: Callable[[SendResult], None] | None) -> list[SendResult]:
        results = _Recorder(on_result)
        client: aiosmtplib.SMTP | None = None
        try:
            for mail in mails:
                if client is None:
                    try:
                        client = await self._connect()
                    except SendError as exc:  # server down: everything left waits for later
                        results.extend(SendResult(m.key, exc) for m in mails[len(results):])
                        return results
                try:
                    await client.sendmail(mail.sender, [mail.recipient], mail.message)
                    results.append(SendResult(mail.key))
                except aiosmtplib.SMTPRecipientsRefused as exc:
                    results.append(SendResult(mail.key, _classify(exc.recipients[0], self.where)))
                except aiosmtplib.SMTPResponseException as exc:
                    results.append(SendResult(mail.key, _classify(exc, self.where)))
                    if exc.code == 421:
                        client = None  # the server closed the connection
                except (TimeoutError, aiosmtplib.SMTPException, OSError) as exc:
                    results.append(SendResult(mail.key, TemporarySendError(
                        f"SMTP server {self.where}: {exc}")))
                    client = None
        finally:
            if client is not None:
                try:
                    await client.quit()
                except (TimeoutError, aiosmtplib.SMTPException, OSError):
                    client.close()
        return results

    async def _connect(self) -> aiosmtplib.SMTP:
        s = self.settings
        client = aiosmtplib.SMTP(hostname=s.host, port=s.port, timeout=s.timeout,
                                 use_tls=s.security == "ssl",
                                 start_tls=s.security == "starttls")
        try:
            await client.connect()
            if s.username:
                await client.login(s.username, s.password)
        except aiosmtplib.SMTPAuthenticationError as exc:
            raise TemporarySendError(f"SMTP server {self.where} refused the login for "
                                     f"{s.username!r}: check [smtp] username and password") from exc
        except (TimeoutError, aiosmtplib.SMTPException, OSError) as exc:
            raise TemporarySendError(f"cannot connect to SMTP server {self.where}: {exc}") from exc
        return client


def _classify(exc: aiosmtplib.SMTPResponseException, where: str) -> SendError:
    text = f"SMTP server {where} answered {exc.code} {exc.message}"
    return PermanentSendError(text) if 500 <= exc.code < 600 else TemporarySendError(text)
