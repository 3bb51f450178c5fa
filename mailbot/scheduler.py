"""The worker: APScheduler triggers a poll every `poll_every`; SIGINT/SIGTERM stop it cleanly."""

from __future__ import annotations

import logging
import signal
from datetime import datetime
from types import FrameType

from apscheduler.schedulers.blocking import BlockingScheduler

from mailbot.errors import MailbotError
from mailbot.pipeline import Runtime, poll

log = logging.getLogger(__name__)

DIGEST_CHECK_EVERY = 60  # seconds: the digest goes out within a minute of [schedule] digest_at


def _poll_job(rt: Runtime) -> None:
    try:
        log.info("poll done %s", poll(rt).summary())
    except MailbotError as exc:  # the server is down or refuses us: say so, try again next time
        log.error("poll failed: %s", exc)


def _digest_job(rt: Runtime) -> None:
    from mailbot.digest import tick

    try:
        tick(rt)  # the daily digest when due (also after downtime), and staff alerts
    except MailbotError as exc:
        log.error("digest failed: %s", exc)


def build_scheduler(rt: Runtime) -> BlockingScheduler:
    scheduler = BlockingScheduler(timezone=rt.cfg.schedule.timezone)
    scheduler.add_job(_poll_job, "interval", args=[rt], seconds=rt.cfg.schedule.poll_every,
                      id="poll", max_instances=1, coalesce=True,
                      next_run_time=datetime.now(scheduler.timezone))
    scheduler.add_job(_digest_job, "interval", args=[rt], seconds=DIGEST_CHECK_EVERY, id="digest",
                      max_instances=1, coalesce=True, next_run_time=datetime.now(scheduler.timezone))
    return scheduler


def run_worker(rt: Runtime) -> None:
    """Block until SIGINT or SIGTERM; a poll under way finishes before the worker exits."""
    scheduler = build_scheduler(rt)

    def stop(signum: int, _frame: FrameType | None) -> None:
        log.warning("stopping on %s", signal.Signals(signum).name)
        scheduler.shutdown(wait=False)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log.warning("worker started: polling %s every %ss", rt.cfg.imap.folder,
                rt.cfg.schedule.poll_every)
    scheduler.start()
    log.warning("worker stopped")
