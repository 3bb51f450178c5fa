"""The project's goals, checked on every blind set in `tests/heldout*/` (see `blind_sets.py`).

Goals: >= 95% of clean labeled replies approved with every field right; < 0.5% of approved entries
with a wrong field; free-form replies with the right full name and country >= 90% and never approved
wrong; no non-signature read as a signature; no withdrawal missed. A check a set does not meet yet is a
strict expected failure, so it shows in every run and fails the run as soon as it passes. Run with `-s`
for the tables; every failing mail is listed with what it should have given.
"""

from __future__ import annotations

from collections import Counter

import pytest

from tests.core import blind_sets as bs

# folder: (title, at least this many mails, at least this many per main language, in other languages)
SETS = {
    "heldout": ("held-out set 1", 300, 30, 0),
    "heldout2": ("held-out set 2", 350, 40, 15),
    "heldout3": ("held-out set 3", 300, 35, 0),
    "heldout4": ("held-out set 4", 220, 25, 0),
    "heldout5": ("held-out set 5", 190, 25, 0),
    "heldout6": ("held-out set 6", 210, 30, 4),
    "heldout7": ("held-out set 7", 210, 30, 3),
    "heldout8": ("held-out set 8", 210, 30, 0),
    "heldout9": ("held-out set 9", 210, 29, 5),
    "heldout10": ("held-out set 10", 210, 29, 5),
    "heldout11": ("held-out set 11", 200, 27, 0),
    "heldout12": ("held-out set 12", 200, 28, 0),
    "heldout13": ("held-out set 13", 200, 28, 0),
    "heldout14": ("held-out set 14", 200, 28, 0),
    "heldout15": ("held-out set 15", 200, 28, 3),
    "heldout16": ("held-out set 16", 200, 28, 5),
    "heldout17": ("held-out set 17", 200, 28, 4),
    "heldout18": ("held-out set 18", 200, 28, 4),
    "heldout19": ("held-out set 19", 200, 28, 3),
    "heldout20": ("held-out set 20", 200, 28, 4),
    "heldout21": ("held-out set 21", 200, 28, 4),
}
CHECKS = {
    "clean_labeled": bs.clean_labeled_approved_right,
    "approved_right": bs.approved_entries_right,
    "free_form": bs.free_form_right,
    "no_non_signature": bs.no_non_signature_as_signature,
    "no_withdrawal_missed": bs.no_withdrawal_missed,
}
# Where issue 3 is still short of its goals (the figures are in each set's README.md)
SHORT = {
    ("heldout6", "free_form"): "free-form name and country 33/38 (87%) on this set, the target is 90%",
    ("heldout9", "free_form"): "free-form name and country 30/35 (86%) on this set, the target is 90%",
    ("heldout17", "approved_right"): "1 of 80 approved entries with a wrong field (a presentation repeating "
                                     "the organization, which this set's author left out)",
    ("heldout18", "approved_right"): "2 of 87 approved entries with a wrong field (presentations with a town "
                                     "beside them, which this set's author left out)",
    ("heldout18", "free_form"): "free-form name and country 25/29 (86%) on this set, the target is 90%",
    ("heldout19", "free_form"): "free-form name and country 22/25 (88%) on this set, the target is 90%",
    ("heldout20", "free_form"): "free-form name and country 27/37 (73%) on this set, the target is 90%",
    ("heldout21", "approved_right"): "3 of 90 approved entries with a wrong field (presentations with a town "
                                     "beside them, which this set's author left out)",
    ("heldout21", "free_form"): "free-form name and country 28/34 (82%) on this set, the target is 90%",
}


def _param(folder: str, check: str):  # type: ignore[no-untyped-def]
    reason = SHORT.get((folder, check))
    marks = [pytest.mark.xfail(strict=True, reason=f"issue 3 open: {reason}")] if reason else []
    return pytest.param(folder, check, marks=marks, id=f"{folder}-{check}")


@pytest.mark.parametrize("folder", SETS)
def test_the_set_is_what_it_claims(folder, capsys):
    """Enough mails, enough per language, every file with a truth of a known kind; the table printed."""
    title, least, per_main, in_others = SETS[folder]
    cases = bs.load(folder)
    assert len(cases) >= least
    per_lang = Counter(c.lang for c in cases)
    assert all(per_lang[lang] >= per_main for lang in bs.LANGS), per_lang
    assert sum(n for lang, n in per_lang.items() if lang not in bs.LANGS) >= in_others, per_lang
    assert len(list((bs.TESTS / folder / "mail").glob("*.eml"))) == len(cases)
    for c in cases:
        assert c.kind in bs.TRUTH_KIND, c.name
        if c.kind == "signature":
            assert set(c.truth["fields"]) == set(bs.FIELDS), c.name
    with capsys.disabled():
        print(bs.table(title, cases))


@pytest.mark.parametrize("folder, check", [_param(f, c) for f in SETS for c in CHECKS])
def test_goal(folder, check, capsys):
    passed, report = CHECKS[check](bs.load(folder))
    with capsys.disabled():
        print(report)
    assert passed, report.split("\n")[1]
