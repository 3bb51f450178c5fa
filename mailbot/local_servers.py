"""Real IMAP (pymap) and SMTP (aiosmtpd) servers on loopback, for the demo and the tests."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType
from typing import Any

from mailbot.errors import MailbotError

_PYMAP = "import sys; from pymap.main import main; sys.argv[0] = 'pymap'; main()"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for_port(port: int, process: subprocess.Popen[bytes], what: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise MailbotError(f"{what} exited at start (code {process.returncode})")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise MailbotError(f"{what} did not listen on 127.0.0.1:{port} within {seconds:g} s")


class PymapServer:
    """pymap's in-memory IMAP server in a subprocess: one user, empty INBOX, gone when stopped."""

    def __init__(self, username: str = "campaign", password: str = "demo-password") -> None:
        self.username, self.password = username, password
        self.host, self.port = "127.0.0.1", 0
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> PymapServer:
        self.port = free_port()
        try:
            import pymap  # noqa: F401
        except ImportError:
            raise MailbotError("the demo needs pymap: pip install 'mailbot[demo]'") from None
        self._spawn()
        return self

    def _spawn(self) -> None:
        self._process = subprocess.Popen(
            [sys.executable, "-c", _PYMAP, "--host", self.host, "--port", str(self.port),
             "--no-tls", "dict", "--demo-user", self.username, "--demo-password", self.password],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait_for_port(self.port, self._process, "pymap IMAP server", 20)

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(5)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._process = None

    def restart(self) -> None:
        """A new server on the same port: empty, with a new UIDVALIDITY."""
        self.stop()
        self._spawn()

    def __enter__(self) -> PymapServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


class SmtpSink:
    """aiosmtpd on loopback that keeps every mail it receives, in memory and optionally on disk."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory
        self.messages: list[tuple[str, list[str], bytes]] = []  # (mail from, rcpt tos, data)
        self.refuse: dict[str, tuple[int, str]] = {}  # recipient -> SMTP code and text
        self.sessions = 0  # EHLO/HELO greetings seen: one per connection
        self.host, self.port = "127.0.0.1", 0
        self._controller: Any = None

    async def handle_EHLO(self, server, session, envelope, hostname, responses):  # noqa: N802
        self.sessions += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.refuse:
            code, text = self.refuse[address]
            return f"{code} {text}"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        data = envelope.original_content or envelope.content
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), data))
        if self.directory is not None:
            self.directory.mkdir(parents=True, exist_ok=True)
            (self.directory / f"{len(self.messages):04d}.eml").write_bytes(data)
        return "250 Message accepted"

    def start(self) -> SmtpSink:
        try:
            from aiosmtpd.controller import Controller
        except ImportError:
            raise MailbotError("the demo needs aiosmtpd: pip install 'mailbot[demo]'") from None
        self.port = free_port()
        controller = Controller(self, hostname=self.host, port=self.port)
        controller.start()
        self._controller = controller
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> SmtpSink:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
