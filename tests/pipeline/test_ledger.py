"""What a parsed reply does to the stored list (real SQLite file, replies built by hand)."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from mailbot import ledger
from mailbot.adapters.store import (
    Event,
    InboundMessage,
    InboundState,
    Outbox,
    OutboxStatus,
    Signature,
    open_database,
)
from mailbot.config import ReviewSettings
from mailbot.core.model import Fields, Kind, Reply, SignerKind, Status

CAMPAIGN = "appeal@campaign.example"
JEAN = Fields(first_name="Jean", name="Dupont", country="France", country_code="FR",
              presentation="Professor of sociology", organization="University of Lyon")


def reply(kind: Kind = Kind.signature, fields: Fields = JEAN, sender: str = "jean@example.org",
          confidence: float = 0.95, named: set[str] | None = None, **kw) -> Reply:
    if named is None:
        named = {n for n in ("first_name", "name", "country", "presentation", "organization",
                             "website") if getattr(fields, n)}
    return Reply(message_id="<m@x>", sender=sender, sender_name="", subject="Re",
                 date=None, in_reply_to="", references=(), kind=kind, fields=fields,
                 named=frozenset(named), confidence=confidence, **kw)


@pytest.fixture
def session(tmp_path):
    engine = open_database(f"sqlite:///{tmp_path / 'db.sqlite'}")
    with Session(engine) as s, s.begin():
        yield s


_keys = iter(range(10**6))


DEFAULT_REVIEW = ReviewSettings()


def apply(session, r: Reply, review: ReviewSettings = DEFAULT_REVIEW) -> ledger.Outcome:
    inbound = InboundMessage(message_key=f"<{next(_keys)}@test>", source="import", raw=b"",
                             sender=r.sender)
    session.add(inbound)
    session.flush()
    return ledger.apply_reply(session, r, inbound, review=review, campaign_address=CAMPAIGN)


def events(session, sig_id: int) -> list[str]:
    return [e.action for e in session.scalars(select(Event).where(Event.signature_id == sig_id)
                                              .order_by(Event.id))]


def test_complete_confident_signature_is_approved(session):
    """A complete, confident reply is approved, audited and answered."""
    out = apply(session, reply())
    assert out.signature.status == Status.approved and out.mail == "confirmation"
    assert out.list_changed and events(session, out.signature.id) == ["signed"]


def test_doubtful_or_incomplete_waits_for_an_organizer(session):
    """Low confidence, a missing country or auto_approve off all mean pending."""
    assert apply(session, reply(confidence=0.5)).signature.status == Status.pending
    no_country = Fields(first_name="Ana", name="Lima")
    out = apply(session, reply(fields=no_country, sender="ana@example.org"))
    assert out.signature.status == Status.pending and not out.list_changed
    out = apply(session, reply(sender="b@example.org"), ReviewSettings(auto_approve=False))
    assert out.signature.status == Status.pending and out.mail == "confirmation"


def test_correction_updates_only_named_fields_and_keeps_history(session):
    """A later reply changes what it names; the event keeps the old value."""
    sig = apply(session, reply()).signature
    fix = Fields(organization="Lyon 2 University")
    out = apply(session, reply(Kind.correction, fix, named={"organization"}))
    assert out.signature is sig and sig.organization == "Lyon 2 University"
    assert sig.first_name == "Jean" and sig.country_code == "FR"
    assert out.mail == "confirmation" and out.changed
    last = session.scalars(select(Event).order_by(Event.id.desc())).first()
    assert last.action == "corrected"
    assert last.before["organization"] == "University of Lyon"
    assert last.after["organization"] == "Lyon 2 University"


def test_signing_twice_makes_no_second_entry_and_no_mail(session):
    """The same reply again is recorded as an event, changes nothing, and sends nothing."""
    apply(session, reply())
    out = apply(session, reply())
    assert out.mail is None and out.state is InboundState.processed
    assert len(session.scalars(select(Signature)).all()) == 1


def test_withdrawal(session):
    """A withdrawal removes the entry from the list and sends a short notice."""
    sig = apply(session, reply()).signature
    out = apply(session, reply(Kind.withdrawal, Fields()))
    assert sig.status == Status.withdrawn and out.mail == "withdrawal" and out.list_changed
    again = apply(session, reply(Kind.withdrawal, Fields()))
    assert again.mail is None
    stranger = apply(session, reply(Kind.withdrawal, Fields(), sender="x@example.org"))
    assert stranger.state is InboundState.needs_attention


def test_bounce_marks_address_undeliverable_and_stops_its_mail(session):
    """A bounce for a signer flags the address and fails its queued confirmations."""
    sig = apply(session, reply()).signature
    session.add(Outbox(recipient=sig.email, kind="confirmation", message=b"x", message_id="<m>"))
    out = apply(session, reply(Kind.bounce, Fields(), sender="mailer-daemon@mx.example",
                               bounced=("jean@example.org",)))
    assert out.state is InboundState.processed and out.mail is None
    assert sig.undeliverable and "bounced" in events(session, sig.id)
    assert session.scalars(select(Outbox)).one().status == OutboxStatus.failed


@pytest.mark.parametrize("kind,state", [(Kind.auto_reply, InboundState.processed),
                                        (Kind.bulk, InboundState.processed),
                                        (Kind.question, InboundState.needs_attention),
                                        (Kind.forward, InboundState.needs_attention),
                                        (Kind.other, InboundState.needs_attention)])
def test_mail_that_is_not_a_signature_never_becomes_one(session, kind, state):
    """Machines are ignored, people's other mail waits for staff; none signs or gets mail."""
    out = apply(session, reply(kind))
    assert out.state is state and out.signature is None and out.mail is None
    assert session.scalars(select(Signature)).all() == []


