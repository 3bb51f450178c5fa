"""Organizer decisions on a real SQLite file: audit events, rewritten lists, mails in the outbox."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import timedelta
from email import message_from_bytes, policy

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from mailbot import changes, review
from mailbot.adapters import store
from mailbot.adapters.store import Event, ForgottenAddress, InboundMessage, Outbox, Secret, Signature
from mailbot.cli import main
from mailbot.core.model import Status
from tests.web.campaign import campaign_runtime


@pytest.fixture
def rt(tmp_path):
    return campaign_runtime(tmp_path)


def listed_ids(rt) -> set[int]:
    data = json.loads((rt.cfg.export.directory / "signatories.json").read_text())
    return {row["id"] for row in data}


def events(rt, sig_id: int) -> list[tuple[str, str]]:
    with Session(rt.engine) as s:
        return [(e.actor, e.action) for e in s.scalars(
            select(Event).where(Event.signature_id == sig_id).order_by(Event.id))]


def test_approve_reject_withdraw_restore_are_audited_and_published(rt):
    """Each decision is an event with the organizer's name, and the list file follows at once."""
    first, second = [s.id for s in review.pending(rt)][:2]
    review.approve(rt, [first], actor="Ana")
    assert first in listed_ids(rt)
    review.withdraw(rt, [first], actor="Ben")
    assert first not in listed_ids(rt)
    review.restore(rt, [first], actor="Ana")  # back to where it was: approved
    assert first in listed_ids(rt)
    review.reject(rt, [second], actor="Ana")
    assert second not in listed_ids(rt)
    assert events(rt, first)[-3:] == [("Ana", "approved"), ("Ben", "withdrawn"), ("Ana", "restored")]
    assert events(rt, second)[-1] == ("Ana", "rejected")
    with pytest.raises(review.ReviewError, match="use restore"):
        review.withdraw(rt, [first], actor="Ana")
        review.approve(rt, [first], actor="Ana")


def test_withdrawn_entry_is_not_approved_by_mistake(rt):
    """A signer's withdrawal is only undone by `restore`, never by approving."""
    sig_id = review.pending(rt)[0].id
    review.withdraw(rt, [sig_id], actor="Ana")
    with pytest.raises(review.ReviewError, match="use restore"):
        review.approve(rt, [sig_id], actor="Ana")


def test_edit_country_goes_through_the_normalizer_and_mails_the_signer(rt):
    """'Deutschland' becomes DE shown as Germany; the signer gets a mail saying what changed."""
    sig = review.pending(rt)[0]
    result = review.edit(rt, sig.id, {"country": "Deutschland", "presentation": "Teacher"},
                         actor="Ana", approve=True)
    assert [c.field for c in result.changes] == ["country", "presentation"] and result.notified
    with Session(rt.engine) as s:
        row = s.get(Signature, sig.id)
        assert (row.country_code, row.country, row.status) == ("DE", "Germany", "approved")
        (mail,) = s.scalars(select(Outbox).where(Outbox.kind == "changed_by_organizer")).all()
        assert mail.recipient == sig.email and mail.signature_id == sig.id
    msg = message_from_bytes(mail.message, policy=policy.default)
    body = msg.get_body(preferencelist=("plain",)).get_content()
    assert "Germany" in body and "corrected" in body and msg["Auto-Submitted"] == "auto-replied"
    assert ("Ana", "edited") in events(rt, sig.id) and sig.id in listed_ids(rt)


def test_notify_on_edit_can_be_switched_off(tmp_path):
    """[review] notify_on_edit = false: an edit queues no mail."""
    rt = campaign_runtime(tmp_path, "[review]\nnotify_on_edit = false\n")
    sig = review.pending(rt)[0]
    assert not review.edit(rt, sig.id, {"name": "Nouveau"}, actor="Ana").notified
    with Session(rt.engine) as s:
        assert not s.scalars(select(Outbox).where(Outbox.kind == "changed_by_organizer")).all()


def test_bad_edits_are_refused_with_the_fix(rt):
    """An unknown country, website or field is refused and nothing changes."""
    sig = review.pending(rt)[0]
    with pytest.raises(review.ReviewError, match="country not recognized"):
        review.edit(rt, sig.id, {"country": "Narnia"}, actor="Ana")
    with pytest.raises(review.ReviewError, match="website dropped"):
        review.edit(rt, sig.id, {"website": "javascript:alert(1)"}, actor="Ana")
    with pytest.raises(review.ReviewError, match="unknown field email"):
        review.edit(rt, sig.id, {"email": "x@y.org"}, actor="Ana")
    assert all(action != "edited" for _, action in events(rt, sig.id))


