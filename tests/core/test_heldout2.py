"""Field accuracy on a second blind held-out set of reply mails.

History, to keep the figures honest: scored blind first (2026-11-23, after the fixes the first set
prompted), it gave 156/202 clean labeled replies approved right (77.2%), 7 of 188 approved entries
with a wrong field (titles kept in the first name, "J. R." losing its dot, an unknown label with a
dash, a surname repeated in the first name), free-form 27/33, 5 of 26 withdrawals missed (all in
Polish, Turkish, Greek, Catalan, Dutch). The parser was then fixed for the general causes, so this
set is now a regression test too.

`tests/heldout2/mail/*.eml` are 390 complete RFC 5322 replies to the appeal (English, French,
Spanish, Portuguese, German, Russian and Italian, 50 or more each, and a few in Polish, Turkish, Greek,
Catalan and Dutch), written from scratch by someone who read neither the parser nor the first
held-out set. `tests/heldout2/truth.json` says, for each mail, what it is (signature, correction,
withdrawal, auto_reply, bounce, bulk, question, forward), its language and layout, and, for
signatures, what a careful organizer would publish. For corrections it lists only the fields the
correction changes.

Two flags: `clean` means an organizer could publish the reply without asking anyone (labeled, first
name, name and a real country given unambiguously, no re-casing or splitting needed). `doubtful`
means an organizer would want to check (a region or a contested place for a country, a patronymic,
a four-word full name to split, two signers in one mail); the bot had better leave these pending,
and one that is approved counts as wrong only when a field is wrong.

Scoring follows `test_heldout.py`, whose comparison rules are imported: a reply is approved when it
is a signature or correction, complete, with a confidence at or above `[review] threshold`; fields
are compared after white space and NFC normalization; names are case-sensitive; websites ignore the
scheme, a trailing slash and the case of the host.

Thresholds: >= 95% of clean labeled replies approved with every field right; < 0.5% of approved
entries with a wrong field; free-form replies with the right full name and country >= 90% and never
approved wrong; no non-signature read as a signature; no withdrawal missed. Run with `-s` for the
table; every failing mail is listed with what it should have given.
"""

from __future__ import annotations

import importlib.util
import json
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from mailbot.core.model import Kind
from mailbot.core.reply import read_reply

try:
    from test_heldout import FIELDS, RULES, SIGNATURE_KINDS, _pct, approved, same
except ImportError:  # imported outside pytest's rootdir-less package layout
    _spec = importlib.util.spec_from_file_location("_heldout1", Path(__file__).with_name("test_heldout.py"))
    _mod = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(_mod)
    FIELDS, RULES, SIGNATURE_KINDS = _mod.FIELDS, _mod.RULES, _mod.SIGNATURE_KINDS
    _pct, approved, same = _mod._pct, _mod.approved, _mod.same

HERE = Path(__file__).resolve().parent.parent / "heldout2"
TRUTH_KIND = {"signature": Kind.signature, "correction": Kind.correction, "auto_reply": Kind.auto_reply,
              "question": Kind.question, "forward": Kind.forward, "withdrawal": Kind.withdrawal,
              "bounce": Kind.bounce, "bulk": Kind.bulk}
SIGNATURE_TRUTHS = ("signature", "correction")
LANGS = ("en", "fr", "es", "pt", "de", "ru", "it")
OTHER_LANGS = ("pl", "tr", "el", "ca", "nl")
STYLES = ("labeled", "labeled_newline", "html_table", "html_list", "html_para", "full_name_field",
          "inline_quoted", "free_form")


class Case:
    def __init__(self, name: str, truth: dict, reply):
        self.name, self.truth, self.reply = name, truth, reply
        self.kind = truth["kind"]
        self.lang, self.style = truth["lang"], truth["style"]
        self.approved = approved(reply)
        self.wrong: list[tuple[str, str, str]] = []
        if self.kind in SIGNATURE_TRUTHS:
            want = truth["fields"]
            # a signature is compared on all six fields, a correction on the fields it changes
            for f in (FIELDS if self.kind == "signature" else [f for f in FIELDS if f in want]):
                got = getattr(reply.fields, f)
                if not same(f, got, want[f]):
                    self.wrong.append((f, got or "", want[f]))

    @property
    def clean(self) -> bool:
        return bool(self.truth.get("clean"))

    @property
    def doubtful(self) -> bool:
        return bool(self.truth.get("doubtful"))

    @property
    def kind_right(self) -> bool:
        return self.reply.kind is TRUTH_KIND[self.kind]

    @property
    def all_right(self) -> bool:
        return self.kind in SIGNATURE_TRUTHS and not self.wrong and self.reply.kind in SIGNATURE_KINDS

    @property
    def approved_wrong(self) -> bool:
        return self.approved and (self.kind not in SIGNATURE_TRUTHS or bool(self.wrong))

    @property
    def name_country_right(self) -> bool:
        return (self.reply.kind in SIGNATURE_KINDS
                and not {f for f, _, _ in self.wrong} & {"first_name", "name", "country_code"})

    def describe(self) -> str:
        r = self.reply
        flags = "".join((" clean" if self.clean else "", " doubtful" if self.doubtful else ""))
        lines = [f"  {self.name}  [{self.kind}/{self.style}/{self.lang}{flags}] -> kind={r.kind.value} "
                 f"confidence={r.confidence} approved={self.approved} traits={self.truth.get('traits')}"]
        for f, got, want in self.wrong:
            lines.append(f"      {f}: got {got!r}, truth {want!r}")
        if self.truth.get("note"):
            lines.append(f"      note: {self.truth['note']}")
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


