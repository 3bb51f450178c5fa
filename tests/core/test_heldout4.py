"""Field accuracy on a fourth blind held-out set of reply mails.

Written blind by a helper session on 2026-11-23, which read neither the parser nor the earlier
held-out sets (only `test_heldout2.py`, whose scoring this file reuses). The first run of this file
is the blind measure; later runs are a regression test.

History: the blind first run gave 96/105 clean labeled replies approved right (91%; labels with a
typo such as "Fist name" or "Pyas", "Nome próprio", "Über mich"), 7 of 108 approved entries with a
field the author re-cased (presentations and organizations written in capitals, which the parser
published as written; it now holds them for review), free-form name and country 32/49 (65%), 0
non-signatures as signatures, 1 of 8 withdrawals missed ("retiro la firma"). Two truths corrected
after the run, as the set's author reported (h4_124, h4_208 never name a country). After the fixes:
104/105, 0/109, 44/49, 0/43, 0/8. Free-form stays under the issue's 90%: that check is marked as an
expected failure (strict), so CI shows it and fails as soon as it passes, until the issue is done.

`tests/heldout4/mail/*.eml` are 227 complete RFC 5322 replies to the appeal for Marek Ondruš
(English, French, Spanish, Portuguese, German, Russian and Italian, 25 or more each). Each body was
written individually rather than from a few templates: mixed greetings, the appeal's labels or the
signer's own words, typos in labels, extra spaces, values in capitals, signature blocks, fields in a
sentence, quoted appeals in the formats of Gmail, Outlook, Apple Mail, Thunderbird, mobile apps and
webmail, HTML parts (tables, <br>, <div>, <p>), and utf-8 (quoted-printable, base64), iso-8859-1,
windows-1251 and koi8-r. About a fifth are free-form signatures and a fifth non-signatures
(auto-replies with and without headers, bounces, newsletters, questions, forwards, withdrawals in
every language, corrections). `tests/heldout4/truth.json` has the same shape and flags as
`tests/heldout2/truth.json`: `clean` (labeled, first name, name and an unambiguous country, no
re-casing, splitting or title removal needed) and `doubtful` (an organizer would check); corrections
list only the fields they change.

Scoring, comparison rules and thresholds are those of `test_heldout2.py` (imported): >= 95% of clean
labeled replies approved with every field right; < 0.5% of approved entries with a wrong field;
free-form replies with the right full name and country >= 90% and never approved wrong; no
non-signature read as a signature; no withdrawal missed. Run with `-s` for the table.
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
    from test_heldout2 import FIELDS, RULES, SIGNATURE_KINDS, SIGNATURE_TRUTHS, TRUTH_KIND, Case, _pct
except ImportError:  # imported outside pytest's rootdir-less package layout
    _spec = importlib.util.spec_from_file_location("_heldout2", Path(__file__).with_name("test_heldout2.py"))
    _mod = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(_mod)
    FIELDS, RULES, SIGNATURE_KINDS = _mod.FIELDS, _mod.RULES, _mod.SIGNATURE_KINDS
    SIGNATURE_TRUTHS, TRUTH_KIND, Case, _pct = _mod.SIGNATURE_TRUTHS, _mod.TRUTH_KIND, _mod.Case, _mod._pct

HERE = Path(__file__).resolve().parent.parent / "heldout4"
LANGS = ("en", "fr", "es", "pt", "de", "ru", "it")
STYLES = ("labeled", "html_table", "html_para", "full_name_field", "free_form")


@pytest.fixture(scope="module")
def cases() -> list[Case]:
    truth = json.loads((HERE / "truth.json").read_text(encoding="utf-8"))["mails"]
    out = []
    for name in sorted(truth):
        raw = (HERE / "mail" / name).read_bytes()
        out.append(Case(name, truth[name], read_reply(raw, RULES)))
    return out


def test_the_set_is_what_it_claims(cases):
    """At least 220 mails, at least 25 per language, every file has a truth."""
    assert len(cases) >= 220
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
        print(f"\n\nheld-out set 4: {len(cases)} mails ({len(sigs)} signatures, {len(corr)} corrections)")
        head = f"  {'group':<24}{'total':>6}{'approved':>10}{'appr.right':>11}{'appr.WRONG':>11}" \
               f"{'all right':>10}{'name+ctry':>10}{'clean ok/clean':>16}{'doubt.appr':>12}"
        print(head)
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


@pytest.mark.xfail(strict=True, reason="issue 3 open: free-form name and country 44/49 (89.8%) on this "
                   "set, the target is 90% (countries only in an adjective, an organization name or an "
                   "inflected form)")
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