def test_erase_keeps_only_a_keyed_hash(rt):
    """Erasure deletes the signature, its mail bytes, outbox rows and trail; an HMAC stays."""
    sig = review.pending(rt)[0]
    review.edit(rt, sig.id, {"name": "Changed"}, actor="Ana")  # queues an outbox row
    review.erase(rt, sig.id, actor="Ana")
    with Session(rt.engine) as s:
        assert s.get(Signature, sig.id) is None
        assert not s.scalars(select(Outbox).where(Outbox.recipient == sig.email)).all()
        assert not s.scalars(select(InboundMessage).where(InboundMessage.sender == sig.email)).all()
        assert all(not row.raw for row in s.scalars(select(InboundMessage).where(
            InboundMessage.note.like("erased by%"))))
        key = s.get(Secret, "erasure").value.encode()
        digest = hmac.new(key, sig.email.encode(), hashlib.sha256).hexdigest()
        assert s.get(ForgottenAddress, digest) is not None and store.is_forgotten(s, sig.email)
        (erased,) = s.scalars(select(Event).where(Event.action == "erased")).all()
        assert erased.actor == "Ana" and erased.before == {"id": sig.id, "status": "pending"}
        assert not s.scalars(select(Event).where(Event.signature_id == sig.id)).all()


def test_bulk_approve_takes_only_complete_matching_entries(rt):
    """Bulk approval by country approves the complete pending entries of that country only."""
    pending = review.pending(rt)
    target = next(s for s in pending if review.is_complete(s))
    done = review.bulk_approve(rt, review.BulkFilter(country_code=target.country_code),
                               actor="Ana")
    approved = {d.signature_id for d in done}
    assert target.id in approved
    assert all(s.country_code == target.country_code and review.is_complete(s)
               for s in pending if s.id in approved)
    assert approved <= listed_ids(rt)


def test_needs_attention_mail_is_marked_handled(rt):
    """Marking a question handled records who and when, and takes it off the list."""
    mails = review.attention(rt)
    assert mails
    assert review.resolve(rt, [mails[0].id], actor="Ana") == 1
    assert mails[0].id not in {m.id for m in review.attention(rt)}
    resolved = review.attention(rt, include_resolved=True)
    row = next(m for m in resolved if m.id == mails[0].id)
    assert row.resolved_by == "Ana" and row.resolved_at is not None


def test_changes_since_derives_added_changed_removed(rt, tmp_path, capsys):
    """changes.json and `export --since` say what a site must add, update and remove."""
    with Session(rt.engine) as s:
        listed = [x.id for x in store.signatures(s, [Status.approved])]
        newest = s.scalar(select(Event.at).order_by(Event.at.desc()).limit(1))
    moment = newest + timedelta(microseconds=1)
    new = review.pending(rt)[0].id
    review.approve(rt, [new], actor="Ana")
    review.edit(rt, listed[0], {"presentation": "Retired teacher"}, actor="Ana")
    review.withdraw(rt, [listed[1]], actor="Ana")
    with Session(rt.engine) as s:
        got = changes.changes_since(s, moment)
    assert [r["id"] for r in got.added] == [new]
    assert [r["id"] for r in got.changed] == [listed[0]]
    assert got.changed[0]["presentation"] == "Retired teacher"
    assert [(r["id"], r["reason"]) for r in got.removed] == [(listed[1], "withdrawn")]
    published = json.loads((rt.cfg.export.directory / "changes.json").read_text())
    assert new in [r["id"] for r in published["added"]]
    assert all("email" not in r for r in published["added"] + published["changed"])

    code = main(["--config", str(rt.cfg.path), "export", "--since", moment.isoformat()])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and [r["id"] for r in out["added"]] == [new]


def test_cli_show_edit_withdraw_restore_erase(rt, capsys):
    """The script commands do what the review functions do, one line each."""
    cfg = str(rt.cfg.path)
    sig = review.pending(rt)[0]
    assert main(["--config", cfg, "pending", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert sig.id in [r["id"] for r in rows] and all("email" not in r for r in rows)
    assert main(["--config", cfg, "edit", str(sig.id), "country=AR", "--by", "Ana"]) == 0
    assert "Country:" in capsys.readouterr().out
    assert main(["--config", cfg, "show", str(sig.id)]) == 0
    out = capsys.readouterr().out
    assert "Argentina (AR)" in out and "Ana  edited" in out and sig.email in out
    assert main(["--config", cfg, "withdraw", str(sig.id)]) == 0
    assert main(["--config", cfg, "restore", str(sig.id)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == f"1 restored #{sig.id}"
    assert main(["--config", cfg, "erase", str(sig.id)]) == 2
    assert "--yes" in capsys.readouterr().err
    assert main(["--config", cfg, "erase", str(sig.id), "--yes"]) == 0