def test_the_set_is_what_it_claims(cases):
    """At least 350 mails, at least 40 per main language, some in other languages, every file has a truth."""
    assert len(cases) >= 350
    per_lang = Counter(c.lang for c in cases)
    assert all(per_lang[lang] >= 40 for lang in LANGS), per_lang
    assert sum(per_lang[lang] for lang in OTHER_LANGS) >= 15, per_lang
    assert len(list((HERE / "mail").glob("*.eml"))) == len(cases)
    for c in cases:
        assert c.kind in TRUTH_KIND, c.name
        if c.kind == "signature":
            assert set(c.truth["fields"]) == set(FIELDS), c.name


def test_table(cases, capsys):
    """The table (always printed): per language and per style, approved and right."""
    sigs = [c for c in cases if c.kind == "signature"]
    rows: dict[str, Counter] = defaultdict(Counter)
    for c in sigs:
        lang = f"lang {c.lang}" if c.lang in LANGS else "lang other"
        for key in (lang, f"style {c.style}", "all signatures"):
            row = rows[key]
            row["total"] += 1
            row["approved"] += c.approved
            row["approved_right"] += c.approved and c.all_right
            row["approved_wrong"] += c.approved_wrong
            row["right"] += c.all_right
            row["name_country"] += c.name_country_right
            row["doubtful"] += c.doubtful
            row["doubtful_approved"] += c.doubtful and c.approved
            if c.clean:
                row["clean"] += 1
                row["clean_ok"] += c.approved and c.all_right
    kinds = Counter((c.kind, c.reply.kind.value) for c in cases)
    field_right = Counter(f for c in sigs for f in FIELDS if f not in {w[0] for w in c.wrong})
    corr = [c for c in cases if c.kind == "correction"]
    with capsys.disabled():
        print(f"\n\nheld-out set 2: {len(cases)} mails ({len(sigs)} signatures, {len(corr)} corrections)")
        head = f"  {'group':<24}{'total':>6}{'approved':>10}{'appr.right':>11}{'appr.WRONG':>11}" \
               f"{'all right':>10}{'name+ctry':>10}{'clean ok/clean':>16}{'doubt.appr':>12}"
        print(head)
        order = ["all signatures"] + [f"lang {x}" for x in (*LANGS, "other")] + [f"style {s}" for s in STYLES]
        for key in order:
            r = rows.get(key)
            if not r:
                continue
            print(f"  {key:<24}{r['total']:>6}{r['approved']:>10}{r['approved_right']:>11}"
                  f"{r['approved_wrong']:>11}{r['right']:>10}{r['name_country']:>10}"
                  f"{(str(r['clean_ok']) + '/' + str(r['clean'])) if r['clean'] else '-':>16}"
                  f"{(str(r['doubtful_approved']) + '/' + str(r['doubtful'])) if r['doubtful'] else '-':>12}")
        print("  fields right over all signatures: " +
              ", ".join(f"{f} {field_right[f]}/{len(sigs)}" for f in FIELDS))
        print(f"  corrections read as corrections: {_pct(sum(c.kind_right for c in corr), len(corr))}; "
              "with the changed fields right: "
              f"{_pct(sum(c.kind_right and not c.wrong for c in corr), len(corr))}; "
              f"read as a signature update carrying the changed fields right: "
              f"{_pct(sum(c.reply.kind is Kind.signature and not c.wrong for c in corr), len(corr))}")
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
        print("    " + ", ".join(f"{x} {per_lang[0][x]}/{per_lang[1][x]}" for x in (*LANGS, *OTHER_LANGS)
                               if per_lang[1][x]))
        for c in missed:
            print(c.describe())
    assert len(ok) >= 0.95 * len(clean)


def test_approved_entries_are_right(cases, capsys):
    """< 0.5% of automatically approved entries have any wrong field (doubtful ones included)."""
    appr = [c for c in cases if c.approved]
    wrong = [c for c in appr if c.approved_wrong]
    with capsys.disabled():
        print(f"\n  approved with a wrong field: {_pct(len(wrong), len(appr))} (must stay under 1 in 200); "
              f"doubtful approved: {sum(c.doubtful for c in appr)}")
        for c in wrong:
            print(c.describe())
        for c in appr:
            if c.doubtful and not c.approved_wrong:
                print("  (doubtful, approved, fields right)" + c.describe()[1:].split("\n")[0])
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
    bad = [c for c in cases if c.kind not in SIGNATURE_TRUTHS and c.reply.kind in SIGNATURE_KINDS]
    with capsys.disabled():
        others = [c for c in cases if c.kind not in SIGNATURE_TRUTHS]
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
