"""Third-party mails (bounces, auto-replies, odd MIME, bare bodies) never become signatures."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from mailbot.core.model import Kind
from mailbot.core.reply import ParseRules, read_reply

REAL = Path("/work/shared/corpus/real")
RULES = ParseRules(campaign_address="appeal@campaign.example")

pytestmark = pytest.mark.skipif(not (REAL / "MANIFEST.tsv").exists(), reason="shared corpus absent")


@pytest.fixture(scope="module")
def parsed():
    with open(REAL / "MANIFEST.tsv", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    return [(row, read_reply((REAL / row["file"]).read_bytes(), RULES)) for row in rows]


def test_every_real_mail_parses(parsed):
    """All 1356 files give a Reply with a kind and a confidence in [0, 1]."""
    assert len(parsed) > 1000
    for row, reply in parsed:
        assert isinstance(reply.kind, Kind), row["file"]
        assert 0.0 <= reply.confidence <= 1.0, row["file"]


def test_no_real_mail_would_be_auto_approved(parsed):
    """None of the third-party mails is a complete signature above the approval threshold."""
    approved = [row["file"] for row, reply in parsed
                if reply.kind in (Kind.signature, Kind.correction) and reply.is_complete
                and reply.confidence >= RULES.auto_approve_threshold]
    assert approved == []


def test_machines_in_the_real_corpus_get_no_mail(parsed):
    """Nothing the manifest calls a bounce or an auto-reply is answered."""
    answered = [(row["file"], str(reply.kind)) for row, reply in parsed
                if row["category_guess"] in ("bounce", "auto-reply") and reply.kind.may_get_mail]
    assert answered == []


def test_most_bounces_are_recognized(parsed):
    """At least 95% of the manifest's bounces are classified as bounces or auto-replies."""
    bounces = [reply for row, reply in parsed if row["category_guess"] == "bounce"]
    machine = [r for r in bounces if r.kind in (Kind.bounce, Kind.auto_reply)]
    assert len(machine) >= 0.95 * len(bounces)
