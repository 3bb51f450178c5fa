"""A real Dovecot IMAP server on loopback for the tests and benchmarks: its own config, its own Maildir.

Dovecot comes from Debian's `dovecot-imapd` package (`.ci/run` installs it). It runs in the foreground
(`dovecot -F -c <own config>`), touches nothing in /etc/dovecot or /var, and listens on a free port of
127.0.0.1 with a plaintext password, like `mailbot.local_servers.PymapServer`, which this class mirrors
(context manager, start/stop/restart, `.port`, `.username`, `.password`).

Unlike pymap it keeps custom keywords ($MailbotHandled) and serves tens of thousands of messages: fill
it by writing files straight into the Maildir (`deliver`), which is much faster than APPEND.
"""

from __future__ import annotations

import grp
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import TracebackType

import imapclient
import pytest

from mailbot.local_servers import free_port

INSTALL_HINT = ("Dovecot is not installed: these tests need a real Dovecot IMAP server. `.ci/run` "
                "installs it (apt-get install -y dovecot-imapd); on your machine run "
                "`apt-get install dovecot-imapd`.")
MAX_LINE = 64 * 1024  # Dovecot's imap_max_line_length (default 64k): longer commands get BAD


class DovecotMissingError(RuntimeError):
    pass


class DovecotError(RuntimeError):
    pass


def dovecot_binary() -> str | None:
    """The dovecot master binary, also where PATH lacks /usr/sbin (non-login root shells)."""
    found = shutil.which("dovecot")
    if found:
        return found
    for candidate in ("/usr/sbin/dovecot", "/usr/local/sbin/dovecot"):
        if os.access(candidate, os.X_OK):
            return candidate
    return None


def dovecot_version() -> str:
    binary = dovecot_binary()
    if binary is None:
        raise DovecotMissingError(INSTALL_HINT)
    return subprocess.run([binary, "--version"], capture_output=True, text=True, check=True).stdout.strip()


_serial = itertools.count()


