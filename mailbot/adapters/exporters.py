"""Published signatory lists: one exporter per format, and atomic writing of the files.

Templates render the view model from `mailbot.core.listing`; CSV and JSON are written here.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import Any

import jinja2

from mailbot.adapters.templates import make_template_env
from mailbot.core.listing import Listing, build_listing
from mailbot.core.model import Signatory

log = logging.getLogger(__name__)

COLUMNS = (
    "id",
    "first_name",
    "name",
    "country",
    "country_code",
    "presentation",
    "organization",
    "website",
    "status",
    "signed_at",
    "updated_at",
)


@dataclass(frozen=True)
class ExportContext:
    """What every exporter gets; `rows` hold no address unless `include_email`."""

    rows: tuple[Signatory, ...]
    campaign_name: str
    language: str
    generated_at: datetime
    include_email: bool
    env: jinja2.Environment

    @cached_property
    def listing(self) -> Listing:
        return build_listing(
            self.rows,
            campaign_name=self.campaign_name,
            language=self.language,
            generated_at=self.generated_at,
        )


@dataclass(frozen=True)
class Exporter:
    filename: str  # the name `write_lists` gives the file
    render: Callable[[ExportContext], str]


def render(
    fmt: str,
    rows: Sequence[Signatory],
    *,
    campaign_name: str,
    language: str,
    generated_at: datetime,
    include_email: bool = False,
    templates: jinja2.Environment | Path | None = None,
) -> str:
    """The list of `rows` as text in format `fmt`, a key of `EXPORTERS`."""
    exporter = _exporter(fmt)
    context = _context(rows, campaign_name, language, generated_at, include_email, templates)
    return exporter.render(context)


def write_lists(
    directory: Path,
    formats: Iterable[str],
    rows: Sequence[Signatory],
    *,
    campaign_name: str,
    language: str,
    generated_at: datetime,
    include_email: bool = False,
    templates: jinja2.Environment | Path | None = None,
) -> list[Path]:
    """Write one file per format into `directory`, atomically; return the files that changed.

    A file whose content is already right is left alone, so its readers and its mtime are undisturbed.
    """
    exporters = [(fmt, _exporter(fmt)) for fmt in dict.fromkeys(formats)]
    context = _context(rows, campaign_name, language, generated_at, include_email, templates)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt, exporter in exporters:
        path = directory / exporter.filename
        if _write_if_changed(path, exporter.render(context).encode("utf-8")):
            written.append(path)
            log.info("list written format=%s path=%s rows=%d", fmt, path, len(context.rows))
    return written


def write_file(path: Path, text: str) -> bool:
    """Write one more published file (changes.json) the same way: atomic, only when it changed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return _write_if_changed(path, text.encode("utf-8"))


def _exporter(fmt: str) -> Exporter:
    try:
        return EXPORTERS[fmt]
    except KeyError:
        known = ", ".join(EXPORTERS)
        raise ValueError(f"unknown export format {fmt!r}; expected one of: {known}") from None


def _context(
    rows: Sequence[Signatory],
    campaign_name: str,
    language: str,
    generated_at: datetime,
    include_email: bool,
    templates: jinja2.Environment | Path | None,
) -> ExportContext:
    env = templates if isinstance(templates, jinja2.Environment) else make_template_env(templates)
    # Addresses are dropped here, once, so no format can leak one by mistake.
    public = tuple(rows) if include_email else tuple(replace(row, email="") for row in rows)
    return ExportContext(public, campaign_name, language, generated_at, include_email, env)


def _template(name: str) -> Callable[[ExportContext], str]:
    def render_template(context: ExportContext) -> str:
        template = context.env.get_template(name)
        return template.render(listing=context.listing, include_email=context.include_email)

    return render_template


def _columns(context: ExportContext) -> tuple[str, ...]:
    return COLUMNS + ("email",) if context.include_email else COLUMNS


def _record(row: Signatory, columns: tuple[str, ...]) -> dict[str, Any]:
    values: dict[str, Any] = {
        "id": row.id,
        "first_name": row.first_name,
        "name": row.name,
        "country": row.country,
        "country_code": row.country_code or None,
        "presentation": row.presentation,
        "organization": row.organization,
        "website": row.website,
        "status": row.status.value,
        "signed_at": row.signed_at.isoformat(),
        "updated_at": row.updated_at.isoformat(),
        "email": row.email,
    }
    return {column: values[column] for column in columns}


def _sorted_rows(context: ExportContext) -> list[Signatory]:
    return sorted(context.rows, key=lambda row: row.id)


def _render_json(context: ExportContext) -> str:
    columns = _columns(context)
    records = [_record(row, columns) for row in _sorted_rows(context)]
    text = json.dumps(records, ensure_ascii=False, indent=2)
    # Still the same JSON, but safe to paste inside an HTML <script> or a JS string literal.
    for char, escaped in _JSON_HTML_SAFE.items():
        text = text.replace(char, escaped)
    return text + "\n"


_JSON_HTML_SAFE = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def _render_csv(context: ExportContext) -> str:
    columns = _columns(context)
    out = io.StringIO()
    writer = csv.writer(out)  # RFC 4180: CRLF line ends, quotes where needed
    writer.writerow(columns)
    for row in _sorted_rows(context):
        record = _record(row, columns)
        writer.writerow(_neutralize_formula(record[column]) for column in columns)
    return out.getvalue()


# A spreadsheet runs a cell starting with one of these as a formula (OWASP "CSV injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def _neutralize_formula(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return "" if value is None else value


def _write_if_changed(path: Path, content: bytes) -> bool:
    try:
        if path.read_bytes() == content:
            return False
        mode = path.stat().st_mode & 0o777
    except FileNotFoundError:
        mode = 0o644  # published lists are meant to be read, e.g. by a web server
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as tmp:
            tmp.write(content)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    _fsync_directory(path.parent)
    return True


def _fsync_directory(directory: Path) -> None:
    # Makes the rename itself durable, so a crash right after cannot bring the old file back.
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return  # not possible everywhere (Windows); the rename is still atomic
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


EXPORTERS: dict[str, Exporter] = {
    "html": Exporter("signatories.html", _template("lists/signatories.html.j2")),
    "fragment": Exporter(
        "signatories.fragment.html", _template("lists/signatories.fragment.html.j2")
    ),
    "md": Exporter("signatories.md", _template("lists/signatories.md.j2")),
    "txt": Exporter("signatories.txt", _template("lists/signatories.txt.j2")),
    "csv": Exporter("signatories.csv", _render_csv),
    "json": Exporter("signatories.json", _render_json),
}
