"""Field accuracy on a set of reply mails written blind, without reading the parser.

History, to keep the figures honest: scored blind first (2026-11-23), this set found 62 of 246
approved entries with a wrong field (a label copied with the appeal's hint, "Title/position",
unknown labels dropped silently). The parser was then fixed on these failures, so the set is now a
regression test, not a blind measure; `tests/heldout2/` was written blind afterwards for that.

`tests/heldout/mail/*.eml` are 420 complete RFC 5322 replies to the appeal (seven languages, many
mail clients, layouts, charsets and transfer encodings) and `tests/heldout/truth.json` says, for
each, what it is (signature, auto_reply, question, forward, withdrawal, bounce, bulk) and, for
signatures, what a careful organizer would publish. The set was written without reading the parser.

A reply counts as approved automatically the way the ledger decides it: a signature (or
correction) that is complete with a confidence at or above `[review] threshold` (0.8).

Fields are compared after trivial normalization only: surrounding and repeated white space, Unicode
NFC; names stay case-sensitive ("DUPONT" is not "Dupont"); websites ignore the scheme (http, https or
none), a trailing slash and the case of the host.

The thresholds are the project's goals: >= 95% of clean labeled replies approved with every field
right; < 0.5% of approved entries with a wrong field; free-form replies with the right full name and
country >= 90% and never approved wrong; no non-signature read as a signature; no withdrawal missed.
Run with `-s` for the table; every failing mail is listed with what it should have given.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from mailbot.core.model import Kind
from mailbot.core.reply import ParseRules, read_reply

HERE = Path(__file__).resolve().parent.parent / "heldout"
RULES = ParseRules(campaign_address="appeal@campaign.example")
FIELDS = ("first_name", "name", "country_code", "presentation", "organization", "website")
SIGNATURE_KINDS = (Kind.signature, Kind.correction)
TRUTH_KIND = {"signature": Kind.signature, "auto_reply": Kind.auto_reply, "question": Kind.question,
              "forward": Kind.forward, "withdrawal": Kind.withdrawal, "bounce": Kind.bounce,
              "bulk": Kind.bulk}
LANGS = ("en", "fr", "es", "pt", "de", "ru", "it")
LABELED_STYLES = ("labeled", "labeled_newline", "html_table", "html_list", "html_para")


def _norm(value: str | None) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", value or "")).strip()


def _norm_web(value: str | None) -> str:
    v = _norm(value)
    v = re.sub(r"^https?://", "", v, flags=re.I).rstrip("/")
    host, slash, path = v.partition("/")
    return host.lower() + slash + path


def same(field: str, got: str | None, want: str | None) -> bool:
    if field == "website":
        return _norm_web(got) == _norm_web(want)
    if field == "country_code":
        return (got or "").upper() == (want or "").upper()
    return _norm(got) == _norm(want)


def approved(reply) -> bool:
    return (reply.kind in SIGNATURE_KINDS and reply.is_complete
            and reply.confidence >= RULES.auto_approve_threshold)


class Case:
    def __init__(self, name: str, truth: dict, reply):
        self.name, self.truth, self.reply = name, truth, reply
        self.kind = truth["kind"]
        self.lang, self.style = truth["lang"], truth["style"]
        self.approved = approved(reply)
        self.wrong: list[tuple[str, str, str]] = []
        if self.kind == "signature":
            want = truth["fields"]
            for f in FIELDS:
                got = getattr(reply.fields, f)
                if not same(f, got, want[f]):
                    self.wrong.append((f, got or "", want[f]))

    @property
    def clean(self) -> bool:
        """A labeled reply (any label wording, separator, order or layout, any client, quote or
        charset) with first name, name and country given, names needing no re-casing and a country
        a reader recognizes without guessing."""
        return bool(self.truth.get("clean"))

    @property
    def all_right(self) -> bool:
        return self.kind == "signature" and not self.wrong and self.reply.kind in SIGNATURE_KINDS

    @property
    def approved_wrong(self) -> bool:
        return self.approved and (self.kind != "signature" or bool(self.wrong))

    @property
    def name_country_right(self) -> bool:
        return (self.reply.kind in SIGNATURE_KINDS
                and not {f for f, _, _ in self.wrong} & {"first_name", "name", "country_code"})

    def describe(self) -> str:
        r = self.reply
        lines = [f"  {self.name}  [{self.kind}/{self.style}/{self.lang}] -> kind={r.kind.value} "
                 f"confidence={r.confidence} approved={self.approved} traits={self.truth.get('traits')}"]
        for f, got, want in self.wrong:
            lines.append(f"      {f}: got {got!r}, truth {want!r}")
        if r.reasons:
            lines.append(f"      reasons: {list(r.reasons)}")
        return "\n".join(lines)


@pytest.fixture(scope="module")
def cases() -> list[Case]:
    truth = json.loads((HERE / "truth.json").read_text(encoding="utf-8"))["mails"]
    out = []
    for name in sorted(truth):
        raw = (HERE / "mail" / name).read_bytes()
        out.append(Case(name, truth[name], read_reply(raw, RULES)))
    return out


def _pct(a: int, b: int) -> str:
    return f"{a}/{b} ({100 * a / b:.1f}%)" if b else f"{a}/0"


def test_the_set_is_what_it_claims(cases):
    """At least 300 mails, at least 30 per language, every file has a truth."""
    assert len(cases) >= 300
    per_lang = Counter(c.lang for c in cases)
    assert all(per_lang[lang] >= 30 for lang in LANGS), per_lang
    assert len(list((HERE / "mail").glob("*.eml"))) == len(cases)


def test_table(cases, capsys):
    """The table (always printed): per language and per style, approved and right."""
    sigs = [c for c in cases if c.kind == "signature"]
    rows: dict[str, Counter] = defaultdict(Counter)
    for c in sigs:
        for key in (f"lang {c.lang}", f"style {c.style}", "all signatures"):
            row = rows[key]
            row["total"] += 1
            row["approved"] += c.approved
            row["approved_right"] += c.approved and c.all_right
            row["approved_wrong"] += c.approved_wrong
            row["right"] += c.all_right
            row["name_country"] += c.name_country_right
            if c.clean:
                row["clean"] += 1
                row["clean_ok"] += c.approved and c.all_right
    kinds = Counter((c.kind, c.reply.kind.value) for c in cases)
    field_right = Counter(f for c in sigs for f in FIELDS if f not in {w[0] for w in c.wrong})
    with capsys.disabled():
        print(f"\n\nheld-out replies: {len(cases)} mails ({len(sigs)} signatures)")
        head = f"  {'group':<24}{'total':>6}{'approved':>10}{'appr.right':>11}{'appr.WRONG':>11}" \
               f"{'all right':>10}{'name+ctry':>10}{'clean ok/clean':>16}"
        print(head)
        order = ["all signatures"] + [f"lang {x}" for x in LANGS] + \
            [f"style {s}" for s in (*LABELED_STYLES, "full_name_field", "free_form", "inline_quoted")]
        for key in order:
            r = rows.get(key)
            if not r:
                continue
            print(f"  {key:<24}{r['total']:>6}{r['approved']:>10}{r['approved_right']:>11}"
                  f"{r['approved_wrong']:>11}{r['right']:>10}{r['name_country']:>10}"
                  f"{(str(r['clean_ok']) + '/' + str(r['clean'])) if r['clean'] else '-':>16}")
        print("  fields right over all signatures: " +
              ", ".join(f"{f} {field_right[f]}/{len(sigs)}" for f in FIELDS))
        print("  kinds (truth -> parsed):")
        for (want, got), n in sorted(kinds.items()):
            print(f"    {want:<11} -> {got:<11} {n}")


def test_clean_labeled_replies_approved_right(cases, capsys):
    """>= 95% of clean labeled replies approved with every field exactly right."""
    clean = [c for c in cases if c.kind == "signature" and c.clean]
    ok = [c for c in clean if c.approved and c.all_right]
    missed = [c for c in clean if not (c.approved and c.all_right)]
    with capsys.disabled():
        print(f"\n  clean labeled approved with all fields right: {_pct(len(ok), len(clean))}")
        per_lang = Counter(c.lang for c in ok), Counter(c.lang for c in clean)
        print("    " + ", ".join(f"{x} {per_lang[0][x]}/{per_lang[1][x]}" for x in LANGS))
        for c in missed:
            print(c.describe())
    assert len(ok) >= 0.95 * len(clean)


def test_approved_entries_are_right(cases, capsys):
    """< 0.5% of automatically approved entries have any wrong field (the key metric)."""
    appr = [c for c in cases if c.approved]
    wrong = [c for c in appr if c.approved_wrong]
    with capsys.disabled():
        print(f"\n  approved with a wrong field: {_pct(len(wrong), len(appr))} (must stay under 1 in 200)")
        for c in wrong:
            print(c.describe())
    assert len(wrong) < 0.005 * len(appr) or not wrong


def test_free_form(cases, capsys):
    """Free-form: full name and country right >= 90%, and never approved with a wrong field."""
    free = [c for c in cases if c.kind == "signature" and c.style == "free_form"]
    right = [c for c in free if c.name_country_right]
    wrong_approved = [c for c in free if c.approved_wrong]
    with capsys.disabled():
        print(f"\n  free-form full name + country right: {_pct(len(right), len(free))}; "
              f"approved {sum(c.approved for c in free)}, approved wrong {len(wrong_approved)}")
        for c in free:
            if c not in right or c in wrong_approved:
                print(c.describe())
    assert wrong_approved == []
    assert len(right) >= 0.9 * len(free)


def test_no_non_signature_read_as_signature(cases, capsys):
    """Auto-replies, questions, forwards, withdrawals, bounces, bulk mail: never a signature."""
    bad = [c for c in cases if c.kind != "signature" and c.reply.kind in SIGNATURE_KINDS]
    with capsys.disabled():
        others = [c for c in cases if c.kind != "signature"]
        print(f"\n  non-signatures read as signatures: {_pct(len(bad), len(others))}")
        for c in bad:
            print(c.describe())
    assert bad == []


def test_no_withdrawal_missed(cases, capsys):
    """Every withdrawal, in every language, is read as a withdrawal."""
    wd = [c for c in cases if c.kind == "withdrawal"]
    missed = [c for c in wd if c.reply.kind is not Kind.withdrawal]
    with capsys.disabled():
        print(f"\n  withdrawals missed: {_pct(len(missed), len(wd))}")
        for c in missed:
            print(c.describe())
    assert missed == []
