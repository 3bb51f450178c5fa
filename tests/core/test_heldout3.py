"""Field accuracy on a third blind held-out set of reply mails.

Written blind on 2026-11-23 by a helper session (started by a session of the project to test it) that
read neither the parser (`mailbot/`) nor the first two held-out sets nor their generators; only
`test_heldout2.py` was read, to score this set the same way. The first run of this file, on the set as
committed, is the blind measure; anything fixed after it makes the set a regression test too, and
the history of the figures should then be written here.

History: the blind first run gave 79/123 clean labeled replies approved right (64%), 11 of 108
approved entries with a wrong field (10%; titles "Lic."/"Dra.", labels the table lacked such as
"Chi sono" in a table layout, "Georgia" read as the country), free-form name and country 45/63,
0 non-signatures as signatures, 0 withdrawals missed. Then: 6 website truths corrected by the set's
author (a generator slip), 10 clean mails marked not clean (the generator wrote the website
placeholder as "https://entfällt/"), and the parser fixed for the general causes (a line left unread
inside a form now holds the entry). Since then this set is a regression test as well.

`tests/heldout3/mail/*.eml` are 319 complete RFC 5322 replies to an appeal for five jailed dockworkers'
union leaders, in English, French, Spanish, Portuguese, German, Russian and Italian (45 or more each),
from several clients (Gmail, Outlook, Apple Mail, Thunderbird, GMX, web.de, Orange, Libero, Yandex,
Mail.ru, The Bat!, UOL, Terra) in several charsets and transfer encodings. `tests/heldout3/truth.json`
says, for each mail, what it is (signature, correction, withdrawal, auto_reply, bounce, bulk, question,
forward), its language and layout, and, for signatures, what a careful organizer would publish
(titles left out of names, names re-cased when written in capitals or lower case, ISO country code).
For corrections it lists only the fields the correction changes.

`clean` means an organizer could publish the reply without asking anyone (labeled, first name, name
and an unambiguous country, no re-casing or splitting needed); `doubtful` means an organizer would want
to check (a region or an ambiguous or defunct country, a patronymic, a long full name to split). A
doubtful entry that is approved counts as wrong only when a field is wrong.

Scoring and thresholds are those of `test_heldout2.py`, whose helpers are imported: >= 95% of clean
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
    import test_heldout2 as _h2
except ImportError:  # imported outside pytest's rootdir-less package layout
    _spec = importlib.util.spec_from_file_location("_heldout2", Path(__file__).with_name("test_heldout2.py"))
    _h2 = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(_h2)

Case, FIELDS, RULES, LANGS, STYLES = _h2.Case, _h2.FIELDS, _h2.RULES, _h2.LANGS, _h2.STYLES
SIGNATURE_TRUTHS, TRUTH_KIND, _pct = _h2.SIGNATURE_TRUTHS, _h2.TRUTH_KIND, _h2._pct

HERE = Path(__file__).resolve().parent.parent / "heldout3"


@pytest.fixture(scope="module")
def cases() -> list[Case]:
    truth = json.loads((HERE / "truth.json").read_text(encoding="utf-8"))["mails"]
    out = []
    for name in sorted(truth):
        raw = (HERE / "mail" / name).read_bytes()
        out.append(Case(name, truth[name], read_reply(raw, RULES)))
    return out


def test_the_set_is_what_it_claims(cases):
    """At least 300 mails, at least 35 per language, every file has a truth."""
    assert len(cases) >= 300
    per_lang = Counter(c.lang for c in cases)
    assert all(per_lang[lang] >= 35 for lang in LANGS), per_lang
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
        print(f"\n\nheld-out set 3: {len(cases)} mails ({len(sigs)} signatures, {len(corr)} corrections)")
        print(f"  {'group':<24}{'total':>6}{'approved':>10}{'appr.right':>11}{'appr.WRONG':>11}"
              f"{'all right':>10}{'name+ctry':>10}{'clean ok/clean':>16}{'doubt.appr':>12}")
        order = ["all signatures"] + [f"lang {x}" for x in LANGS] + [f"style {s}" for s in STYLES]
        for key in order:
            r = rows.get(key)
            if not r:
                continue
            clean = f"{r['clean_ok']}/{r['clean']}" if r["clean"] else "-"
            doubt = f"{r['doubtful_approved']}/{r['doubtful']}" if r["doubtful"] else "-"
            print(f"  {key:<24}{r['total']:>6}{r['approved']:>10}{r['approved_right']:>11}"
                  f"{r['approved_wrong']:>11}{r['right']:>10}{r['name_country']:>10}{clean:>16}{doubt:>12}")
        print("  fields right over all signatures: "
              + ", ".join(f"{f} {field_right[f]}/{len(sigs)}" for f in FIELDS))
        print(f"  corrections read as corrections: {_pct(sum(c.kind_right for c in corr), len(corr))}; "
              "with the changed fields right: "
              f"{_pct(sum(c.kind_right and not c.wrong for c in corr), len(corr))}; "
              "read as a signature update carrying the changed fields right: "
              f"{_pct(sum(c.reply.kind is Kind.signature and not c.wrong for c in corr), len(corr))}")
        print("  kinds (truth -> parsed):")
        for (want, got), n in sorted(kinds.items()):
            print(f"    {want:<11} -> {got:<11} {n}")


def test_clean_labeled_replies_approved_right(cases, capsys):
    """>= 95% of clean labeled replies approved with every field exactly right."""
    clean = [c for c in cases if c.kind == "signature" and c.clean]
    ok = [c for c in clean if c.approved and c.all_right]
    with capsys.disabled():
        print(f"\n  clean labeled approved with all fields right: {_pct(len(ok), len(clean))}")
        per_lang = Counter(c.lang for c in ok), Counter(c.lang for c in clean)
        print("    " + ", ".join(f"{x} {per_lang[0][x]}/{per_lang[1][x]}" for x in LANGS if per_lang[1][x]))
        for c in clean:
            if c not in ok:
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
    bad = [c for c in cases if c.kind not in SIGNATURE_TRUTHS and c.reply.kind in _h2.SIGNATURE_KINDS]
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
