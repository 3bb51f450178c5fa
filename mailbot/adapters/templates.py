"""The Jinja2 environment for mail and list templates: a campaign's own copies first, then ours."""

from __future__ import annotations

import re
from pathlib import Path

import jinja2

import mailbot

_PACKAGE_DIR = Path(mailbot.__file__).resolve().parent
# A wheel ships the templates inside the package (pyproject force-include); a source checkout has
# them at the top of the repository.
_DEFAULT_DIRS = (_PACKAGE_DIR / "templates", _PACKAGE_DIR.parent / "templates")
_AUTOESCAPED = (".html", ".htm", ".xml")


def default_template_dir() -> Path:
    """Where the templates that ship with mailbot are (installed package first, then checkout)."""
    for candidate in _DEFAULT_DIRS:
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        "mailbot's default templates are missing; looked in "
        + " and ".join(str(path) for path in _DEFAULT_DIRS)
    )


def make_template_env(directory: Path | None = None) -> jinja2.Environment:
    """An environment that loads `directory` first, then the default templates.

    A campaign template can build on the shipped one it replaces with
    `{% extends "default/lists/signatories.html.j2" %}`. Undefined names are errors; templates whose
    name ends in .html (before .j2) are autoescaped; a `md` filter escapes text for Markdown.
    """
    defaults = jinja2.FileSystemLoader(default_template_dir())
    loaders: list[jinja2.BaseLoader] = []
    if directory is not None:
        loaders.append(jinja2.FileSystemLoader(directory))
    loaders += [defaults, jinja2.PrefixLoader({"default": defaults})]
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        autoescape=_is_html,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = markdown_escape
    return env


def _is_html(name: str | None) -> bool:
    if name is None:
        return False
    return name.removesuffix(".j2").lower().endswith(_AUTOESCAPED)


# Everything CommonMark/GFM may read as markup or raw HTML inside a line.
_MD_INLINE = re.compile(r"([\\`*_\[\]<>|~&])")
# What starts a heading, list, quote, thematic break or setext underline at the start of a line.
_MD_LINE_START = re.compile(r"^([#+\-=])|^(\d+)([.)])")


def markdown_escape(value: object) -> str:
    """`value` as Markdown text that renders literally, on one line."""
    text = " ".join(str(value).split())
    text = _MD_INLINE.sub(r"\\\1", text)
    return _MD_LINE_START.sub(lambda m: "\\" + m[1] if m[1] else f"{m[2]}\\{m[3]}", text)
