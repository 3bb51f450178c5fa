"""One `poll` of a large inbox on a real Dovecot: how fast each step goes, and what ends up stored.

    python3 bench/large_inbox.py [--count 10000] [--batch-size 200] [--first-uid 1] [--cli]

Fills a private Dovecot (tests/dovecot.py; needs `apt-get install dovecot-imapd`) with --count
distinct signature replies written straight into its Maildir, then times one poll end to end against
it, a real SQLite file and an aiosmtpd sink taking the confirmations (the hourly confirmation cap is
lifted so that all of them go out). In process, each step of the poll is timed: fetch (IMAP SEARCH,
FETCH, raw rows stored, flags set), process (parse + apply + queue the confirmation), send, publish.
With --cli the poll is `mailbot --config PATH poll` in a subprocess (only the total is known).
A second poll, with nothing new, is timed too.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from mailbot import pipeline  # noqa: E402
from mailbot.adapters import store  # noqa: E402
from mailbot.adapters.imap_source import HANDLED_KEYWORD, ImapSource  # noqa: E402
from mailbot.adapters.store import InboundMessage, Outbox, OutboxStatus, Signature  # noqa: E402
from mailbot.config import load_config  # noqa: E402
from mailbot.local_servers import SmtpSink  # noqa: E402
from tests.dovecot import DovecotServer, signature_mail  # noqa: E402
from tests.servers import write_config  # noqa: E402

STEPS = ("fetch_from_imap", "process_received", "send_outbox", "publish")


def timed_steps() -> dict[str, float]:
    """Wrap the poll's steps (module globals that poll() looks up) to time each one."""
    spent: dict[str, float] = {}

    def wrap(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[name] = spent.get(name, 0.0) + time.perf_counter() - started
        return timed

    for name in STEPS:
        setattr(pipeline, name, wrap(name, getattr(pipeline, name)))
    ImapSource._call = wrap("imap commands", ImapSource._call)  # every IMAP command goes through it
    return spent


def db_counts(rt: pipeline.Runtime) -> dict[str, int]:
    with Session(rt.engine) as s:
        def n(model: Any, *where: Any) -> int:
            return s.scalar(select(func.count()).select_from(model).where(*where)) or 0

        out = {"inbound messages": n(InboundMessage),
               "distinct message keys": s.scalar(
                   select(func.count(func.distinct(InboundMessage.message_key)))) or 0,
               "signatures": n(Signature),
               "outbox sent": n(Outbox, Outbox.status == OutboxStatus.sent),
               "not yet flagged on the server": n(InboundMessage,
                                                  InboundMessage.handled_on_server.is_(False))}
        out.update(store.counts(s))
        return out


def rate(count: int, seconds: float) -> str:
    return f"{seconds:8.2f} s  {count / seconds:8.0f} msg/s" if seconds > 0 else f"{seconds:8.2f} s"


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--count", type=int, default=10_000, help="mails in the inbox (default 10000)")
    p.add_argument("--batch-size", type=int, default=200, help="[imap] batch_size (1-1000)")
    p.add_argument("--first-uid", type=int, default=1, help="first UID Dovecot hands out "
                   "(1000000000: the 10-digit UIDs of an old mailbox)")
    p.add_argument("--cli", action="store_true", help="run `mailbot poll` in a subprocess")
    args = p.parse_args()

    with tempfile.TemporaryDirectory(prefix="mailbot-bench-") as tmp, DovecotServer() as dovecot, \
            SmtpSink() as sink:
        print(f"Dovecot {dovecot.version}, {args.count} mails, batch_size {args.batch_size}, "
              f"first UID {args.first_uid}, {'CLI subprocess' if args.cli else 'in process'}")
        if args.first_uid > 1:
            dovecot.set_next_uid(args.first_uid)
        started = time.perf_counter()
        dovecot.deliver(signature_mail(i) for i in range(args.count))
        print(f"fill Maildir         {rate(args.count, time.perf_counter() - started)}")
        path = write_config(Path(tmp), dovecot, sink,
                            extra="[limits]\nconfirmations_per_hour = 1000000\n").path
        # write_config quotes [imap] extras as strings; batch_size is a number
        path.write_text(path.read_text().replace(
            "timeout = 10\n", f"timeout = 60\nbatch_size = {args.batch_size}\n", 1))
        cfg = load_config(path, environ={})
        assert cfg.imap.batch_size == args.batch_size
        rt = pipeline.Runtime.open(cfg)

        if args.cli:
            started = time.perf_counter()
            out = subprocess.run([sys.executable, "-m", "mailbot.cli", "--config", str(cfg.path), "poll"],
                                 capture_output=True, text=True, check=True,
                                 cwd=Path(__file__).resolve().parent.parent)
            total = time.perf_counter() - started
            print(f"poll (CLI) total     {rate(args.count, total)}")
            print(f"  {out.stdout.strip()}")
        else:
            spent = timed_steps()
            started = time.perf_counter()
            stats = pipeline.poll(rt)
            total = time.perf_counter() - started
            print(f"  {stats.summary()}")
            print(f"fetch (IMAP + raw rows + flags) {rate(stats.fetched, spent['fetch_from_imap'])}")
            print(f"  of which IMAP commands        {rate(stats.fetched, spent['imap commands'])}")
            print(f"parse + store (process)         {rate(stats.fetched, spent['process_received'])}")
            print(f"send confirmations              {rate(stats.sent, spent['send_outbox'])}")
            print(f"publish lists                   {spent['publish']:8.2f} s")
            print(f"poll total                      {rate(stats.fetched, total)}")

        started = time.perf_counter()
        again = pipeline.poll(rt)
        print(f"second poll (nothing new)       {time.perf_counter() - started:8.2f} s  "
              f"fetched={again.fetched} sent={again.sent}")

        flags = dovecot.flags()
        flagged = sum(1 for f in flags.values() if b"\\Seen" in f and HANDLED_KEYWORD in f)
        print(f"server: {len(flags)} messages, {flagged} with \\Seen and {HANDLED_KEYWORD.decode()}; "
              f"SMTP sink received {len(sink.messages)}")
        print("database:")
        for key, value in db_counts(rt).items():
            print(f"  {key:32} {value}")


if __name__ == "__main__":
    main()
