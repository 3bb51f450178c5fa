"""The campaign's configuration: a TOML file validated at load into frozen dataclasses.

Every problem is reported at once, each naming the file, the table, the key and the fix.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import re
import stat
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mailbot.errors import ConfigError

SECURITY = ("ssl", "starttls", "plain")
EXPORT_FORMATS = ("html", "fragment", "md", "txt", "csv", "json")


log = logging.getLogger(__name__)

@dataclass(frozen=True)
class CampaignSettings:
    name: str
    address: str
    language: str = "en"
    country_names: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ImapSettings:
    host: str
    username: str
    port: int = 993
    security: str = "ssl"
    password: str = field(default="", repr=False)
    folder: str = "INBOX"
    processed_folder: str | None = None
    batch_size: int = 200
    timeout: float = 60.0


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 587
    security: str = "starttls"
    username: str | None = None
    password: str = field(default="", repr=False)
    timeout: float = 60.0


@dataclass(frozen=True)
class DatabaseSettings:
    url: str


@dataclass(frozen=True)
class ExportSettings:
    directory: Path
    formats: tuple[str, ...] = EXPORT_FORMATS


@dataclass(frozen=True)
class ScheduleSettings:
    poll_every: int = 300  # seconds
    digest_at: time = time(8, 0)
    timezone: str = "UTC"


@dataclass(frozen=True)
class DigestSettings:
    recipients: tuple[str, ...] = ()
    staff: tuple[str, ...] = ()  # who may act by replying; empty: the recipients
    grace: int = 12 * 3600  # seconds: a digest missed while the worker was down goes out this late
    review_url: str = ""  # the web review page, linked from the digest
    alert_after: int | None = None  # seconds of failing before staff get an alert; None: never

    @property
    def staff_addresses(self) -> frozenset[str]:
        return frozenset(a.lower() for a in (self.staff or self.recipients))


@dataclass(frozen=True)
class SecuritySettings:
    authserv_id: str = ""  # the receiving server's Authentication-Results id; "" trusts the topmost
    on_auth_fail: str = "review"  # review | reject | ignore: a signature whose sender fails DMARC


@dataclass(frozen=True)
class ReviewSettings:
    auto_approve: bool = True
    threshold: float = 0.8
    notify_on_edit: bool = True  # mail the signer when an organizer changed what they sent


@dataclass(frozen=True)
class WebSettings:
    """`mailbot serve`: where it listens, who may log in (argon2 hashes), the session secret."""

    host: str = "127.0.0.1"
    port: int = 8080
    public_url: str = ""  # the address organizers type; default http://host:port/
    organizers: Mapping[str, str] = field(default_factory=dict, repr=False)  # name -> argon2 hash
    session_secret: str = field(default="", repr=False)  # "" = generated and kept in the database

    @property
    def url(self) -> str:
        return self.public_url or f"http://{self.host}:{self.port}/"

    @property
    def is_https(self) -> bool:
        return self.url.startswith("https://")


@dataclass(frozen=True)
class TemplateSettings:
    directory: Path | None = None


@dataclass(frozen=True)
class LimitsSettings:
    """Guards that keep a flood of replies from turning mailbot into a spam cannon."""

    max_message_mb: int = 25  # larger mail is kept truncated to this size
    confirmations_per_recipient_per_day: int = 3
    confirmations_per_hour: int = 300
    replies_per_sender_per_hour: int = 5  # beyond this, new entries from the sender wait for review
    signatures_per_domain_per_hour: int = 50  # beyond this, new entries from the domain wait
    parse_timeout: int = 60  # seconds one mail may take to parse; then it is set aside


@dataclass(frozen=True)
class Config:
    path: Path
    campaign: CampaignSettings
    imap: ImapSettings
    smtp: SmtpSettings
    database: DatabaseSettings
    export: ExportSettings
    schedule: ScheduleSettings = field(default_factory=ScheduleSettings)
    digest: DigestSettings = field(default_factory=DigestSettings)
    review: ReviewSettings = field(default_factory=ReviewSettings)
    templates: TemplateSettings = field(default_factory=TemplateSettings)
    limits: LimitsSettings = field(default_factory=LimitsSettings)
    web: WebSettings = field(default_factory=WebSettings)
    security: SecuritySettings = field(default_factory=SecuritySettings)


_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
_DURATION = re.compile(r"^\s*(\d+)\s*(s|sec|seconds?|m|min|minutes?|h|hours?)?\s*$")


class _Reader:
    """Reads one table, collecting every problem instead of stopping at the first."""

    def __init__(self, path: Path, data: Mapping[str, Any], problems: list[str]) -> None:
        self.path, self.data, self.problems = path, data, problems

    def table(self, name: str, *, required: bool) -> dict[str, Any] | None:
        value = self.data.get(name)
        if value is None:
            if required:
                self.problems.append(f"{self.path}: table [{name}] is missing: add it "
                                     f"(see config.example.toml)")
            return None
        if not isinstance(value, dict):
            self.problems.append(f"{self.path}: [{name}] must be a table, got {type(value).__name__}")
            return None
        return value

    def problem(self, table: str, key: str, message: str) -> None:
        self.problems.append(f"{self.path} [{table}] {key}: {message}")

    def get(self, table: str, values: Mapping[str, Any], key: str, kind: type, default: Any = None,
            *, required: bool = False) -> Any:
        if key not in values:
            if required:
                self.problem(table, key, "is required: add it (see config.example.toml)")
            return default
        value = values[key]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if kind is int and isinstance(value, bool) or not isinstance(value, kind):
            self.problem(table, key, f"expected {_KIND_NAMES[kind]}, got {value!r}")
            return default
        return value

    def unknown(self, table: str, values: Mapping[str, Any], known: set[str]) -> None:
        for key in sorted(set(values) - known):
            hint = _close(key, known)
            fix = f"did you mean {hint!r}?" if hint else f"remove it; known keys: {', '.join(sorted(known))}"
            self.problem(table, key, f"unknown key: {fix}")


_KIND_NAMES = {str: "a string", int: "an integer", float: "a number", bool: "true or false",
               list: "a list", dict: "a table"}


def _close(key: str, known: set[str]) -> str | None:
    import difflib

    matches = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.6)
    return matches[0] if matches else None


def _secret(r: _Reader, table: str, values: Mapping[str, Any], environ: Mapping[str, str]) -> str:
    given = [k for k in ("password", "password_env", "password_file") if k in values]
    if len(given) > 1:
        r.problem(table, given[0], f"give one of password, password_env, password_file, not "
                  f"{' and '.join(given)}")
    if "password_env" in values:
        var = r.get(table, values, "password_env", str, "")
        if var and var not in environ:
            r.problem(table, "password_env", f"environment variable {var} is not set: export it "
                      f"before starting mailbot")
        return environ.get(var, "")
    if "password_file" in values:
        return _secret_file(r, table, r.get(table, values, "password_file", str, ""))
    return r.get(table, values, "password", str, "")


def _secret_file(r: _Reader, table: str, name: str) -> str:
    """A password kept in its own file (systemd credentials, Docker secrets): first line, stripped."""
    path = (r.path.parent / name).expanduser()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        r.problem(table, "password_file", f"cannot read {path} ({exc.strerror or exc}): create it "
                  f"with the password on its first line, readable by mailbot's user only")
        return ""
    if readable_by_others(path):
        log.warning("%s holds a password and other users can read it: chmod 600 %s", path, path)
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        r.problem(table, "password_file", f"{path} is empty: put the password on its first line")
        return ""
    return lines[0].strip()


def _security(r: _Reader, table: str, values: Mapping[str, Any], default: str) -> str:
    value = r.get(table, values, "security", str, default)
    if value not in SECURITY:
        r.problem(table, "security", f"expected one of {', '.join(SECURITY)}, got {value!r}")
        return default
    return value


def _port(r: _Reader, table: str, values: Mapping[str, Any], default: int) -> int:
    port = r.get(table, values, "port", int, default)
    if not 0 < port < 65536:
        r.problem(table, "port", f"expected a port number 1-65535, got {port}")
    return port


def _duration(r: _Reader, table: str, values: Mapping[str, Any], key: str, default: int) -> int:
    raw = values.get(key, default)
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    m = _DURATION.match(str(raw))
    if not m:
        r.problem(table, key, f'expected seconds or a duration like "5m" or "1h", got {raw!r}')
        return default
    unit = (m.group(2) or "s")[0]
    return int(m.group(1)) * {"s": 1, "m": 60, "h": 3600}[unit]


def _sqlite_next_to(url: str, base: Path) -> str:
    """A relative SQLite path is relative to the config file, not to the current directory."""
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url.startswith(prefix + "/") and url != prefix + ":memory:":
        return prefix + str((base / url[len(prefix):]).resolve())
    return url


def parse_config(data: Mapping[str, Any], path: Path, environ: Mapping[str, str]) -> Config:
    """Validate already-parsed TOML; raise ConfigError listing every problem."""
    problems: list[str] = []
    r = _Reader(path, data, problems)
    base = path.parent
    tables = {"limits", "campaign", "imap", "smtp", "database", "export", "schedule", "digest", "review",
              "templates", "web", "security"}
    for name in sorted(set(data) - tables):
        hint = _close(name, tables)
        problems.append(f"{path}: unknown table [{name}]" + (f": did you mean [{hint}]?" if hint else ""))

    c = r.table("campaign", required=True) or {}
    campaign_names = r.get("campaign", c, "country_names", dict, {})
    for code, display in campaign_names.items():
        if not re.fullmatch(r"[A-Z]{2}", code) or not isinstance(display, str):
            r.problem("campaign", "country_names", f"expected ISO codes mapped to names like "
                      f'{{ ES = "Spanish State" }}, got {code} = {display!r}')
    campaign = CampaignSettings(
        name=r.get("campaign", c, "name", str, "", required=True),
        address=r.get("campaign", c, "address", str, "", required=True),
        language=r.get("campaign", c, "language", str, "en"),
        country_names=dict(campaign_names),
    )
    if campaign.address and not _EMAIL.match(campaign.address):
        r.problem("campaign", "address", f"expected an email address, got {campaign.address!r}")
    r.unknown("campaign", c, {"name", "address", "language", "country_names"})

    i = r.table("imap", required=True) or {}
    imap_security = _security(r, "imap", i, "ssl")
    processed = r.get("imap", i, "processed_folder", str, None)
    imap = ImapSettings(
        host=r.get("imap", i, "host", str, "", required=True),
        port=_port(r, "imap", i, {"ssl": 993}.get(imap_security, 143)),
        security=imap_security,
        username=r.get("imap", i, "username", str, "", required=True),
        password=_secret(r, "imap", i, environ),
        folder=r.get("imap", i, "folder", str, "INBOX"),
        processed_folder=processed or None,
        batch_size=r.get("imap", i, "batch_size", int, 200),
        timeout=r.get("imap", i, "timeout", float, 60.0),
    )
    if not 1 <= imap.batch_size <= 1000:
        r.problem("imap", "batch_size", f"expected 1-1000, got {imap.batch_size}")
    r.unknown("imap", i, {"host", "port", "security", "username", "password", "password_env",
                          "password_file", "folder", "processed_folder", "batch_size", "timeout"})

    s = r.table("smtp", required=True) or {}
    smtp_security = _security(r, "smtp", s, "starttls")
    smtp = SmtpSettings(
        host=r.get("smtp", s, "host", str, "", required=True),
        port=_port(r, "smtp", s, {"ssl": 465, "starttls": 587}.get(smtp_security, 25)),
        security=smtp_security,
        username=r.get("smtp", s, "username", str, None),
        password=_secret(r, "smtp", s, environ),
        timeout=r.get("smtp", s, "timeout", float, 60.0),
    )
    r.unknown("smtp", s, {"host", "port", "security", "username", "password", "password_env",
                          "password_file", "timeout"})

    d = r.table("database", required=False) or {}
    url = _sqlite_next_to(r.get("database", d, "url", str, "sqlite:///mailbot.db"), base)
    r.unknown("database", d, {"url"})

    e = r.table("export", required=False) or {}
    formats = tuple(r.get("export", e, "formats", list, list(EXPORT_FORMATS)))
    for fmt in formats:
        if fmt not in EXPORT_FORMATS:
            r.problem("export", "formats", f"unknown format {fmt!r}: use any of "
                      f"{', '.join(EXPORT_FORMATS)}")
    export = ExportSettings(directory=base / r.get("export", e, "directory", str, "lists"),
                            formats=formats)
    r.unknown("export", e, {"directory", "formats"})

    sc = r.table("schedule", required=False) or {}
    digest_at_raw = r.get("schedule", sc, "digest_at", str, "08:00")
    try:
        digest_at = time.fromisoformat(digest_at_raw)
    except ValueError:
        r.problem("schedule", "digest_at", f'expected a time like "08:00", got {digest_at_raw!r}')
        digest_at = time(8, 0)
    tz = r.get("schedule", sc, "timezone", str, "UTC")
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        r.problem("schedule", "timezone", f'unknown time zone {tz!r}: use a name like '
                  f'"Europe/Paris" or "UTC"')
    schedule = ScheduleSettings(poll_every=_duration(r, "schedule", sc, "poll_every", 300),
                                digest_at=digest_at, timezone=tz)
    if schedule.poll_every < 10:
        r.problem("schedule", "poll_every", "poll at most every 10 seconds: servers ban faster "
                  "clients")
    r.unknown("schedule", sc, {"poll_every", "digest_at", "timezone"})

    dg = r.table("digest", required=False) or {}
    recipients = tuple(r.get("digest", dg, "recipients", list, []))
    for rcpt in recipients:
        if not isinstance(rcpt, str) or not _EMAIL.match(rcpt):
            r.problem("digest", "recipients", f"expected email addresses, got {rcpt!r}")
    digest = _digest(r, dg, recipients)

    rv = r.table("review", required=False) or {}
    review = ReviewSettings(auto_approve=r.get("review", rv, "auto_approve", bool, True),
                            threshold=r.get("review", rv, "threshold", float, 0.8),
                            notify_on_edit=r.get("review", rv, "notify_on_edit", bool, True))
    if not 0 <= review.threshold <= 1:
        r.problem("review", "threshold", f"expected a number between 0 and 1, got {review.threshold}")
    r.unknown("review", rv, {"auto_approve", "threshold", "notify_on_edit"})

    t = r.table("templates", required=False) or {}
    tdir = r.get("templates", t, "directory", str, None)
    templates = TemplateSettings(directory=(base / tdir) if tdir else None)
    if templates.directory and not templates.directory.is_dir():
        r.problem("templates", "directory", f"{templates.directory} is not a directory: create it "
                  f"or remove the key to use the default templates")
    r.unknown("templates", t, {"directory"})

    web = _web(r, r.table("web", required=False) or {}, environ)

    se = r.table("security", required=False) or {}
    on_auth_fail = r.get("security", se, "on_auth_fail", str, "review")
    if on_auth_fail not in ("review", "reject", "ignore"):
        r.problem("security", "on_auth_fail", f"expected review, reject or ignore, got {on_auth_fail!r}")
    security = SecuritySettings(authserv_id=r.get("security", se, "authserv_id", str, "").strip(),
                                on_auth_fail=on_auth_fail)
    if any(c.isspace() or c == ";" for c in security.authserv_id):
        r.problem("security", "authserv_id", f'expected a host name like "mx.example.org", got '
                  f"{security.authserv_id!r}")
    r.unknown("security", se, {"authserv_id", "on_auth_fail"})

    lm = r.table("limits", required=False) or {}
    limit_values = {}
    for f in dataclasses.fields(LimitsSettings):
        value = r.get("limits", lm, f.name, int, f.default)
        if value < 1:
            r.problem("limits", f.name, f"expected a whole number of at least 1, got {value}")
        limit_values[f.name] = value
    limits = LimitsSettings(**limit_values)
    r.unknown("limits", lm, {f.name for f in dataclasses.fields(LimitsSettings)})

    if problems:
        raise ConfigError("\n".join(problems))
    return Config(limits=limits, path=path, campaign=campaign, imap=imap, smtp=smtp,
                  database=DatabaseSettings(url=url), export=export, schedule=schedule,
                  digest=digest, review=review, templates=templates,
                  web=web, security=security)


def _digest(r: _Reader, dg: Mapping[str, Any], recipients: tuple[str, ...]) -> DigestSettings:
    staff = tuple(r.get("digest", dg, "staff", list, []))
    for who in staff:
        if not isinstance(who, str) or not _EMAIL.match(who):
            r.problem("digest", "staff", f"expected email addresses, got {who!r}")
    review_url = r.get("digest", dg, "review_url", str, "").strip()
    if review_url and not re.match(r"^https?://[^\s/]+\S*$", review_url):
        r.problem("digest", "review_url", f'expected an address like "https://review.example.org/", '
                  f"got {review_url!r}")
    alert_after = _duration(r, "digest", dg, "alert_after", 0) if "alert_after" in dg else None
    if alert_after is not None and alert_after < 60:
        r.problem("digest", "alert_after", 'expected at least a minute, like "30m" or "1h"; leave the '
                  "key out for no alerts")
    r.unknown("digest", dg, {"recipients", "staff", "grace", "review_url", "alert_after"})
    return DigestSettings(recipients=recipients, staff=staff,
                          grace=_duration(r, "digest", dg, "grace", 12 * 3600),
                          review_url=review_url, alert_after=alert_after)


def _web(r: _Reader, w: Mapping[str, Any], environ: Mapping[str, str]) -> WebSettings:
    organizers = r.get("web", w, "organizers", dict, {})
    for name, hashed in organizers.items():
        if not isinstance(hashed, str) or not hashed.startswith("$argon2"):
            r.problem("web", "organizers", f"{name}: expected an argon2 hash like \"$argon2id$v=19$...\": "
                      f"run `mailbot hash-password` and paste what it prints")
    public_url = r.get("web", w, "public_url", str, "").strip()
    if public_url and not re.match(r"^https?://[^\s/]+", public_url):
        r.problem("web", "public_url", f'expected an address like "https://review.example.org/", '
                  f"got {public_url!r}")
    if public_url and not public_url.endswith("/"):
        public_url += "/"
    secret = ""
    if "session_secret" in w or "session_secret_env" in w:
        if "session_secret" in w and "session_secret_env" in w:
            r.problem("web", "session_secret", "give either session_secret or session_secret_env, not "
                      "both")
        var = r.get("web", w, "session_secret_env", str, "")
        if var and var not in environ:
            r.problem("web", "session_secret_env", f"environment variable {var} is not set: export it "
                      f"before `mailbot serve`, or remove the key to keep a generated secret in the "
                      f"database")
        secret = environ.get(var, "") if var else r.get("web", w, "session_secret", str, "")
        if (var and secret or "session_secret" in w) and len(secret) < 32:
            r.problem("web", "session_secret", "expected at least 32 characters: generate one with "
                      "`python3 -c 'import secrets; print(secrets.token_urlsafe(32))'`")
    web = WebSettings(host=r.get("web", w, "host", str, "127.0.0.1"), port=_port(r, "web", w, 8080),
                      public_url=public_url, organizers={str(k): v for k, v in organizers.items()},
                      session_secret=secret)
    r.unknown("web", w, {"host", "port", "public_url", "organizers", "session_secret",
                         "session_secret_env"})
    return web


def load_config(path: Path, environ: Mapping[str, str] | None = None) -> Config:
    """Read and validate the campaign's TOML file."""
    environ = os.environ if environ is None else environ
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file: copy config.example.toml to {path} and edit it, "
                          f"or pass --config PATH") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read it: {exc.strerror}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    return parse_config(data, path.resolve(), environ)


def readable_by_others(path: Path) -> bool:
    """True when a config file that holds a password can be read by other users."""
    try:
        return bool(path.stat().st_mode & (stat.S_IRGRP | stat.S_IROTH))
    except OSError:
        return False


def with_overrides(cfg: Config, **tables: Any) -> Config:
    """A copy of cfg with some tables replaced (used by the demo and tests)."""
    return dataclasses.replace(cfg, **tables)
