"""Published lists in every format: exact output, hostile values made harmless, atomic files."""

from __future__ import annotations

import csv
import io
import json
import os
import re
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

import jinja2
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import mailbot.adapters.templates as templates_module
from mailbot.adapters.exporters import EXPORTERS, render, write_lists
from mailbot.adapters.templates import default_template_dir, make_template_env, markdown_escape
from mailbot.core.model import Signatory, SignerKind, Status

GOLDEN = Path(__file__).parent.parent / "golden"
NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
HOSTILE_PRESENTATION = "<script>alert(1)</script>Professor"
FORMULA_ORG = '=HYPERLINK("https://evil.example","click")'
JSON_KEYS = [
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
]


def _row(
    id: int,
    first_name: str,
    name: str,
    country: str,
    code: str | None,
    presentation: str = "",
    organization: str = "",
    website: str = "",
    *,
    kind: SignerKind = SignerKind.person,
    status: Status = Status.approved,
) -> Signatory:
    return Signatory(
        id=id,
        first_name=first_name,
        name=name,
        country=country,
        country_code=code,
        presentation=presentation,
        organization=organization,
        website=website,
        kind=kind,
        status=status,
        signed_at=NOW - timedelta(days=id),
        updated_at=NOW - timedelta(hours=id),
        email=f"signer{id}@example.net",  # every row carries one: no public output may show it
    )


ROWS = [
    _row(
        1, "Nicolás", "del Caño", "Argentina", "AR", "Deputy", "PTS/FIT", "https://example.org/ndc"
    ),
    _row(2, "Ana", "Álvarez", "Argentina", "AR", "Teacher"),
    _row(3, "Bruno", "Bravo", "Argentina", "AR", "", "CeProDH"),
    _row(4, "Émile", "Zola", "France", "FR", "Writer", "L'Aurore", "www.example.fr"),
    _row(
        5,
        "<b>Mallory</b>",
        "O'Hara & Sons",
        "Réunion",
        "RE",
        HOSTILE_PRESENTATION,
        "*Bold* _under_ [x](javascript:alert(1))",
        "javascript:alert(1)",
    ),
    _row(6, "Eve", "Formula", "Russia", "RU", "-2+3", FORMULA_ORG, "@example"),
    _row(
        7,
        "",
        "",
        "France",
        "FR",
        "Trade union",
        "Confédération Générale du Travail",
        "https://example.fr/cgt",
        kind=SignerKind.organization,
    ),
    _row(8, "Kim", "Lee", "", None, "Student"),
    _row(9, "Şeyma", "Ölmez", "Kurdistan", None, "Journalist"),
    _row(10, "Pat", "Pending", "France", "FR", status=Status.pending),
    _row(11, "Wendy", "Withdrawn", "France", "FR", status=Status.withdrawn),
]
APPROVED = [row for row in ROWS if row.status is Status.approved]
FILENAMES = {
    "html": "signatories.html",
    "fragment": "signatories.fragment.html",
    "md": "signatories.md",
    "txt": "signatories.txt",
    "csv": "signatories.csv",
    "json": "signatories.json",
}


def _render(fmt: str, rows=APPROVED, **kw) -> str:
    kw.setdefault("language", "en")
    return render(fmt, rows, campaign_name="Free the <Press>", generated_at=NOW, **kw)


def _check_golden(name: str, actual: str, update: bool) -> None:
    path = GOLDEN / name
    if update:
        path.write_bytes(actual.encode("utf-8"))
        return
    if not path.exists():
        pytest.fail(f"{path} is missing; run pytest --update-golden and review the diff")
    assert actual == path.read_bytes().decode("utf-8")


@pytest.mark.parametrize("fmt", list(FILENAMES))
def test_output_matches_golden_file(fmt, update_golden):
    """Each format of the approved sample rows is exactly the reviewed golden file."""
    _check_golden(FILENAMES[fmt], _render(fmt), update_golden)


def test_french_text_matches_golden_file(update_golden):
    """Wording, number and date follow the campaign language."""
    _check_golden("signatories.fr.txt", _render("txt", language="fr"), update_golden)


def test_registry_names_each_file():
    """The registry has the six formats and the file names the export directory gets."""
    assert {fmt: exporter.filename for fmt, exporter in EXPORTERS.items()} == FILENAMES


@pytest.mark.parametrize("fmt", list(FILENAMES))
def test_public_outputs_hold_no_email_address(fmt):
    """Without include_email no format shows an address, although every row carries one."""
    assert "example.net" not in _render(fmt, ROWS)


