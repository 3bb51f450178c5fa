"""Mail that breaks processing is set aside with its error and never blocks the rest."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from mailbot.adapters.imap_source import ImapSource
from mailbot.adapters.store import InboundMessage, InboundState, Signature
from mailbot.core.reply import read_reply
from mailbot.pipeline import Runtime, poll, reprocess
from tests.servers import SAMPLES, cfg, imap_server, smtp_sink  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent.parent
POISON = b"From: eve@example.org\r\nMessage-ID: <poison@x>\r\nSubject: Re: appeal\r\n\r\nPOISON\r\n"


def fill(cfg, *extra: bytes) -> None:
    with ImapSource(cfg.imap) as src:
        for f in sorted(SAMPLES.glob("000*.eml")):
            src.append(f.read_bytes())
        for data in extra:
            src.append(data)


def test_a_parser_exception_sets_one_mail_aside_and_reprocess_takes_it_again(cfg, smtp_sink):
    """The poisoned mail is kept with its error; after the fix, `reprocess` handles it."""
    fill(cfg, POISON)
    rt = Runtime.open(cfg)

    def broken(raw, rules):
        if b"POISON" in raw:
            raise UnicodeError("the parser's bug")
        return read_reply(raw, rules)

    rt.parse = broken
    stats = poll(rt)
    assert stats.failed == 1 and stats.signed == 9
    with Session(rt.engine) as s:
        row = s.scalars(select(InboundMessage).where(InboundMessage.message_key == "poison@x")).one()
        assert row.state == InboundState.failed and "UnicodeError: the parser's bug" in row.note
        assert row.raw == POISON and row.handled_on_server
    assert poll(rt).failed == 0  # not retried on every poll
    rt.parse = read_reply  # the fix
    again = reprocess(rt)
    with Session(rt.engine) as s:
        row = s.scalars(select(InboundMessage).where(InboundMessage.message_key == "poison@x")).one()
        assert row.state != InboundState.failed and row.attempts == 1
    assert again.failed == 0 and again.signed == 0  # "POISON" is not a signature


KILLER = """
import os, signal, sys
sys.path.insert(0, {root!r})
from mailbot.config import load_config
from mailbot.core.reply import read_reply
from mailbot.pipeline import Runtime, poll

def killer(raw, rules):
    if b"POISON" in raw:
        os.kill(os.getpid(), signal.SIGKILL)  # a parser that takes the whole worker down
    return read_reply(raw, rules)

rt = Runtime.open(load_config(__import__("pathlib").Path({config!r})))
rt.parse = killer
print(poll(rt).summary())
"""


def test_mail_that_kills_the_worker_is_set_aside(cfg, smtp_sink):
    """A message that crashes the worker is retried alone in a child process, then set aside."""
    fill(cfg, POISON)
    script = textwrap.dedent(KILLER.format(root=str(ROOT), config=str(cfg.path)))
    codes = []
    for _ in range(5):
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                              timeout=60, env=dict(os.environ))
        codes.append(done.returncode)
        if done.returncode == 0:
            break
    assert codes[0] == -9 and codes[-1] == 0 and len(codes) <= 3
    rt = Runtime.open(cfg)
    with Session(rt.engine) as s:
        poison = s.scalars(select(InboundMessage).where(InboundMessage.message_key == "poison@x")).one()
        assert poison.state == InboundState.failed
        assert "the parser process died on this message (exit code -9)" in poison.note
        others = s.scalars(select(InboundMessage).where(InboundMessage.message_key != "poison@x")).all()
        assert len(others) == 9 and all(r.state != InboundState.received for r in others)
        assert len(s.scalars(select(Signature)).all()) == 9


HANGER = """
import os, sys, time
sys.path.insert(0, {root!r})
from mailbot.config import load_config
from mailbot.core.reply import read_reply
from mailbot.parse_guard import restart_process
from mailbot.pipeline import Runtime, poll

def hanger(raw, rules):
    if b"POISON" in raw:
        time.sleep(3600)  # a parser caught in an endless loop
    return read_reply(raw, rules)

print("started", os.getpid(), flush=True)
rt = Runtime.open(load_config(__import__("pathlib").Path({config!r})))
rt.parse, rt.parse_timeout, rt.on_hung_parse = hanger, 2, restart_process
print(poll(rt).summary(), flush=True)
"""


def test_mail_that_hangs_the_parser_restarts_the_worker_and_is_set_aside(cfg, smtp_sink):
    """An endless parse is noticed after parse_timeout; the restarted worker sets that mail aside."""
    fill(cfg, POISON)
    script = textwrap.dedent(HANGER.format(root=str(ROOT), config=str(cfg.path)))
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, env=dict(os.environ))
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("started") == 2  # one restart, by the watchdog
    assert "has run for more than 2 s: restarting" in done.stderr
    rt = Runtime.open(cfg)
    with Session(rt.engine) as s:
        poison = s.scalars(select(InboundMessage).where(InboundMessage.message_key == "poison@x")).one()
        assert poison.state == InboundState.failed and "parsing took longer than 2 s" in poison.note
        others = s.scalars(select(InboundMessage).where(InboundMessage.message_key != "poison@x")).all()
        assert len(others) == 9 and all(r.state != InboundState.received for r in others)
        assert len(s.scalars(select(Signature)).all()) == 9
    assert len(smtp_sink.messages) == 9  # nothing sent twice across the restart
