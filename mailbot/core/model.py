"""Plain values that flow between the core, the adapters and the pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum

# Every mail the bot sends has a Message-ID "<...mailbot@campaign-domain>": a reply to one of them
# quotes what the bot wrote (a confirmation lists the recorded fields), never the signer's answers.
BOT_MESSAGE_ID_MARK = "mailbot"


def is_bot_message_id(message_id: str) -> bool:
    return f".{BOT_MESSAGE_ID_MARK}@" in message_id


class Kind(StrEnum):
    """What a reply is, as far as the campaign is concerned."""

    signature = "signature"
    correction = "correction"
    withdrawal = "withdrawal"
    auto_reply = "auto-reply"
    bounce = "bounce"
    bulk = "bulk"
    question = "question"
    forward = "forward"
    other = "other"

    @property
    def may_get_mail(self) -> bool:
        """True when the sender is a person we may answer (RFC 3834: never answer machines)."""
        return self in (Kind.signature, Kind.correction, Kind.withdrawal)


class Status(StrEnum):
    pending = "pending"
    approved = "approved"
    rejected = "rejected"
    withdrawn = "withdrawn"


class SignerKind(StrEnum):
    person = "person"
    organization = "organization"


FIELD_NAMES = ("first_name", "name", "country", "presentation", "organization", "website")


@dataclass(frozen=True)
class Fields:
    """The six requested fields, as normalized values ("" when absent).

    `country` is the display name in the campaign's language, `country_code` the ISO 3166-1
    alpha-2 code (None when the country could not be recognized).
    """

    first_name: str = ""
    name: str = ""
    country: str = ""
    country_code: str | None = None
    presentation: str = ""
    organization: str = ""
    website: str = ""


@dataclass(frozen=True)
class Reply:
    """Everything the core learned from one inbound message."""

    message_id: str
    sender: str  # lower-cased address, "" when none could be read
    sender_name: str
    subject: str
    date: datetime | None
    in_reply_to: str
    references: tuple[str, ...]
    kind: Kind
    fields: Fields = field(default_factory=Fields)
    named: frozenset[str] = frozenset()  # which FIELD_NAMES the reply gave explicitly
    signer_kind: SignerKind = SignerKind.person
    confidence: float = 0.0  # 0..1; only complete entries above the threshold are auto-approved
    update_confidence: float = 0.0  # the same, read as an update of an existing signature (>=)
    completeness_reasons: tuple[str, ...] = ()  # reasons that do not apply to such an update
    reasons: tuple[str, ...] = ()  # human-readable, shown to reviewers
    language: str = ""  # language of the labels or text, when known
    bounced: tuple[str, ...] = ()  # recipients a bounce reports as undeliverable
    text: str = ""  # the cleaned reply text (quotes and signature blocks cut)

    @property
    def is_complete(self) -> bool:
        f = self.fields
        if self.signer_kind is SignerKind.organization:
            return bool(f.organization and f.country_code)
        return bool(f.first_name and f.name and f.country_code)

    def doubted(self, limit: float, *reasons: str) -> Reply:
        """The same reply, trusted at most `limit` (also as an update), with the reasons added."""
        return replace(self, confidence=min(self.confidence, limit),
                       update_confidence=min(self.update_confidence, limit),
                       reasons=self.reasons + tuple(reasons))


@dataclass(frozen=True)
class Signatory:
    """One row of a signatory list, as the exporters and templates see it."""

    id: int
    first_name: str
    name: str
    country: str
    country_code: str | None
    presentation: str
    organization: str
    website: str
    kind: SignerKind
    status: Status
    signed_at: datetime
    updated_at: datetime
    email: str = ""  # only filled when an organizer asks for addresses
