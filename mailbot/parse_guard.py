"""Parsing untrusted mail without letting one message take the worker down.

The core promises never to raise, but a bug on hostile input may still crash the interpreter or
loop forever. Two guards keep such a message from stopping the worker:

- `parse_isolated` parses in a forked child with a deadline: a crash or a hang there only sets the
  message aside. The pipeline uses it for a message whose earlier processing was interrupted.
- `HangWatchdog` watches the ordinary, in-process parse. When one message has been parsed for longer
  than the deadline, the thread cannot be stopped from outside, so the watchdog restarts the whole
  process (`restart_process`); the attempt was committed before parsing, so the new process parses
  that message in isolation, sets it aside, and goes on with the rest.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection

from mailbot.core.model import Reply
from mailbot.core.reply import ParseRules

log = logging.getLogger(__name__)

Parse = Callable[[bytes, ParseRules], Reply]


class ParserCrashError(Exception):
    """Parsing this message killed or hung the child process that tried it."""


_WARM_UP = (b"From: warm-up@example.org\r\nSubject: Re: appeal\r\n\r\n"
            b"First name: Ana\r\nName: Lima\r\nCountry: Brasil\r\n")
_warmed_up: set[int] = set()


def parse_isolated(parse: Parse, raw: bytes, rules: ParseRules, timeout: float) -> Reply:
    """Parse in a forked child; a child that dies or runs past `timeout` raises ParserCrashError."""
    if id(parse) not in _warmed_up:  # build the parser's lazy tables (1 s) once, here, so that
        parse(_WARM_UP, rules)       # each forked child inherits them instead of rebuilding them
        _warmed_up.add(id(parse))
    ctx = multiprocessing.get_context("fork")  # the child inherits `parse` and the loaded tables
    receiver, sender = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_parse_in_child, args=(parse, raw, rules, sender), daemon=True)
    child.start()
    sender.close()
    result: object = None
    if receiver.poll(timeout):
        try:
            result = receiver.recv()
        except EOFError:  # the child died before answering
            result = None
    child.join(1)
    if child.is_alive():
        child.kill()
        child.join()
        raise ParserCrashError(f"parsing took longer than {timeout:g} s")
    if isinstance(result, Exception):
        raise result
    if result is None:
        raise ParserCrashError(f"the parser process died on this message (exit code {child.exitcode})")
    assert isinstance(result, Reply)
    return result


def _parse_in_child(parse: Parse, raw: bytes, rules: ParseRules, conn: Connection) -> None:
    try:
        conn.send(parse(raw, rules))
    except Exception as exc:
        conn.send(exc)


class HangWatchdog:
    """Calls `on_hung(inbound_id)` from a thread when one parse lasts longer than `seconds`.

    One thread for the life of the process, started on first use; `watching()` around each parse
    costs two attribute writes.
    """

    def __init__(self, seconds: float, on_hung: Callable[[int], None]) -> None:
        self.seconds = seconds
        self.on_hung = on_hung
        self._current: tuple[int, float] | None = None
        self._thread: threading.Thread | None = None

    @contextmanager
    def watching(self, inbound_id: int) -> Iterator[None]:
        if self._thread is None:
            self._thread = threading.Thread(target=self._watch, name="parse-watchdog", daemon=True)
            self._thread.start()
        self._current = (inbound_id, time.monotonic())
        try:
            yield
        finally:
            self._current = None

    def _watch(self) -> None:
        step = min(1.0, self.seconds / 4)
        while True:
            time.sleep(step)
            current = self._current
            if current is not None and time.monotonic() - current[1] > self.seconds:
                log.critical("parsing inbound_id=%s has run for more than %g s: restarting so that "
                             "it is parsed alone and set aside", current[0], self.seconds)
                self.on_hung(current[0])
                return


def restart_process(_inbound_id: int) -> None:
    """Replace this process by a fresh run of the same command (the CLI's answer to a hung parse).

    File descriptors Python opened are not inherited, so the worker lock and the database
    connections are released; uncommitted work is redone by the new process.
    """
    for handler in logging.getLogger().handlers:
        handler.flush()
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, sys.orig_argv)