@pytest.mark.parametrize("fmt", list(FILENAMES))
def test_email_is_shown_only_when_asked(fmt):
    """With include_email every format shows each address."""
    output = _render(fmt, APPROVED, include_email=True)
    for row in APPROVED:
        assert row.email in output


@pytest.mark.parametrize("fmt", ["html", "fragment", "md", "txt"])
def test_lists_show_only_the_rows_given(fmt):
    """The caller passes approved rows; pending and withdrawn ones then appear nowhere."""
    output = _render(fmt)
    assert "Nicolás del Caño" in output
    assert "Pending" not in output and "Withdrawn" not in output


@pytest.mark.parametrize("fmt", ["html", "fragment"])
def test_html_escapes_every_value_and_links_only_http(fmt):
    """Markup in a field shows as text; a javascript: website is never a link."""
    output = _render(fmt)
    assert "<script>" not in output and "<b>Mallory" not in output
    assert "&lt;script&gt;alert(1)&lt;/script&gt;Professor" in output
    assert 'href="javascript' not in output.lower()
    assert 'href="https://example.org/ndc"' in output
    assert 'href="https://www.example.fr"' in output
    hrefs = [part.split('"', 1)[0] for part in output.split('href="')[1:]]
    assert all(h.startswith(("https://", "#mailbot-")) for h in hrefs)


def test_fragment_is_embeddable():
    """The fragment has no document wrapper and only mailbot- classes and ids."""
    output = _render("fragment")
    for tag in ("<html", "<head", "<body", "<!DOCTYPE", "<style"):
        assert tag.lower() not in output.lower()
    classes = {c for part in output.split('class="')[1:] for c in part.split('"', 1)[0].split()}
    ids = {part.split('"', 1)[0] for part in output.split(' id="')[1:]}
    assert classes and all(name.startswith("mailbot-") for name in classes | ids)


def test_page_wraps_the_fragment():
    """The full page is a document with a viewport, the campaign name and the same list."""
    page = _render("html")
    assert page.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert '<meta name="viewport"' in page and "@media print" in page
    assert '<h1 class="mailbot-campaign">Free the &lt;Press&gt;</h1>' in page
    assert _render("fragment") in page


def test_markdown_escapes_user_values():
    """Markdown, links or raw HTML typed by a signer render as literal text."""
    output = _render("md")
    assert r"\<script\>alert(1)\</script\>Professor" in output
    assert r"\*Bold\* \_under\_ \[x\](javascript:alert(1))" in output
    assert not re.search(r"(?<!\\)\]\(javascript", output) and "<javascript" not in output
    assert "- Nicolás del Caño, Deputy, PTS/FIT — <https://example.org/ndc>" in output


@pytest.mark.parametrize(
    ("value", "escaped"),
    [
        ("# not a heading", r"\# not a heading"),
        ("1. not a list", r"1\. not a list"),
        ("- dash", r"\- dash"),
        ("a\nb\r\n= c", "a b = c"),
        ("Tom & Jerry | ~x~ `y`", r"Tom \& Jerry \| \~x\~ \`y\`"),
        ("back\\slash", r"back\\slash"),
        ("Dr. Smith (PhD)", "Dr. Smith (PhD)"),
    ],
)
def test_markdown_escape(value, escaped):
    """Only what Markdown would read as markup is escaped, and the value stays on one line."""
    assert markdown_escape(value) == escaped


def test_json_has_exactly_the_documented_keys_and_statuses():
    """JSON is an array of objects with the documented keys, status and ISO 8601 times included."""
    records = json.loads(_render("json", ROWS))
    assert [list(record) for record in records] == [JSON_KEYS] * len(ROWS)
    assert [r["id"] for r in records] == sorted(row.id for row in ROWS)
    statuses = {r["name"]: r["status"] for r in records}
    assert statuses["Pending"] == "pending" and statuses["Withdrawn"] == "withdrawn"
    by_id = {r["id"]: r for r in records}
    assert by_id[8]["country_code"] is None and by_id[1]["country_code"] == "AR"
    assert by_id[5]["presentation"] == HOSTILE_PRESENTATION
    assert datetime.fromisoformat(by_id[1]["signed_at"]) == NOW - timedelta(days=1)


def test_json_with_email_adds_the_key():
    """include_email adds an `email` key after the documented ones."""
    records = json.loads(_render("json", include_email=True))
    assert list(records[0]) == JSON_KEYS + ["email"]
    assert records[0]["email"] == "signer1@example.net"


def test_json_is_safe_to_inline_in_html():
    """Angle brackets and ampersands are \\u-escaped, so the JSON cannot close a <script>."""
    output = _render("json")
    assert "<" not in output and ">" not in output and "&" not in output


