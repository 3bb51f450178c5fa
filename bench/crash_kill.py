"""Kill `mailbot poll` with SIGKILL many times at random moments; report what the guarantees forbid.

    python3 bench/crash_kill.py [--rounds 5] [--kills 10] [--extra 40]

Each round: a fresh pymap inbox (the 39 samples plus --extra synthetic signers), --kills polls killed
at random times, then polls until one completes; compared with an uninterrupted reference run.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.crash_harness import compare, inbox, run  # noqa: E402


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--kills", type=int, default=10)
    p.add_argument("--extra", type=int, default=40)
    p.add_argument("--window", type=float, default=3.0)
    args = p.parse_args()
    mails = inbox(args.extra)
    totals: Counter[str] = Counter()
    kills = 0
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        reference = run(Path(tmp) / "ref", mails, kills=0, seed=0, window=0)
        for r in range(args.rounds):
            crashed = run(Path(tmp) / f"r{r}", mails, kills=args.kills, seed=1000 + r,
                          window=args.window)
            kills += crashed.kills
            totals.update(compare(reference, crashed))
            print(f"round {r}: {crashed.kills} kills at {crashed.kill_times}", flush=True)
    print(f"\n{len(mails)} mails, {args.rounds} rounds, {kills} SIGKILLs inside a poll, "
          f"{time.monotonic() - started:.0f} s\n")
    print("| outcome | count |\n| --- | --- |")
    for key, value in totals.items():
        print(f"| {key} | {value} |")


if __name__ == "__main__":
    main()
