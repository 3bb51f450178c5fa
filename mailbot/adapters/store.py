"""The database: SQLAlchemy 2.x models and the queries the pipeline and shells use.

Query functions receive a session; they never create, commit or close one.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    func,
    select,
    update,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column
from sqlalchemy.types import TypeDecorator

from mailbot.core.model import FIELD_NAMES, Signatory, SignerKind, Status

log = logging.getLogger(__name__)


def utcnow() -> datetime:
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite stores them naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given to the database")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class InboundState(StrEnum):
    received = "received"  # stored safely, not processed yet (or processing was interrupted)
    processed = "processed"  # handled: a signature, a change, or mail a machine sent (ignored)
    needs_attention = "needs attention"  # a person should read it (question, unclear, failed)
    failed = "failed"  # processing raised; the error is kept and the message set aside


class OutboxStatus(StrEnum):
    queued = "queued"
    sent = "sent"
    failed = "failed"


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UtcDateTime()}


class InboundMessage(Base):
    __tablename__ = "inbound_message"
    __table_args__ = (UniqueConstraint("folder", "uidvalidity", "uid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Message-ID, or a hash of the bytes when there is none: the key that survives a UIDVALIDITY reset.
    message_key: Mapped[str] = mapped_column(String(998), unique=True)
    message_id: Mapped[str] = mapped_column(String(998), default="")
    source: Mapped[str] = mapped_column(String(20))  # imap | import
    folder: Mapped[str | None] = mapped_column(String(255))
    uidvalidity: Mapped[int | None] = mapped_column(BigInteger)
    uid: Mapped[int | None] = mapped_column(BigInteger)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    sender: Mapped[str] = mapped_column(String(320), default="", index=True)  # per-sender limit
    subject: Mapped[str] = mapped_column(Text, default="")
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    kind: Mapped[str] = mapped_column(String(20), default="")
    state: Mapped[InboundState] = mapped_column(String(20), default=InboundState.processed)
    note: Mapped[str] = mapped_column(Text, default="")  # why it needs attention, or the error
    confidence: Mapped[float] = mapped_column(Float, default=0.0)
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    signature_id: Mapped[int | None] = mapped_column(ForeignKey("signature.id"))
    handled_on_server: Mapped[bool] = mapped_column(Boolean, default=False)
    attempts: Mapped[int] = mapped_column(Integer, default=0)  # processing runs started
    confirm: Mapped[bool] = mapped_column(Boolean, default=True)  # may it get a confirmation
    # set when a person has dealt with mail that needed attention
    resolved_by: Mapped[str | None] = mapped_column(String(200))
    resolved_at: Mapped[datetime | None]


class Signature(Base):
    __tablename__ = "signature"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    first_name: Mapped[str] = mapped_column(String(200), default="")
    name: Mapped[str] = mapped_column(String(200), default="")
    country_code: Mapped[str | None] = mapped_column(String(2))
    country: Mapped[str] = mapped_column(String(200), default="")
    presentation: Mapped[str] = mapped_column(Text, default="")
    organization: Mapped[str] = mapped_column(Text, default="")
    website: Mapped[str] = mapped_column(String(2000), default="")
    kind: Mapped[SignerKind] = mapped_column(String(20), default=SignerKind.person)
    status: Mapped[Status] = mapped_column(String(20), default=Status.pending)
    confidence: Mapped[float] = mapped_column(Float, default=0.0)
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    language: Mapped[str] = mapped_column(String(10), default="")
    undeliverable: Mapped[bool] = mapped_column(Boolean, default=False)
    signed_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    def values(self) -> dict[str, Any]:
        """The fields an audit event records."""
        out: dict[str, Any] = {f: getattr(self, f) for f in FIELD_NAMES}
        out.update(country_code=self.country_code, status=str(self.status), kind=str(self.kind))
        return out

    def as_signatory(self, *, include_email: bool = False) -> Signatory:
        return Signatory(
            id=self.id, first_name=self.first_name, name=self.name, country=self.country,
            country_code=self.country_code, presentation=self.presentation,
            organization=self.organization, website=self.website, kind=SignerKind(self.kind),
            status=Status(self.status), signed_at=self.signed_at, updated_at=self.updated_at,
            email=self.email if include_email else "")


class Event(Base):
    """The audit trail: every change to a signature, with what it was before and after."""

    __tablename__ = "event"

    id: Mapped[int] = mapped_column(primary_key=True)
    signature_id: Mapped[int | None] = mapped_column(ForeignKey("signature.id"), index=True)
    inbound_id: Mapped[int | None] = mapped_column(ForeignKey("inbound_message.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(200))  # "bot" or the organizer's name
    action: Mapped[str] = mapped_column(String(40))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class Outbox(Base):
    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    signature_id: Mapped[int | None] = mapped_column(ForeignKey("signature.id"))
    recipient: Mapped[str] = mapped_column(String(320), index=True)  # per-recipient daily cap
    kind: Mapped[str] = mapped_column(String(40))  # confirmation | withdrawal
    message: Mapped[bytes] = mapped_column(LargeBinary)
    message_id: Mapped[str] = mapped_column(String(998))
    in_reply_to: Mapped[str] = mapped_column(String(998), default="")
    status: Mapped[OutboxStatus] = mapped_column(String(20), default=OutboxStatus.queued)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str] = mapped_column(Text, default="")


class MailboxState(Base):
    __tablename__ = "mailbox_state"

    folder: Mapped[str] = mapped_column(String(255), primary_key=True)
    uidvalidity: Mapped[int] = mapped_column(BigInteger)
    last_uid: Mapped[int] = mapped_column(BigInteger, default=0)
    last_poll_at: Mapped[datetime | None]


class WorkerIncident(Base):
    """Something the worker could not do (IMAP login refused, SMTP down), for status and digest."""

    __tablename__ = "worker_incident"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    kind: Mapped[str] = mapped_column(String(40))  # imap | smtp | export | internal
    message: Mapped[str] = mapped_column(Text)


class DigestLog(Base):
    """One row per campaign day whose digest went out: never twice, also across restarts."""

    __tablename__ = "digest_log"

    day: Mapped[str] = mapped_column(String(10), primary_key=True)  # YYYY-MM-DD, campaign time zone
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
    totals: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class ForgottenAddress(Base):
    """Erased signers: only a keyed hash, so re-importing old mail does not bring them back."""

    __tablename__ = "forgotten_address"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)


class Secret(Base):
    """Keys mailbot generates for itself: the erasure HMAC key, the web session secret."""

    __tablename__ = "secret"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


# --- engine and schema ---------------------------------------------------------------------

def open_database(url: str) -> Engine:
    """Connect and bring the schema to the newest Alembic revision."""
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    from mailbot.adapters.migrate import upgrade

    upgrade(engine)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL: readers (the web app, `mailbot export`) never block the worker; 3x faster commits.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


# --- queries ---------------------------------------------------------------------------------

def mailbox_state(session: Session, folder: str) -> MailboxState | None:
    return session.get(MailboxState, folder)


def known_message_keys(session: Session, keys: Sequence[str]) -> dict[str, InboundMessage]:
    if not keys:
        return {}
    rows = session.scalars(select(InboundMessage).where(InboundMessage.message_key.in_(keys)))
    return {row.message_key: row for row in rows}


def unmarked_uids(session: Session, folder: str, uidvalidity: int) -> list[int]:
    """Messages stored but not yet flagged or moved on the server (a crash came in between)."""
    return list(session.scalars(
        select(InboundMessage.uid).where(
            InboundMessage.folder == folder, InboundMessage.uidvalidity == uidvalidity,
            InboundMessage.handled_on_server.is_(False), InboundMessage.uid.is_not(None))
        .order_by(InboundMessage.uid)))


def set_marked(session: Session, folder: str, uidvalidity: int, uids: Sequence[int]) -> None:
    session.execute(update(InboundMessage).where(
        InboundMessage.folder == folder, InboundMessage.uidvalidity == uidvalidity,
        InboundMessage.uid.in_(list(uids))).values(handled_on_server=True))


def received_messages(session: Session, limit: int) -> list[InboundMessage]:
    """Stored messages waiting to be processed, oldest first."""
    return list(session.scalars(select(InboundMessage).where(
        InboundMessage.state == InboundState.received).order_by(InboundMessage.id).limit(limit)))


def signature_by_email(session: Session, email: str) -> Signature | None:
    return session.scalars(select(Signature).where(Signature.email == email)).first()


def count_inbound_from(session: Session, sender: str, since: datetime, *, before_id: int) -> int:
    return session.scalar(select(func.count()).select_from(InboundMessage).where(
        InboundMessage.sender == sender, InboundMessage.received_at >= since,
        InboundMessage.id < before_id)) or 0


def count_signatures_from_domain(session: Session, domain: str, since: datetime) -> int:
    return session.scalar(select(func.count()).select_from(Signature).where(
        Signature.email.like(f"%@{domain}"), Signature.signed_at >= since)) or 0


def count_outbox_to(session: Session, recipient: str, since: datetime) -> int:
    return session.scalar(select(func.count()).select_from(Outbox).where(
        Outbox.recipient == recipient, Outbox.created_at >= since)) or 0


def count_sent_since(session: Session, since: datetime) -> int:
    return session.scalar(select(func.count()).select_from(Outbox).where(
        Outbox.status == OutboxStatus.sent, Outbox.sent_at >= since)) or 0


def signatures(session: Session, statuses: Sequence[Status] | None = None) -> list[Signature]:
    query = select(Signature).order_by(Signature.signed_at, Signature.id)
    if statuses is not None:
        query = query.where(Signature.status.in_([str(s) for s in statuses]))
    return list(session.scalars(query))


def add_event(session: Session, *, actor: str, action: str, signature: Signature | None = None,
              inbound: InboundMessage | None = None, before: dict[str, Any] | None = None,
              after: dict[str, Any] | None = None) -> Event:
    session.flush()
    row = Event(signature_id=signature.id if signature else None,
                inbound_id=inbound.id if inbound else None, actor=actor, action=action,
                before=before, after=after)
    session.add(row)
    return row


def due_outbox(session: Session, now: datetime, limit: int) -> list[Outbox]:
    return list(session.scalars(
        select(Outbox).where(Outbox.status == OutboxStatus.queued, Outbox.next_attempt_at <= now)
        .order_by(Outbox.id).limit(limit)))


def counts(session: Session) -> dict[str, int]:
    """Signatures by status, plus the inbound messages that need a person."""
    out = {str(s): 0 for s in Status}
    for status, n in session.execute(select(Signature.status, func.count()).group_by(Signature.status)):
        out[str(status)] = n
    out["needs attention"] = session.scalar(select(func.count()).select_from(InboundMessage).where(
        InboundMessage.state.in_([InboundState.needs_attention, InboundState.failed]),
        InboundMessage.resolved_at.is_(None))) or 0
    out["backlog (stored, not processed)"] = session.scalar(
        select(func.count()).select_from(InboundMessage).where(
            InboundMessage.state == InboundState.received)) or 0
    out["outbox queued"] = session.scalar(select(func.count()).select_from(Outbox).where(
        Outbox.status == OutboxStatus.queued)) or 0
    out["outbox failed"] = session.scalar(select(func.count()).select_from(Outbox).where(
        Outbox.status == OutboxStatus.failed)) or 0
    return out


def add_incident(session: Session, kind: str, message: str) -> None:
    session.add(WorkerIncident(kind=kind, message=message[:2000]))


def secret_value(session: Session, name: str) -> str:
    """A random key mailbot keeps for itself in the database, made on first use."""
    import secrets

    row = session.get(Secret, name)
    if row is None:
        row = Secret(name=name, value=secrets.token_urlsafe(48))
        session.add(row)
        session.flush()
    return row.value


def get_secret(session: Session, name: str) -> str | None:
    row = session.get(Secret, name)
    return row.value if row else None


def set_secret(session: Session, name: str, value: str) -> None:
    session.merge(Secret(name=name, value=value))


def address_digest(session: Session, email: str) -> str:
    """HMAC-SHA256 of the lower-cased address, keyed with the database's own `erasure` secret.

    Without the key the digest cannot be checked against a list of guessed addresses.
    """
    import hashlib
    import hmac

    key = secret_value(session, "erasure").encode()
    return hmac.new(key, email.strip().lower().encode(), hashlib.sha256).hexdigest()


def is_forgotten(session: Session, email: str) -> bool:
    """True when this address was erased (`mailbot erase`): its mail must not sign it again."""
    return session.get(ForgottenAddress, address_digest(session, email)) is not None



def recent_incidents(session: Session, limit: int = 5) -> list[WorkerIncident]:
    return list(session.scalars(select(WorkerIncident).order_by(WorkerIncident.id.desc()).limit(limit)))