def test_rejected_signer_and_own_address_need_a_person(session):
    """A rejected signer writing again, or mail from the campaign itself, goes to staff."""
    sig = apply(session, reply()).signature
    sig.status = Status.rejected
    assert apply(session, reply()).state is InboundState.needs_attention
    assert apply(session, reply(sender=CAMPAIGN)).state is InboundState.needs_attention


def test_organization_entry(session):
    """An organization signing is stored as an organization entry."""
    org = Fields(organization="Fourth International", country="Spain", country_code="ES")
    out = apply(session, reply(fields=org, sender="fi@example.net",
                               signer_kind=SignerKind.organization))
    assert out.signature.kind == SignerKind.organization and out.signature.status == Status.approved


def test_overlong_field_is_cut_and_flagged(session):
    """A 5,000-character presentation is cut to 400 and the entry waits for an organizer."""
    long = Fields(first_name="Jean", name="Dupont", country="France", country_code="FR",
                  presentation="Professor " * 500)
    sig = apply(session, reply(fields=long)).signature
    assert len(sig.presentation) <= 400 and sig.presentation.startswith("Professor Professor")
    assert sig.status == Status.pending
    assert "presentation was 5000 characters long: cut to 400" in sig.reasons


@pytest.mark.parametrize("body, field, value", [
    ("Could you add my organisation please?\r\nOrganization: Leeds Trades Council\r\n",
     "organization", "Leeds Trades Council"),
    ("Me equivoqué de país: vivo en Uruguay.\r\nPaís: Uruguay\r\n", "country_code", "UY"),
])
def test_a_one_field_update_keeps_a_listed_entry_listed(session, body, field, value):
    """"Organization: X" alone, from a signer already listed: the field changes, the entry stays
    approved, and no "missing: first name" or "an organization signs" reason is left on it."""
    from mailbot.core.reply import ParseRules, read_reply

    rules = ParseRules(campaign_address=CAMPAIGN)
    first = read_reply(b"From: Ana Lima <ana@example.org>\r\nSubject: Re: appeal\r\n\r\n"
                       b"First name: Ana\r\nName: Lima\r\nCountry: Brazil\r\n", rules)
    sig = apply(session, first).signature
    assert sig.status == Status.approved
    update = read_reply(b"From: Ana Lima <ana@example.org>\r\nSubject: Re: appeal\r\n"
                        b"Content-Type: text/plain; charset=utf-8\r\n\r\n" + body.encode(), rules)
    assert update.confidence < 0.8 <= update.update_confidence  # incomplete as a new entry only
    out = apply(session, update)
    assert out.signature is sig and getattr(sig, field) == value
    assert sig.status == Status.approved and sig.first_name == "Ana" and sig.kind == SignerKind.person
    assert not any(r.startswith(("missing:", "an organization signs")) for r in sig.reasons)


def test_a_one_field_reply_from_a_new_address_still_waits(session):
    """The same reply from an address that never signed is not a complete entry: pending."""
    from mailbot.core.reply import ParseRules, read_reply

    update = read_reply(b"From: x@example.org\r\nSubject: Re: appeal\r\n\r\nOrganization: Attac\r\n",
                        ParseRules(campaign_address=CAMPAIGN))
    assert apply(session, update).signature.status == Status.pending