def test_csv_has_a_header_and_neutralizes_formulas():
    """CSV has the JSON columns as header; cells a spreadsheet would run get a leading quote."""
    parsed = list(csv.reader(io.StringIO(_render("csv", ROWS), newline="")))
    assert parsed[0] == JSON_KEYS
    by_id = {int(line[0]): dict(zip(JSON_KEYS, line, strict=True)) for line in parsed[1:]}
    assert set(by_id) == {row.id for row in ROWS}
    assert by_id[6]["organization"] == "'" + FORMULA_ORG
    assert by_id[6]["presentation"] == "'-2+3"
    assert by_id[6]["website"] == "'@example"
    assert by_id[1]["name"] == "del Caño" and by_id[8]["country_code"] == ""
    assert by_id[10]["status"] == "pending"


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_neutralizes_every_formula_start(start):
    """Each character that starts a formula gets the leading quote, in any column."""
    row = _row(1, start + "cmd", "Name", "France", "FR", organization=start + "1")
    parsed = list(csv.reader(io.StringIO(_render("csv", [row]), newline="")))
    assert parsed[1][1] == "'" + start + "cmd" and parsed[1][6] == "'" + start + "1"


def test_csv_with_email_adds_the_column():
    """include_email adds an email column."""
    parsed = list(csv.reader(io.StringIO(_render("csv", include_email=True), newline="")))
    assert parsed[0] == JSON_KEYS + ["email"] and parsed[1][-1] == "signer1@example.net"


def test_unknown_format_is_refused():
    """An unknown format names the ones that exist."""
    with pytest.raises(ValueError, match="unknown export format 'pdf'.*html"):
        _render("pdf")


def test_empty_list_renders_in_every_format():
    """A campaign with no signature yet still publishes valid, empty lists."""
    for fmt in FILENAMES:
        assert "0 signatures" in _render(fmt, []) or fmt in ("csv", "json")
    assert json.loads(_render("json", [])) == []


def test_write_lists_writes_every_file(tmp_path):
    """Each requested format lands in its file, with the rendered content and nothing else."""
    target = tmp_path / "public" / "lists"
    written = write_lists(
        target,
        FILENAMES,
        APPROVED,
        campaign_name="Free the <Press>",
        language="en",
        generated_at=NOW,
    )
    assert written == [target / name for name in FILENAMES.values()]
    assert sorted(os.listdir(target)) == sorted(FILENAMES.values())
    for fmt, name in FILENAMES.items():
        assert (target / name).read_bytes().decode("utf-8") == _render(fmt)
        assert (target / name).stat().st_mode & 0o777 == 0o644


def test_write_lists_leaves_unchanged_files_alone(tmp_path):
    """A second write of the same list touches nothing; a change rewrites only what differs."""
    options = {"campaign_name": "Appeal", "language": "en", "generated_at": NOW}
    write_lists(tmp_path, ["json", "csv", "txt"], APPROVED, **options)
    before = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in tmp_path.iterdir()}

    assert write_lists(tmp_path, ["json", "csv", "txt"], APPROVED, **options) == []
    assert {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in tmp_path.iterdir()} == before

    fewer = [row for row in APPROVED if row.id != 2]
    assert len(write_lists(tmp_path, ["json", "csv", "txt"], fewer, **options)) == 3
    assert "Álvarez" not in (tmp_path / "signatories.txt").read_text(encoding="utf-8")
    assert sorted(os.listdir(tmp_path)) == sorted(before)  # no temporary file left behind


def test_write_lists_replaces_atomically_and_keeps_the_mode(tmp_path):
    """The new content arrives by rename (a new inode), keeping the old file's permissions."""
    path = tmp_path / "signatories.json"
    path.write_text("stale", encoding="utf-8")
    path.chmod(0o640)
    old_inode = path.stat().st_ino
    write_lists(tmp_path, ["json"], APPROVED, campaign_name="A", language="en", generated_at=NOW)
    assert path.stat().st_ino != old_inode
    assert path.stat().st_mode & 0o777 == 0o640
    assert json.loads(path.read_text(encoding="utf-8"))[0]["id"] == 1


def test_write_lists_cleans_up_when_rendering_fails(tmp_path):
    """A failing template leaves the published file as it was and no temporary file."""
    (tmp_path / "tpl" / "lists").mkdir(parents=True)
    (tmp_path / "tpl" / "lists" / "signatories.txt.j2").write_text(
        "{{ missing }}", encoding="utf-8"
    )
    out = tmp_path / "out"
    out.mkdir()
    (out / "signatories.txt").write_text("old", encoding="utf-8")
    with pytest.raises(jinja2.UndefinedError):
        write_lists(
            out,
            ["txt"],
            APPROVED,
            campaign_name="A",
            language="en",
            generated_at=NOW,
            templates=tmp_path / "tpl",
        )
    assert os.listdir(out) == ["signatories.txt"]
    assert (out / "signatories.txt").read_text(encoding="utf-8") == "old"


