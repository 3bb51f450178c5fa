"""`mailbot review` driven through a real pseudo-terminal, one key press at a time."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pexpect
from sqlalchemy import select
from sqlalchemy.orm import Session

from mailbot import review
from mailbot.adapters.store import Event, Signature
from tests.web.campaign import campaign_runtime

ROOT = Path(__file__).resolve().parent.parent.parent


def spawn(rt, *args: str) -> pexpect.spawn:
    env = dict(os.environ, PYTHONPATH=str(ROOT), COLUMNS="120")
    return pexpect.spawn(sys.executable, ["-m", "mailbot.cli", "--config", str(rt.cfg.path),
                                          "review", *args], env=env, encoding="utf-8", timeout=60)


def test_terminal_review_edit_approve_reject_skip_quit(tmp_path):
    """Keys e/3/Germany, a, o, r, s, q act on the queue oldest first; the trail names the organizer."""
    rt = campaign_runtime(tmp_path)
    queue = [s.id for s in review.pending(rt)]
    child = spawn(rt, "--by", "Ana")
    child.expect("wait for review, oldest first")
    child.expect(rf"#{queue[0]} ")
    child.expect("Why it waits:")
    child.expect(r"\[q\]uit > ")
    child.send("e")  # a single key, no Enter
    child.expect(r"Which field\? \[1-7\] > ")
    child.send("3")
    child.expect("New country")
    child.sendline("Deutschland")
    child.expect("Country: .* -> Germany")
    child.expect(r"\[q\]uit > ")
    child.send("a")
    child.expect(f"#{queue[0]} approved")
    child.expect(r"\[q\]uit > ")
    child.send("o")  # the original mail, then the same entry again
    child.expect(rf"#{queue[1]} ")
    child.expect(r"\[q\]uit > ")
    child.send("r")
    child.expect(f"#{queue[1]} rejected")
    child.expect(r"\[q\]uit > ")
    child.send("s")
    child.expect(r"\[q\]uit > ")
    child.send("q")
    child.expect("Done: 1 approved, 1 rejected, 1 edited, 1 skipped.")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    with Session(rt.engine) as s:
        first, second, third = (s.get(Signature, i) for i in queue[:3])
        assert (first.status, first.country_code) == ("approved", "DE")
        assert second.status == "rejected" and third.status == "pending"
        trail = [(e.signature_id, e.actor, e.action) for e in s.scalars(select(Event))]
    assert (queue[0], "Ana", "edited") in trail and (queue[0], "Ana", "approved") in trail
    assert (queue[1], "Ana", "rejected") in trail


def test_terminal_review_with_empty_queue(tmp_path):
    """With nothing pending the review says so and ends."""
    rt = campaign_runtime(tmp_path)
    review.bulk_approve(rt, review.BulkFilter(complete_only=False), actor="Ana")
    child = spawn(rt)
    child.expect("Nothing is waiting for review.")
    child.expect(pexpect.EOF)
