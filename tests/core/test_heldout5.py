"""Field accuracy on a fifth blind held-out set of reply mails.

Written blind by a helper session on 2026-11-23: its author read neither the parser (`mailbot/`) nor the
earlier held-out sets, only `test_heldout2.py`, whose scoring this file reuses. The first run is the blind
measure; its output is kept by the session that asked for the set. Fixing the parser afterwards turns this
set into a regression test, and the figures of that first run should then be quoted here.

History: the blind first run (the last blind measure of this session) gave 87/101 clean labeled
replies approved right (86%; 7 of the misses are presentations in capitals, held for review by
design), 1 of 94 approved entries with a wrong field ("Nome: Giovanni e Maria", two people, approved),
free-form name and country 27/30 (90%), 1 of 47 non-signatures read as a signature (a forward saying
"a ver si firmamos todos", pending), 2 of 12 withdrawals missed (passive or indirect wording). After
fixing those causes: 88/101, 0/94, 27/30, 0/47, 0/12. The clean-labeled check stays under the
issue's 95% (capitals held, fields typed inside the quoted appeal, labels with a slip the parser does
not take, fields in a sentence without colons): it is a strict expected failure until the issue is done.

`tests/heldout5/mail/*.eml` are about 200 complete RFC 5322 replies to the appeal for the jailed students
(English, French, Spanish, Portuguese, German, Russian and Italian, 25 or more each): labeled forms with
the appeal's labels or the signer's own, values in capitals or lower case, label typos, titles in the
first-name field, fields on one line, HTML-only and multipart mails, several charsets (utf-8 qp/base64,
iso-8859-1, windows-1251, windows-1252, koi8-r), quoted appeals in the usual clients' formats, about 20%
free-form signatures and about 25% non-signatures (auto-replies with and without headers, bounces,
newsletters, questions, forwards, withdrawals in every language, corrections). `tests/heldout5/truth.json`
gives, per mail, its kind, language, layout, the `clean` and `doubtful` flags and, for signatures, what a
careful organizer would publish (for corrections, only the fields the correction changes).

Scoring and thresholds are those of `test_heldout2.py`: >= 95% of clean labeled replies approved with every
field right; < 0.5% of approved entries with a wrong field; free-form replies with the right full name and
country >= 90% and never approved wrong; no non-signature read as a signature; no withdrawal missed.
Run with `-s` for the table; every failing mail is listed with what it should have given.
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
    from test_heldout2 import FIELDS, LANGS, RULES, SIGNATURE_TRUTHS, STYLES, TRUTH_KIND, Case, _pct
except ImportError:  # imported outside pytest's rootdir-less package layout
    _spec = importlib.util.spec_from_file_location("_heldout2", Path(__file__).with_name("test_heldout2.py"))
    _mod = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(_mod)
    FIELDS, LANGS, RULES, SIGNATURE_TRUTHS = _mod.FIELDS, _mod.LANGS, _mod.RULES, _mod.SIGNATURE_TRUTHS
    STYLES, TRUTH_KIND, Case, _pct = _mod.STYLES, _mod.TRUTH_KIND, _mod.Case, _mod._pct

HERE = Path(__file__).resolve().parent.parent / "heldout5"


@pytest.fixture(scope="module")
def cases() -> list[Case]:
    truth = json.loads((HERE / "truth.json").read_text(encoding="utf-8"))["mails"]
    out = []
    for name in sorted(truth):
        raw = (HERE / "mail" / name).read_bytes()
        out.append(Case(name, truth[name], read_reply(raw, RULES)))
    return out


def test_the_set_is_what_it_claims(cases):
    """About 200 mails, at least 25 per language, every file has a truth."""
    assert len(cases) >= 190
    per_lang = Counter(c.lang for c in cases)
    assert all(per_lang[lang] >= 25 for lang in LANGS), per_lang
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
        for key in (f"lang {c.lang}", f"style {c.style}", "all signatures"):
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
        print(f"\n\nheld-out set 5: {len(cases)} mails ({len(sigs)} signatures, {len(corr)} corrections)")
        print(f"  {'group':<24}{'total':>6}{'approved':>10}{'appr.right':>11}{'appr.WRONG':>11}"
              f"{'all right':>10}{'name+ctry':>10}{'clean ok/clean':>16}{'doubt.appr':>12}")
        order = ["all signatures"] + [f"lang {x}" for x in LANGS] + [f"style {s}" for s in STYLES]
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
              "read as a signature update carrying the changed fields right: "
              f"{_pct(sum(c.reply.kind is Kind.signature and not c.wrong for c in corr), len(corr))}")
        print("  kinds (truth -> parsed):")
        for (want, got), n in sorted(kinds.items()):
            print(f"    {want:<11} -> {got:<11} {n}")


@pytest.mark.xfail(strict=True, reason="issue 3 open: clean labeled replies approved right 88/101 "
                   "(87%) on this set, the target is 95%")
def test_clean_labeled_replies_approved_right(cases, capsys):
    """>= 95% of clean labeled replies approved with every field exactly right."""
    clean = [c for c in cases if c.kind == "signature" and c.clean]
    ok = [c for c in clean if c.approved and c.all_right]
    missed = [c for c in clean if not (c.approved and c.all_right)]
    with capsys.disabled():
        print(f"\n  clean labeled approved with all fields right: {_pct(len(ok), len(clean))}")
        per_lang = Counter(c.lang for c in ok), Counter(c.lang for c in clean)
        print("    " + ", ".join(f"{x} {per_lang[0][x]}/{per_lang[1][x]}" for x in LANGS if per_lang[1][x]))
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
    sig_kinds = {TRUTH_KIND[k] for k in SIGNATURE_TRUTHS}
    bad = [c for c in cases if c.kind not in SIGNATURE_TRUTHS and c.reply.kind in sig_kinds]
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