def test_campaign_templates_override_the_defaults(tmp_path):
    """A campaign's own template is used first, and can extend the shipped one by its default/ name."""
    lists = tmp_path / "lists"
    lists.mkdir()
    (lists / "signatories.txt.j2").write_text("{{ listing.total }} people\n", encoding="utf-8")
    (lists / "signatories.html.j2").write_text(
        '{% extends "default/lists/signatories.html.j2" %}'
        "{% block header %}<h1>Our own title</h1>{% endblock %}",
        encoding="utf-8",
    )
    assert _render("txt", templates=tmp_path) == f"{len(APPROVED)} people\n"
    page = _render("html", templates=make_template_env(tmp_path))
    assert "<h1>Our own title</h1>" in page and "Nicolás del Caño" in page
    assert _render("md", templates=tmp_path) == _render("md")  # not overridden: the default


def test_template_env_is_strict_and_escapes_html_only():
    """Undefined names fail loudly; .html templates are autoescaped, text ones are not."""
    env = make_template_env(None)
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ nope }}").render()
    autoescape = env.autoescape
    assert callable(autoescape)
    assert autoescape("lists/x.html.j2") and autoescape("mail/x.html")
    assert not autoescape("mail/confirmation.txt.j2") and not autoescape(None)


def test_default_templates_are_found_in_the_checkout():
    """From a source checkout the default templates are the repository's templates/ folder."""
    assert (default_template_dir() / "lists" / "signatories.html.j2").is_file()


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.links: list[str] = []
        self.attrs: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attrs.update(name for name, _ in attrs)
        self.links += [value or "" for name, value in attrs if name == "href"]


FRAGMENT_TAGS = {"section", "p", "strong", "time", "nav", "ul", "li", "a", "span", "h2", "h3"}
FRAGMENT_ATTRS = {"class", "lang", "datetime", "aria-label", "href", "id", "rel"}
ANY_TEXT = st.text(max_size=30) | st.sampled_from(
    ["<script>x</script>", '"><img src=x onerror=alert(1)>', "javascript:alert(1)", "=1+1", "]]>"]
)


@given(st.lists(st.tuples(ANY_TEXT, ANY_TEXT, ANY_TEXT, ANY_TEXT), min_size=1, max_size=4))
@example([('"><svg onload=alert(1)>', "x", 'https://ok.example/"onclick=x', "-1")])
def test_no_value_can_add_markup_or_a_link(values):
    """Whatever signers type, the HTML holds only our tags and attributes, and only http(s) links."""
    rows = [
        _row(i, first, name, "France", "FR", text, text, website)
        for i, (first, name, text, website) in enumerate(values, start=1)
    ]
    parser = _Tags()
    parser.feed(_render("fragment", rows))
    assert parser.tags <= FRAGMENT_TAGS and parser.attrs <= FRAGMENT_ATTRS
    assert all(link.startswith(("http://", "https://", "#mailbot-")) for link in parser.links)


@given(st.lists(st.tuples(ANY_TEXT, ANY_TEXT, ANY_TEXT), min_size=1, max_size=4))
def test_csv_cells_never_start_a_formula(values):
    """Every CSV cell reads back as the value typed, quoted with ' when a spreadsheet would run it."""
    rows = [_row(i, a, b, "France", "FR", c, c, "") for i, (a, b, c) in enumerate(values, start=1)]
    parsed = list(csv.reader(io.StringIO(_render("csv", rows), newline="")))
    for line, (a, b, c) in zip(parsed[1:], values, strict=True):
        for cell, typed in zip((line[1], line[2], line[5]), (a, b, c), strict=True):
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
            assert cell == (
                "'" + typed if typed.startswith(("=", "+", "-", "@", "\t", "\r", "\n")) else typed
            )


def test_installed_templates_win_over_the_checkout(tmp_path, monkeypatch):
    """An installed wheel's mailbot/templates is used before a top-level templates/ folder."""
    installed = tmp_path / "site-packages" / "mailbot" / "templates"
    (installed / "lists").mkdir(parents=True)
    (installed / "lists" / "signatories.txt.j2").write_text("installed\n", encoding="utf-8")
    monkeypatch.setattr(templates_module, "_DEFAULT_DIRS", (installed, default_template_dir()))
    assert default_template_dir() == installed
    assert _render("txt") == "installed\n"
