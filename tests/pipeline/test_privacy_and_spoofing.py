"""Erasure on request, and signatures whose sender fails authentication."""

from __future__ import annotations

import dataclasses
import shutil

from sqlalchemy import select
from sqlalchemy.orm import Session

from mailbot.adapters.imap_source import ImapSource
from mailbot.adapters.store import InboundMessage, Outbox, Signature
from mailbot.cli import main
from mailbot.config import load_config
from mailbot.core.model import Status
from mailbot.pipeline import Runtime, poll
from tests.servers import SAMPLES, cfg, imap_server, smtp_sink  # noqa: F401

JEAN = ("From: Jean Dupont <jean@example.org>\r\nTo: appeal@campaign.example\r\n"
        "Subject: Re: appeal\r\nMessage-ID: <{mid}@example.org>\r\n{auth}"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        "First name: Jean\r\nName: Dupont\r\nCountry: France\r\nPresentation: Professor\r\n")
DMARC_FAIL = ("Authentication-Results: mx.campaign.example; dmarc=fail header.from=example.org; "
              "spf=fail smtp.mailfrom=example.org; dkim=none\r\n")
DMARC_PASS = ("Authentication-Results: mx.campaign.example; dmarc=pass header.from=example.org; "
              "dkim=pass header.d=example.org\r\n")


def append(cfg, *mails: str) -> None:
    with ImapSource(cfg.imap) as src:
        for m in mails:
            src.append(m.encode())


def only_signature(rt) -> Signature:
    with Session(rt.engine) as s:
        sig = s.scalars(select(Signature)).one()
        s.expunge(sig)
        return sig


def test_failing_dmarc_sends_the_signature_to_review(cfg, smtp_sink):
    """A complete labeled reply whose sender fails DMARC waits, with the reason; the owner is mailed."""
    append(cfg, JEAN.format(mid="a", auth=DMARC_FAIL))
    rt = Runtime.open(cfg)
    poll(rt)
    sig = only_signature(rt)
    assert sig.status == Status.pending
    assert any(r.startswith("spoofing signal") for r in sig.reasons)
    assert [rcpt for _, (rcpt,), _ in smtp_sink.messages] == ["jean@example.org"]


def test_passing_dmarc_is_approved_and_reject_policy_makes_no_entry(cfg, smtp_sink):
    """A passing sender is approved as usual; with on_auth_fail = reject, a failing one signs nothing."""
    append(cfg, JEAN.format(mid="b", auth=DMARC_PASS))
    rt = Runtime.open(cfg)
    poll(rt)
    assert only_signature(rt).status == Status.approved

    strict = dataclasses.replace(cfg, security=dataclasses.replace(cfg.security, on_auth_fail="reject"))
    rt = Runtime.open(strict)
    append(cfg, JEAN.format(mid="c", auth=DMARC_FAIL).replace("jean@", "jeanne@"))
    poll(rt)
    with Session(rt.engine) as s:
        assert s.scalars(select(Signature.email)).all() == ["jean@example.org"]
        row = s.scalars(select(InboundMessage).where(InboundMessage.message_key == "c@example.org")).one()
        assert row.state == "needs attention"


def test_forget_erases_and_old_mail_does_not_bring_it_back(tmp_path, capsys, monkeypatch):
    """`mailbot forget` erases an address; importing its old mail again keeps nothing of it."""
    config = tmp_path / "config.toml"
    config.write_text('[campaign]\nname = "A"\naddress = "appeal@campaign.example"\n[imap]\n'
                      'host = "127.0.0.1"\nport = 1\nsecurity = "plain"\nusername = "x"\n'
                      'password_env = "X"\n[smtp]\nhost = "127.0.0.1"\nport = 1\nsecurity = "plain"\n')
    env_cli = ["--config", str(config)]
    monkeypatch.setenv("X", "x")
    mails = tmp_path / "mails"
    mails.mkdir()
    for name in ("0003.eml", "0036.eml", "0007.eml"):  # Penelope Duggan twice, Jocelyne Haller
        shutil.copy(SAMPLES / name, mails / name)
    assert main(env_cli + ["import", str(mails), "--no-confirm"]) == 0
    assert main(env_cli + ["forget", "penelope.duggan@example.org"]) == 2  # asks for --yes
    assert main(env_cli + ["forget", "penelope.duggan@example.org", "--yes"]) == 0
    capsys.readouterr()
    # the same mail under new Message-IDs, as a forwarded archive would bring it
    again = tmp_path / "again"
    again.mkdir()
    for name in ("0003.eml", "0036.eml"):
        data = (SAMPLES / name).read_bytes().replace(b"Message-ID: <", b"Message-ID: <copy-")
        (again / name).write_bytes(data)
    assert main(env_cli + ["import", str(again), "--no-confirm"]) == 0
    assert main(env_cli + ["export", "--format", "json", "--status", "all", "--include-email"]) == 0
    out = capsys.readouterr().out
    assert "penelope" not in out.lower() and "jocelyne.haller@mail.example" in out
    rt = Runtime.open(load_config(config))
    with Session(rt.engine) as s:
        rows = s.scalars(select(InboundMessage)).all()
        assert not any(b"Duggan" in r.raw or "penelope" in r.sender for r in rows)
        assert s.scalars(select(Outbox)).all() == []
