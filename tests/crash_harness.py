"""Kill a real `mailbot poll` process with SIGKILL at random moments, then let it finish.

Used by tests/pipeline/test_crash_safety.py (a few kills) and bench/crash_kill.py (many kills, a
table for the README). Everything is real: pymap over loopback, aiosmtpd, a SQLite file.
"""

from __future__ import annotations

import email
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from email import policy
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from mailbot.adapters.imap_source import ImapSource
from mailbot.adapters.store import InboundMessage, InboundState, Signature, open_database
from mailbot.local_servers import PymapServer, SmtpSink
from tests.servers import SAMPLES, write_config

ROOT = Path(__file__).resolve().parent.parent


def inbox(extra_signers: int) -> list[bytes]:
    mails = [f.read_bytes() for f in sorted(SAMPLES.glob("*.eml"))]
    for n in range(extra_signers):
        mails.append((f"From: signer{n}@example{n % 7}.org\r\nTo: appeal@campaign.example\r\n"
                      f"Subject: Re: appeal\r\nMessage-ID: <extra{n}@example.org>\r\n"
                      f"Content-Type: text/plain; charset=utf-8\r\n\r\nFirst name: Maria{n}\r\n"
                      f"Name: Lopez\r\nCountry: Spain\r\nPresentation: Teacher\r\n").encode())
    return mails


@dataclass
class RunResult:
    signatures: dict[str, tuple]
    inbound: int
    unfinished: int
    unmarked_on_server: int
    lists: dict[str, str]
    mails_per_recipient: Counter
    kills: int = 0
    kill_times: list[float] = field(default_factory=list)


def _poll_process(config: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "mailbot.cli", "--config", str(config), "poll"],
                            env=dict(os.environ, PYTHONPATH=str(ROOT)), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


def run(directory: Path, mails: list[bytes], kills: int, seed: int, window: float) -> RunResult:
    """Fill a fresh inbox, kill `kills` polls at random times within `window` s, then finish."""
    rng = random.Random(seed)
    directory.mkdir(parents=True, exist_ok=True)
    with PymapServer() as imap, SmtpSink() as smtp:
        cfg = write_config(directory, imap, smtp, extra="[limits]\nconfirmations_per_hour = 100000\n"
                                                        "replies_per_sender_per_hour = 100000\n"
                                                        "signatures_per_domain_per_hour = 100000\n")
        with ImapSource(cfg.imap) as src:
            for data in mails:
                src.append(data)
        result_kills, times = 0, []
        for _ in range(kills):
            proc = _poll_process(cfg.path)
            delay = rng.uniform(0.2, window)
            time.sleep(delay)
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                result_kills += 1
                times.append(round(delay, 3))
            proc.wait()
        for _ in range(5):  # then let it run to the end
            if _poll_process(cfg.path).wait() == 0:
                break
        engine = open_database(cfg.database.url)
        with Session(engine) as s:
            sigs = {sig.email: (sig.first_name, sig.name, sig.country_code, sig.presentation,
                                sig.organization, sig.website, str(sig.status))
                    for sig in s.scalars(select(Signature))}
            rows = s.scalars(select(InboundMessage)).all()
            unfinished = sum(r.state == InboundState.received for r in rows)
        with ImapSource(cfg.imap) as src:
            flags = src.client.get_flags(src.client.search(["ALL"]))
            unmarked = sum(b"\\Seen" not in f for f in flags.values())
        lists = {p.name: p.read_text() for p in cfg.export.directory.iterdir()
                 if p.suffix in (".json", ".csv")}
        per_rcpt = Counter()
        for _, rcpts, data in smtp.messages:
            msg = email.message_from_bytes(data, policy=policy.default)
            per_rcpt[(rcpts[0], str(msg["Subject"]).split(":")[0])] += 1
    engine.dispose()
    return RunResult(sigs, len(rows), unfinished, unmarked, lists, per_rcpt, result_kills, times)


def compare(reference: RunResult, crashed: RunResult) -> dict[str, int]:
    """Differences that the guarantees forbid (all must be 0) and the allowed duplicate mails."""
    lost_mail = sum(max(0, n - crashed.mails_per_recipient[k])
                    for k, n in reference.mails_per_recipient.items())
    extra_mail = sum(max(0, n - reference.mails_per_recipient[k])
                     for k, n in crashed.mails_per_recipient.items())
    ref_lists = {k: v for k, v in reference.lists.items() if k != "changes.json"}
    got_lists = {k: v for k, v in crashed.lists.items() if k != "changes.json"}
    return {
        "signatures lost": len(set(reference.signatures) - set(crashed.signatures)),
        "signatures doubled or extra": len(set(crashed.signatures) - set(reference.signatures)),
        "signatures different": sum(reference.signatures[k] != crashed.signatures.get(k)
                                    for k in reference.signatures if k in crashed.signatures),
        "messages lost or doubled": abs(reference.inbound - crashed.inbound),
        "messages left unprocessed": crashed.unfinished,
        "messages not marked on server": crashed.unmarked_on_server,
        "lists different": int(_normalize(ref_lists) != _normalize(got_lists)),
        "confirmations missing": lost_mail,
        "confirmations sent twice": extra_mail,
    }


def _normalize(lists: dict[str, str]) -> dict[str, object]:
    """Lists compared without ids and timestamps, which depend on processing order and time."""
    out: dict[str, object] = {}
    for name, text in lists.items():
        if name.endswith(".json"):
            rows = json.loads(text)
            out[name] = sorted(json.dumps({k: v for k, v in r.items()
                                           if k not in ("id", "signed_at", "updated_at")},
                                          sort_keys=True) for r in rows)
        else:
            out[name] = sorted(",".join(line.split(",")[1:-2]) for line in text.splitlines())
    return out
