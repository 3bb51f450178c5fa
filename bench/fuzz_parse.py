"""Feed mutated real mail and random bytes to the parser; count exceptions (must be 0).

    python3 bench/fuzz_parse.py [--n 20000] [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mailbot.core.model import Kind  # noqa: E402
from mailbot.core.reply import ParseRules, read_reply  # noqa: E402

SHARED = ROOT.parent / "shared" / "corpus"


def mutate(rng: random.Random, data: bytes) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 20)):
        op = rng.random()
        pos = rng.randrange(len(b) + 1)
        if op < 0.4 and b:
            b[min(pos, len(b) - 1)] = rng.randrange(256)
        elif op < 0.6:
            b[pos:pos] = rng.choice([b"\r\n", b"\x00", b"=?utf-8?b?", b"--", b"\n>", b"<html>",
                                     b"Content-Type: multipart/mixed; boundary=x\r\n", b"\xff\xfe"])
        elif op < 0.8 and b:
            del b[pos:pos + rng.randint(1, 200)]
        else:
            b[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 50)))
    return bytes(b)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--n", type=int, default=20000)
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args()
    rng = random.Random(args.seed)
    seeds = [f.read_bytes() for f in sorted((SHARED / "samples").glob("*.eml"))]
    seeds += [f.read_bytes() for f in sorted((SHARED / "real").rglob("*")) if f.is_file()
              and f.suffix not in (".md", ".tsv")][:300]
    rules = ParseRules(campaign_address="appeal@campaign.example")
    crashes, approved_like, started = 0, 0, time.monotonic()
    for i in range(args.n):
        data = mutate(rng, rng.choice(seeds)) if i % 4 else bytes(
            rng.randrange(256) for _ in range(rng.randint(0, 3000)))
        try:
            reply = read_reply(data, rules)
            approved_like += reply.kind is Kind.signature and reply.is_complete
        except Exception as exc:  # noqa: BLE001
            crashes += 1
            print(f"crash #{i}: {type(exc).__name__}: {exc}", file=sys.stderr)
    elapsed = time.monotonic() - started
    print(f"{args.n} fuzzed inputs, {crashes} exceptions, {elapsed:.0f} s "
          f"({args.n / elapsed:.0f}/s); complete signatures among them: {approved_like}")


if __name__ == "__main__":
    main()
