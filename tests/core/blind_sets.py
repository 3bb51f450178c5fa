"""Scoring of the blind sets in `tests/heldout*/`: replies written by someone who read neither the parser
nor the other sets, each with a `truth.json` saying what a careful organizer would publish.

The history of each set (its blind first run, what was fixed after it) is in its folder's README.md.

A reply counts as approved automatically the way the ledger decides it: a signature (or correction) that
is complete with a confidence at or above `[review] threshold` (0.8). Fields are compared after trivial
normalization only: surrounding and repeated white space, Unicode NFC, a typographic apostrophe (’) as
a straight one (a mail's HTML and text parts differ there; set 8 noted it); names stay case-sensitive
("DUPONT" is not "Dupont"); websites ignore the scheme (http, https or none), a trailing slash and the
case of the host. A signature is compared on all six fields, a correction on the fields it changes.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

from mailbot.core.model import Kind
from mailbot.core.reply import ParseRules, read_reply

TESTS = Path(__file__).resolve().parent.parent
RULES = ParseRules(campaign_address="appeal@campaign.example")
FIELDS = ("first_name", "name", "country_code", "presentation", "organization", "website")
SIGNATURE_KINDS = (Kind.signature, Kind.correction)
TRUTH_KIND = {"signature": Kind.signature, "correction": Kind.correction, "auto_reply": Kind.auto_reply,
              "question": Kind.question, "forward": Kind.forward, "withdrawal": Kind.withdrawal,
              "bounce": Kind.bounce, "bulk": Kind.bulk}
SIGNATURE_TRUTHS = ("signature", "correction")
LANGS = ("en", "fr", "es", "pt", "de", "ru", "it")
STYLES = ("labeled", "labeled_newline", "html_table", "html_list", "html_para", "full_name_field",
          "inline_quoted", "free_form")


def _norm(value: str | None) -> str:
    value = unicodedata.normalize("NFC", value or "").replace("’", "'").replace("‘", "'")
    return re.sub(r"\s+", " ", value).strip()


def _norm_web(value: str | None) -> str:
    v = re.sub(r"^https?://", "", _norm(value), flags=re.I).rstrip("/")
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


def pct(a: int, b: int) -> str:
    return f"{a}/{b} ({100 * a / b:.1f}%)" if b else f"{a}/0"


class Case:
    def __init__(self, name: str, truth: dict, reply):
        self.name, self.truth, self.reply = name, truth, reply
        self.kind = truth["kind"]
        self.lang, self.style = truth["lang"], truth["style"]
        self.approved = approved(reply)
        self.wrong: list[tuple[str, str, str]] = []
        if self.kind in SIGNATURE_TRUTHS:
            want = truth["fields"]
            for f in (FIELDS if self.kind == "signature" else [f for f in FIELDS if f in want]):
                got = getattr(reply.fields, f)
                if not same(f, got, want[f]):
                    self.wrong.append((f, got or "", want[f]))

    @property
    def clean(self) -> bool:
        """Publishable without asking anyone: labeled, first name, name and an unambiguous country."""
        return bool(self.truth.get("clean"))

    @property
    def doubtful(self) -> bool:
        """A careful organizer would check before publishing; approved, it is wrong only if a field is."""
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


@functools.cache
def load(folder: str) -> tuple[Case, ...]:
    """Every mail of `tests/<folder>/mail`, parsed, beside its truth."""
    here = TESTS / folder
    truth = json.loads((here / "truth.json").read_text(encoding="utf-8"))["mails"]
    return tuple(Case(name, truth[name], read_reply((here / "mail" / name).read_bytes(), RULES))
                 for name in sorted(truth))


def _lang_group(lang: str) -> str:
    return lang if lang in LANGS else "other"


def table(title: str, cases: tuple[Case, ...]) -> str:
    """Per language and per style: approved, approved right or wrong, clean, doubtful; fields; kinds."""
    sigs = [c for c in cases if c.kind == "signature"]
    rows: dict[str, Counter] = defaultdict(Counter)
    for c in sigs:
        for key in (f"lang {_lang_group(c.lang)}", f"style {c.style}", "all signatures"):
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
    field_right = Counter(f for c in sigs for f in FIELDS if f not in {w[0] for w in c.wrong})
    corr = [c for c in cases if c.kind == "correction"]
    out = [f"\n\n{title}: {len(cases)} mails ({len(sigs)} signatures, {len(corr)} corrections)",
           f"  {'group':<24}{'total':>6}{'approved':>10}{'appr.right':>11}{'appr.WRONG':>11}"
           f"{'all right':>10}{'name+ctry':>10}{'clean ok/clean':>16}{'doubt.appr':>12}"]
    order = ["all signatures"] + [f"lang {x}" for x in (*LANGS, "other")] + [f"style {s}" for s in STYLES]
    for key in order:
        if r := rows.get(key):
            clean = f"{r['clean_ok']}/{r['clean']}" if r["clean"] else "-"
            doubt = f"{r['doubtful_approved']}/{r['doubtful']}" if r["doubtful"] else "-"
            out.append(f"  {key:<24}{r['total']:>6}{r['approved']:>10}{r['approved_right']:>11}"
                       f"{r['approved_wrong']:>11}{r['right']:>10}{r['name_country']:>10}{clean:>16}{doubt:>12}")
    out.append("  fields right over all signatures: "
               + ", ".join(f"{f} {field_right[f]}/{len(sigs)}" for f in FIELDS))
    if corr:
        out.append(f"  corrections read as corrections: {pct(sum(c.kind_right for c in corr), len(corr))}; "
                   f"with the changed fields right: "
                   f"{pct(sum(c.kind_right and not c.wrong for c in corr), len(corr))}; "
                   "read as a signature update carrying the changed fields right: "
                   f"{pct(sum(c.reply.kind is Kind.signature and not c.wrong for c in corr), len(corr))}")
    out.append("  kinds (truth -> parsed):")
    kinds = Counter((c.kind, c.reply.kind.value) for c in cases)
    out += [f"    {want:<11} -> {got:<11} {n}" for (want, got), n in sorted(kinds.items())]
    return "\n".join(out)


# Each check returns (passed, report): the report lists every failing mail with what it should give.

def clean_labeled_approved_right(cases: tuple[Case, ...]) -> tuple[bool, str]:
    """>= 95% of clean labeled replies approved with every field exactly right."""
    clean = [c for c in cases if c.kind == "signature" and c.clean]
    ok = [c for c in clean if c.approved and c.all_right]
    per_lang = Counter(c.lang for c in ok), Counter(c.lang for c in clean)
    report = [f"\n  clean labeled approved with all fields right: {pct(len(ok), len(clean))}",
              "    " + ", ".join(f"{x} {per_lang[0][x]}/{n}" for x, n in per_lang[1].items())]
    report += [c.describe() for c in clean if c not in ok]
    return len(ok) >= 0.95 * len(clean), "\n".join(report)


def approved_entries_right(cases: tuple[Case, ...]) -> tuple[bool, str]:
    """< 0.5% of automatically approved entries have any wrong field (doubtful ones included)."""
    appr = [c for c in cases if c.approved]
    wrong = [c for c in appr if c.approved_wrong]
    report = [f"\n  approved with a wrong field: {pct(len(wrong), len(appr))} (must stay under 1 in 200); "
              f"doubtful approved: {sum(c.doubtful for c in appr)}"]
    report += [c.describe() for c in wrong]
    report += ["  (doubtful, approved, fields right)" + c.describe()[1:].split("\n")[0]
               for c in appr if c.doubtful and not c.approved_wrong]
    return len(wrong) < 0.005 * len(appr) or not wrong, "\n".join(report)


def free_form_right(cases: tuple[Case, ...]) -> tuple[bool, str]:
    """Free-form: full name and country right >= 90%, and never approved with a wrong field."""
    free = [c for c in cases if c.kind == "signature" and c.style == "free_form"]
    right = [c for c in free if c.name_country_right]
    wrong_approved = [c for c in free if c.approved_wrong]
    report = [f"\n  free-form full name + country right: {pct(len(right), len(free))}; "
              f"approved {sum(c.approved for c in free)}, approved wrong {len(wrong_approved)}"]
    report += [c.describe() for c in free if c not in right or c in wrong_approved]
    return not wrong_approved and len(right) >= 0.9 * len(free), "\n".join(report)


def no_non_signature_as_signature(cases: tuple[Case, ...]) -> tuple[bool, str]:
    """Auto-replies, questions, forwards, withdrawals, bounces, bulk mail: never a signature."""
    others = [c for c in cases if c.kind not in SIGNATURE_TRUTHS]
    bad = [c for c in others if c.reply.kind in SIGNATURE_KINDS]
    report = [f"\n  non-signatures read as signatures: {pct(len(bad), len(others))}"]
    return not bad, "\n".join(report + [c.describe() for c in bad])


def no_withdrawal_missed(cases: tuple[Case, ...]) -> tuple[bool, str]:
    """Every withdrawal, in every language, is read as a withdrawal."""
    wd = [c for c in cases if c.kind == "withdrawal"]
    missed = [c for c in wd if c.reply.kind is not Kind.withdrawal]
    report = [f"\n  withdrawals missed: {pct(len(missed), len(wd))}"]
    return not missed, "\n".join(report + [c.describe() for c in missed])
