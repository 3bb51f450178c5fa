"""One worker at a time per campaign: an exclusive lock on a file next to the config.

A cron `mailbot poll` and a `mailbot run` service started by mistake never process mail together:
the second one sees the lock, says who holds it, and does nothing.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from mailbot.errors import MailbotError


class WorkerBusyError(MailbotError):
    """Another mailbot process is working on this campaign; this one did nothing."""


@contextmanager
def worker_lock(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
            raise WorkerBusyError(f"another mailbot worker (pid {holder}) is processing this "
                                  f"campaign; lock file {path}") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)  # closing releases the lock, also when the process is killed