class DovecotServer:
    """Dovecot in a subprocess: one user, a Maildir in a temporary directory, gone when stopped."""

    def __init__(self, username: str = "campaign", password: str = "dovecot-password") -> None:
        self.username, self.password = username, password
        self.host, self.port = "127.0.0.1", 0
        self.directory: Path | None = None
        self.version = ""
        self._process: subprocess.Popen[bytes] | None = None
        self._uid = self._gid = -1

    # --- lifecycle -------------------------------------------------------------------------------

    def start(self) -> DovecotServer:
        binary = dovecot_binary()
        if binary is None:
            raise DovecotMissingError(INSTALL_HINT)
        self.version = dovecot_version()
        if not self.version.startswith("2.3"):
            # 2.4 renamed most settings (mail_location, disable_plaintext_auth, passdb blocks...)
            raise DovecotError(f"tests/dovecot.py writes a Dovecot 2.3 config; found {self.version}")
        self.port = free_port()
        # Not under pytest's tmp_path: that is mode 0700 and the mail processes run unprivileged.
        self.directory = Path(tempfile.mkdtemp(prefix="mailbot-dovecot-"))
        self.directory.chmod(0o755)
        self._uid, self._gid, user, group, internal, login = _accounts()
        self.maildir.mkdir()
        for sub in ("cur", "new", "tmp"):
            (self.maildir / sub).mkdir()
        for path in (self.maildir, *(self.maildir / s for s in ("cur", "new", "tmp"))):
            os.chown(path, self._uid, self._gid)
        self.config_path.write_text(self._config(user, group, internal, login), encoding="utf-8")
        self._binary = binary
        self._spawn()
        return self

    def _spawn(self) -> None:
        assert self.directory is not None
        self._process = subprocess.Popen([self._binary, "-F", "-c", str(self.config_path)],
                                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self._wait_for_port(20)

    def _wait_for_port(self, seconds: float) -> None:
        assert self._process is not None
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                err = self._process.stderr.read().decode(errors="replace") if self._process.stderr else ""
                raise DovecotError(f"dovecot exited at start (code {self._process.returncode}): "
                                   f"{err.strip()} {self.log()[-2000:]}")
            try:
                with socket.create_connection((self.host, self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.05)
        self._halt()
        raise DovecotError(f"dovecot did not listen on {self.host}:{self.port} within {seconds:g} s")

    def _halt(self) -> None:
        if self._process is not None:
            self._process.terminate()  # SIGTERM: the master stops its children and exits
            try:
                self._process.wait(10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            if self._process.stderr:
                self._process.stderr.close()
            self._process = None

    def stop(self) -> None:
        self._halt()
        if self.directory is not None:
            shutil.rmtree(self.directory, ignore_errors=True)
            self.directory = None

    def restart(self) -> None:
        """The same server, same port, same Maildir (what `reset_uids` needs)."""
        self._halt()
        self._spawn()

    def __enter__(self) -> DovecotServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    # --- files -----------------------------------------------------------------------------------

    @property
    def config_path(self) -> Path:
        assert self.directory is not None
        return self.directory / "dovecot.conf"

    @property
    def log_path(self) -> Path:
        assert self.directory is not None
        return self.directory / "dovecot.log"

    @property
    def maildir(self) -> Path:
        """The user's Maildir++ root, which is INBOX; other folders are `.Name` below it."""
        assert self.directory is not None
        return self.directory / "Maildir"

    def folder_path(self, folder: str = "INBOX") -> Path:
        return self.maildir if folder.upper() == "INBOX" else self.maildir / f".{folder}"

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except (OSError, AssertionError):
            return ""

    def _config(self, user: str, group: str, internal: str, login: str) -> str:
        d = self.directory
        assert d is not None
        return f"""# written by tests/dovecot.py for Dovecot 2.3
base_dir = {d}/run
state_dir = {d}/state
instance_name = mailbot-test-{os.getpid()}-{self.port}
log_path = {self.log_path}
info_log_path = {self.log_path}
protocols = imap
listen = {self.host}
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = {internal}
default_login_user = {login}
first_valid_uid = 1
first_valid_gid = 1
mail_uid = {user}
mail_gid = {group}
mail_location = maildir:{self.maildir}
mail_privileged_group =
mail_fsync = never
maildir_very_dirty_syncs = no
imap_max_line_length = {MAX_LINE}
passdb {{
  driver = static
  args = password={self.password}
}}
userdb {{
  driver = static
  args = uid={user} gid={group} home={d}/home
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = {self.host}
    port = {self.port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
"""

    def deliver(self, messages: Iterable[bytes], folder: str = "INBOX", *, seen: bool = False) -> int:
        """Drop messages into the Maildir as a delivery agent would (tmp/, then rename to new/).

        Dovecot picks them up at the next SELECT/NOOP; each gets the next UID in file order.
        """
        root = self.folder_path(folder)
        if not root.exists():
            for path in (root, root / "cur", root / "new", root / "tmp"):
                path.mkdir()
                os.chown(path, self._uid, self._gid)
            (root / "maildirfolder").touch()
        stamp = int(time.time())
        count = 0
        for data in messages:
            count += 1
            name = f"{stamp}.M{next(_serial)}P{os.getpid()}.mailbot-test,S={len(data)}"
            tmp = root / "tmp" / name
            tmp.write_bytes(data)
            os.chown(tmp, self._uid, self._gid)
            if seen:
                tmp.rename(root / "cur" / f"{name}:2,S")
            else:
                tmp.rename(root / "new" / name)
        return count

    def set_next_uid(self, next_uid: int, folder: str = "INBOX") -> None:
        """Make Dovecot number the next new mails from `next_uid` (only before it indexed any mail).

        Real servers hand out large UIDs after years of traffic; this is how the tests get them.
        """
        root = self.folder_path(folder)
        uidlist = root / "dovecot-uidlist"
        if uidlist.exists() or any((root / "cur").iterdir()):
            raise DovecotError("set_next_uid works on a folder Dovecot has not indexed yet")
        uidlist.write_text(f"3 V{int(time.time())} N{next_uid}\n")
        os.chown(uidlist, self._uid, self._gid)

    def reset_uids(self, folder: str = "INBOX") -> None:
        """Forget the folder's UIDs, as a server rebuilding its index does: same mail, new UIDVALIDITY.

        Dovecot is stopped while its uidlist and index files are deleted, then started again on the
        same port; the mail files (and their \\Seen flag in the file name) stay.
        """
        self._halt()
        root = self.folder_path(folder)
        for path in root.iterdir():
            if path.name == "dovecot-uidlist" or path.name.startswith("dovecot.index"):
                path.unlink()
        for path in self.maildir.glob("dovecot.list.index*"):
            path.unlink()
        self._spawn()

    # --- a client of our own, to look at the server's side -----------------------------------------

    def client(self, folder: str | None = "INBOX") -> imapclient.IMAPClient:
        client = imapclient.IMAPClient(self.host, port=self.port, ssl=False, timeout=30)
        client.login(self.username, self.password)
        if folder is not None:
            client.select_folder(folder)
        return client

    def flags(self, folder: str = "INBOX") -> dict[int, tuple[bytes, ...]]:
        """Every message's flags in `folder`, fetched in slices (one command stays under 64 KiB)."""
        client = self.client(None)
        try:
            client.select_folder(folder, readonly=True)
            uids = client.search(["ALL"])
            out: dict[int, tuple[bytes, ...]] = {}
            for start in range(0, len(uids), 2000):
                got = client.fetch(uids[start:start + 2000], ["FLAGS"])
                out.update({uid: tuple(v[b"FLAGS"]) for uid, v in got.items()})
            return out
        finally:
            client.logout()


FIRST_NAMES = ("Ana", "Bruno", "Carla", "Diego", "Elena", "Felipe", "Gloria", "Hugo", "Ines", "Jorge")


def surname(i: int) -> str:
    """A distinct, name-like surname per number (digits would make the parser doubt the name)."""
    letters = "aeioubdklmnprstv"
    suffix = ""
    while True:
        i, r = divmod(i, len(letters))
        suffix = letters[r] + suffix
        if not i:
            return "Lima" + suffix


def signature_mail(i: int, campaign: str = "appeal@campaign.example") -> bytes:
    """Reply number i to the appeal: its own sender, domain and Message-ID, a complete signature."""
    first, last = FIRST_NAMES[i % len(FIRST_NAMES)], surname(i)
    domain = f"d{i}.example"  # one domain each: [limits] signatures_per_domain_per_hour stays out
    return (f"From: {first} {last} <{first.lower()}.{last.lower()}@{domain}>\r\n"
            f"To: {campaign}\r\n"
            f"Subject: Re: International appeal for the release of political prisoners\r\n"
            f"Date: Tue, 09 Feb 2021 11:02:00 +0000\r\n"
            f"Message-ID: <sig-{i}@{domain}>\r\n"
            f"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
            f"I sign.\r\n\r\nFirst name: {first}\r\nName: {last}\r\nCountry: Brazil\r\n").encode()


def _accounts() -> tuple[int, int, str, str, str, str]:
    """Who owns the mail and runs Dovecot's helpers.

    Dovecot refuses uid 0 for mail processes, so as root the mail belongs to `nobody`, and the
    internal and login processes use the accounts the Debian package created. Without root,
    everything runs as the current user.
    """
    if os.geteuid() != 0:
        me = pwd.getpwuid(os.geteuid())
        group = grp.getgrgid(os.getegid()).gr_name
        return me.pw_uid, me.pw_gid, me.pw_name, group, me.pw_name, me.pw_name
    nobody = pwd.getpwnam("nobody")
    group = grp.getgrgid(nobody.pw_gid).gr_name

    def account(preferred: str) -> str:
        try:
            pwd.getpwnam(preferred)
            return preferred
        except KeyError:
            return "nobody"

    return nobody.pw_uid, nobody.pw_gid, "nobody", group, account("dovecot"), account("dovenull")


@pytest.fixture
def dovecot_server() -> Iterator[DovecotServer]:
    """A fresh Dovecot per test. Not installed is a failure, never a skip."""
    try:
        server = DovecotServer().start()
    except DovecotMissingError as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        yield server
    finally:
        server.stop()
