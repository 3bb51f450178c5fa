"""The SMTP adapter against a real aiosmtpd server on loopback."""

import dataclasses

from mailbot.adapters.smtp_sender import Envelope, SmtpSender
from mailbot.config import SmtpSettings
from mailbot.errors import PermanentSendError, TemporarySendError
from mailbot.local_servers import SmtpSink, free_port


def envelope(n: int, rcpt: str | None = None) -> Envelope:
    return Envelope(n, "appeal@campaign.example", rcpt or f"s{n}@example.org",
                    f"Subject: {n}\r\n\r\nbody {n}\r\n".encode())


def test_many_mails_share_one_connection():
    """Ten mails go out over a single SMTP session."""
    with SmtpSink() as sink:
        sender = SmtpSender(SmtpSettings(host=sink.host, port=sink.port, security="plain"))
        results = sender.send_all([envelope(n) for n in range(10)])
        assert all(r.sent for r in results) and len(sink.messages) == 10
        assert sink.sessions == 1
        assert sink.messages[3][1] == ["s3@example.org"]


def test_4xx_is_temporary_and_5xx_permanent():
    """A 450 answer means retry later, a 550 means give up; neither stops the other mails."""
    with SmtpSink() as sink:
        sink.refuse = {"busy@example.org": (450, "try later"), "gone@example.org": (550, "no user")}
        sender = SmtpSender(SmtpSettings(host=sink.host, port=sink.port, security="plain"))
        results = sender.send_all([envelope(1, "busy@example.org"), envelope(2, "gone@example.org"),
                                   envelope(3)])
        assert isinstance(results[0].error, TemporarySendError)
        assert isinstance(results[1].error, PermanentSendError)
        assert "550" in str(results[1].error)
        assert results[2].sent and len(sink.messages) == 1


def test_server_down_is_temporary_for_every_mail():
    """When nobody listens, every mail waits for a later try."""
    settings = SmtpSettings(host="127.0.0.1", port=free_port(), security="plain", timeout=5)
    results = SmtpSender(settings).send_all([envelope(1), envelope(2)])
    assert [type(r.error) for r in results] == [TemporarySendError, TemporarySendError]
    assert "cannot connect to SMTP server 127.0.0.1" in str(results[0].error)
