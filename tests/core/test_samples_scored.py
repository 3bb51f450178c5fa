"""Score `read_reply` on the shared sample replies against their truth, per kind and per field."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from mailbot.core.model import Kind
from mailbot.core.normalize import normalize_website
from mailbot.core.reply import ParseRules, read_reply

SAMPLES = Path("/work/shared/corpus/samples")
LABELED_FIELDS = ("first_name", "name", "country_code", "presentation", "organization", "website")

pytestmark = pytest.mark.skipif(not (SAMPLES / "truth.json").exists(), reason="shared corpus absent")


def _expected_kind(kind: str) -> Kind:
    return Kind.signature if kind.startswith("signature") else Kind(kind)


@pytest.fixture(scope="module")
def scored():
    truth = json.loads((SAMPLES / "truth.json").read_text())
    rules = ParseRules(campaign_address=truth["campaign"])
    replies = {m["file"]: read_reply((SAMPLES / m["file"]).read_bytes(), rules) for m in truth["messages"]}
    return truth, rules, replies


def _score(truth, rules, replies):
    """(kind hits, field hits, failures) as counters and a list of readable misses."""
    kinds: Counter[str] = Counter()
    fields: Counter[str] = Counter()
    misses: list[str] = []
    first_mail: dict[str, str] = {}
    corrections: dict[str, str] = {}
    for m in truth["messages"]:
        reply = replies[m["file"]]
        want = _expected_kind(m["kind"])
        kinds[f"{want}:total"] += 1
        if reply.kind is want:
            kinds[f"{want}:ok"] += 1
        else:
            misses.append(f"{m['file']}: kind {reply.kind} != {want}")
        if want is Kind.signature:
            first_mail.setdefault(m["sender"], m["file"])
        if want is Kind.correction:
            corrections[m["sender"]] = m["file"]
        if want is Kind.bounce and reply.bounced != (m["lost"],):
            misses.append(f"{m['file']}: bounced {reply.bounced} != {m['lost']}")
    for sender, signer in truth["signers"].items():
        reply = replies[first_mail[sender]]
        want = dict(signer["fields"])
        want["website"] = normalize_website(want["website"])[0]
        corrected = re.match(r"corrected from '(.*)'$", signer.get("note", ""))
        if corrected:
            fix = replies[corrections[sender]]
            (field,) = fix.named if len(fix.named) == 1 else (None,)
            fields["correction:total"] += 1
            if field and getattr(fix.fields, field) == want[field]:
                fields["correction:ok"] += 1
                want[field] = corrected.group(1)
            else:
                misses.append(f"{corrections[sender]}: correction named {sorted(fix.named)}")
        got = reply.fields
        if reply.fields.country_code and reply.fields.country_code != want["country_code"]:
            fields["wrong_country"] += 1
        if signer["free_form"]:
            pairs = {"full_name": (f"{got.first_name} {got.name}", f"{want['first_name']} {want['name']}"),
                     "country_code": (got.country_code, want["country_code"])}
            prefix = "free"
        else:
            pairs = {f: (getattr(got, f), want[f]) for f in LABELED_FIELDS}
            prefix = "labeled"
        for name, (have, expect) in pairs.items():
            fields[f"{prefix}.{name}:total"] += 1
            if have == expect:
                fields[f"{prefix}.{name}:ok"] += 1
            else:
                misses.append(f"{first_mail[sender]}: {name} {have!r} != {expect!r}")
        approved = reply.is_complete and reply.confidence >= rules.auto_approve_threshold
        fields[f"{prefix}.approved:total"] += 1
        fields[f"{prefix}.approved:ok"] += approved
    return kinds, fields, misses


def test_samples_meet_the_thresholds(scored, capsys):
    """Every kind is right, every labeled field exact, free-form names and countries right."""
    kinds, fields, misses = _score(*scored)
    with capsys.disabled():
        for counter in (kinds, fields):
            for key in sorted(k for k in counter if k.endswith(":total")):
                base = key[: -len(":total")]
                print(f"  {base:28} {counter[base + ':ok']}/{counter[key]}")
        print(f"  wrong countries: {fields['wrong_country']}")
    assert not misses, "\n".join(misses)
    assert fields["wrong_country"] == 0


def test_free_form_and_hostile_are_never_auto_approved(scored):
    """Free-form guesses and a reply with markup stay pending for a reviewer."""
    truth, rules, replies = scored
    for m in truth["messages"]:
        signer = truth["signers"].get(m["sender"], {})
        if m["kind"].startswith("signature") and (signer.get("free_form") or signer.get("final") == "any"):
            assert replies[m["file"]].confidence < rules.auto_approve_threshold, m["file"]


def test_clean_labeled_replies_are_auto_approved(scored):
    """Labeled signatures from clean replies are complete and above the threshold."""
    truth, rules, replies = scored
    for m in truth["messages"]:
        signer = truth["signers"].get(m["sender"], {})
        if m["kind"] == "signature" and not signer.get("free_form"):
            reply = replies[m["file"]]
            assert reply.is_complete and reply.confidence >= rules.auto_approve_threshold, (
                m["file"], reply.reasons)


def test_machines_never_get_mail(scored):
    """Auto-replies, bounces, lists, questions and forwards are never answered."""
    truth, _, replies = scored
    for m in truth["messages"]:
        if m["kind"] in ("auto-reply", "bounce", "bulk", "question", "forward"):
            assert not replies[m["file"]].kind.may_get_mail, m["file"]
