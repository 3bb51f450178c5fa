"""The organizer commands of `mailbot`: pending, show, approve, reject, edit, withdraw, restore,
erase, attention, handled, and `review`, the interactive walk through the pending queue."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from typing import Any, TextIO

from mailbot import review
from mailbot.adapters.outgoing import FIELD_LABELS
from mailbot.adapters.store import Signature
from mailbot.core.model import Status
from mailbot.errors import MailbotError
from mailbot.pipeline import Runtime

COMMANDS = ("pending", "show", "approve", "reject", "edit", "withdraw", "restore", "erase",
            "attention", "handled", "review")
LABELS = dict(FIELD_LABELS, kind="Kind")


def default_actor() -> str:
    return os.environ.get("MAILBOT_ORGANIZER", "") or "organizer"


def add_commands(sub: Any) -> None:
    """Register the organizer commands on the `mailbot` sub-command parser."""
    def by(cmd: argparse.ArgumentParser) -> None:
        cmd.add_argument("--by", default=default_actor(),
                         help="your name, for the audit trail (default: $MAILBOT_ORGANIZER)")

    p = sub.add_parser("pending", help="list the entries waiting for an organizer")
    p.add_argument("--json", action="store_true", help="one JSON array, for scripts")
    p = sub.add_parser("show", help="one entry: fields, reasons, the reply, the audit trail")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("--original", action="store_true", help="also print the whole original mail")
    p = sub.add_parser("approve", help="publish these entries (or --all pending that match)")
    p.add_argument("ids", type=int, nargs="*", metavar="ID")
    p.add_argument("--all", action="store_true", help="every complete pending entry matching the "
                   "filters below")
    p.add_argument("--country", help="with --all: only this ISO country code, e.g. AR")
    p.add_argument("--min-confidence", type=float, help="with --all: only at least this confidence")
    by(p)
    for name, text in (("reject", "never publish these"),
                       ("withdraw", "take these off the list (the signer asked)"),
                       ("restore", "undo a withdrawal or rejection")):
        p = sub.add_parser(name, help=text)
        p.add_argument("ids", type=int, nargs="+", metavar="ID")
        by(p)
    p = sub.add_parser("edit", help="change fields: mailbot edit 12 country=Argentina name='del Caño'")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("changes", nargs="+", metavar="FIELD=VALUE",
                   help=f"fields: {', '.join(review.EDITABLE)}")
    p.add_argument("--approve", action="store_true", help="approve it in the same step")
    p.add_argument("--no-mail", action="store_true", help="do not tell the signer about the change")
    by(p)
    p = sub.add_parser("erase", help="forget a signer entirely (signature, mail, outbox)")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("--yes", action="store_true", help="really erase: this cannot be undone")
    by(p)
    p = sub.add_parser("attention", help="mail that needs a person (questions, unclear replies)")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("handled", help="mark needs-attention mail as dealt with")
    p.add_argument("ids", type=int, nargs="+", metavar="MAIL_ID")
    by(p)
    p = sub.add_parser("review", help="walk through the pending entries, one key per decision")
    by(p)


def run(rt: Runtime, args: argparse.Namespace) -> int:
    handler: Callable[[Runtime, argparse.Namespace], int] = globals()[f"_cmd_{args.command}"]
    return handler(rt, args)


# --- script-friendly commands ------------------------------------------------------------------

def _cmd_pending(rt: Runtime, args: argparse.Namespace) -> int:
    rows = review.pending(rt)
    if args.json:
        print(json.dumps([_public(sig) for sig in rows], ensure_ascii=False, indent=2))
        return 0
    for sig in rows:
        print(f"#{sig.id}  {review.display_name(sig)} | {sig.country or '-'} | "
              f"{sig.presentation or '-'} | {sig.organization or '-'}  "
              f"(confidence {sig.confidence:.2f})")
        for reason in sig.reasons:
            print(f"      - {reason}")
    print(f"{len(rows)} pending")
    return 0


def _public(sig: Signature) -> dict[str, Any]:
    return {"id": sig.id, "first_name": sig.first_name, "name": sig.name, "country": sig.country,
            "country_code": sig.country_code, "presentation": sig.presentation,
            "organization": sig.organization, "website": sig.website, "kind": str(sig.kind),
            "status": str(sig.status), "confidence": sig.confidence, "reasons": list(sig.reasons),
            "signed_at": sig.signed_at.isoformat()}


def _cmd_show(rt: Runtime, args: argparse.Namespace) -> int:
    print_entry(review.entry(rt, args.id), sys.stdout, original=args.original, trail=True)
    return 0


def _decided(done: list[review.Decision], what: str) -> int:
    print(f"{len(done)} {what}" + "".join(f" #{d.signature_id}" for d in done))
    return 0


def _cmd_approve(rt: Runtime, args: argparse.Namespace) -> int:
    if args.all:
        if args.ids:
            raise MailbotError("give either IDs or --all, not both")
        flt = review.BulkFilter(country_code=args.country, min_confidence=args.min_confidence)
        return _decided(review.bulk_approve(rt, flt, actor=args.by), "approved")
    if not args.ids:
        raise MailbotError("approve what? give entry numbers (see `mailbot pending`) or --all")
    return _decided(review.approve(rt, args.ids, actor=args.by), "approved")


def _cmd_reject(rt: Runtime, args: argparse.Namespace) -> int:
    return _decided(review.reject(rt, args.ids, actor=args.by), "rejected")


def _cmd_withdraw(rt: Runtime, args: argparse.Namespace) -> int:
    return _decided(review.withdraw(rt, args.ids, actor=args.by), "withdrawn")


def _cmd_restore(rt: Runtime, args: argparse.Namespace) -> int:
    return _decided(review.restore(rt, args.ids, actor=args.by), "restored")


def _cmd_edit(rt: Runtime, args: argparse.Namespace) -> int:
    changes = {}
    for item in args.changes:
        key, sep, value = item.partition("=")
        if not sep:
            raise MailbotError(f"expected FIELD=VALUE, got {item!r} (e.g. country=Argentina)")
        changes[key.strip().replace("-", "_")] = value
    result = review.edit(rt, args.id, changes, actor=args.by, approve=args.approve,
                         notify=False if args.no_mail else None)
    for c in result.changes:
        print(f"#{args.id} {c.label}: {c.before or '-'} -> {c.after or '-'}")
    if not result.changes:
        print(f"#{args.id}: nothing changed")
    if result.notified:
        print("a mail telling the signer what changed is in the outbox")
    return 0


def _cmd_erase(rt: Runtime, args: argparse.Namespace) -> int:
    if not args.yes:
        raise MailbotError(f"erasing #{args.id} deletes the signature, its mail and its audit "
                           f"trail for good: run again with --yes")
    review.erase(rt, args.id, actor=args.by)
    print(f"#{args.id} erased")
    return 0


def _cmd_attention(rt: Runtime, args: argparse.Namespace) -> int:
    rows = review.attention(rt)
    if args.json:
        print(json.dumps([{"id": m.id, "received_at": m.received_at.isoformat(), "from": m.sender,
                           "subject": m.subject, "kind": m.kind, "note": m.note} for m in rows],
                         ensure_ascii=False, indent=2))
        return 0
    for m in rows:
        print(f"mail {m.id}  {m.received_at:%Y-%m-%d %H:%M}  {m.sender or '?'}  {m.subject!r}")
        print(f"      - {m.note or m.state}")
    print(f"{len(rows)} need attention")
    return 0


def _cmd_handled(rt: Runtime, args: argparse.Namespace) -> int:
    print(f"{review.resolve(rt, args.ids, actor=args.by)} marked handled")
    return 0


# --- printing an entry -----------------------------------------------------------------------

def print_entry(entry: review.Entry, out: TextIO, *, original: bool = False, trail: bool = False,
                numbered: bool = False) -> None:
    sig = entry.signature
    out.write(f"#{sig.id}  {sig.status}  confidence {sig.confidence:.2f}  signed "
              f"{sig.signed_at:%Y-%m-%d %H:%M}  <{sig.email}>\n")
    for i, name in enumerate(review.EDITABLE, 1):
        value = getattr(sig, name)
        if name == "country" and sig.country_code:
            value = f"{value} ({sig.country_code})"
        elif name == "country" and value:
            value = f"{value} (not recognized)"
        key = f"{i} " if numbered else ""
        out.write(f"  {key}{LABELS[name] + ':':<14}{value or '-'}\n")
    if sig.reasons:
        out.write("Why it waits:\n")
        for reason in sig.reasons:
            out.write(f"  - {reason}\n")
    if entry.mails:
        m = entry.mails[0]
        out.write(f"What they wrote ({m.received_at:%Y-%m-%d %H:%M}, {m.subject!r}):\n")
        text = (m.original if original else m.cleaned or m.original).strip() or "(empty)"
        for line in text.splitlines()[:80 if not original else None]:
            out.write(f"  | {line}\n")
    if trail:
        out.write("Audit trail:\n")
        for ev in entry.events:
            out.write(f"  {ev.at:%Y-%m-%d %H:%M}  {ev.actor}  {ev.action}\n")


# --- the interactive review ------------------------------------------------------------------

class _Keys:
    """One key press at a time when the input is a terminal, a line at a time otherwise."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.tty = stream.isatty()

    def key(self, prompt: str) -> str:
        sys.stdout.write(prompt)
        sys.stdout.flush()
        if not self.tty:
            line = self.stream.readline()
            if not line:
                return "q"
            return (line.strip()[:1] or "\n").lower()
        import termios
        import tty

        fd = self.stream.fileno()
        saved = termios.tcgetattr(fd)
        try:
            tty.setcbreak(fd)
            ch = os.read(fd, 1).decode("utf-8", "replace")
        finally:
            termios.tcsetattr(fd, termios.TCSADRAIN, saved)
        sys.stdout.write(ch.strip() + "\n")
        return "q" if ch in ("", "\x04", "\x03") else ch.lower()

    def line(self, prompt: str) -> str | None:
        sys.stdout.write(prompt)
        sys.stdout.flush()
        line = self.stream.readline()
        return None if not line else line.rstrip("\r\n")


def _cmd_review(rt: Runtime, args: argparse.Namespace) -> int:
    keys = _Keys(sys.stdin)
    out = sys.stdout
    queue = [sig.id for sig in review.pending(rt)]
    if not queue:
        print("Nothing is waiting for review.")
        return 0
    print(f"{len(queue)} entries wait for review, oldest first. You are {args.by!r} in the audit "
          f"trail.")
    tally = {"approved": 0, "rejected": 0, "edited": 0, "skipped": 0}
    for n, sig_id in enumerate(queue, 1):
        original = False
        while True:
            entry = review.entry(rt, sig_id)
            if entry.signature.status != Status.pending:
                break
            out.write(f"\n--- {n} of {len(queue)} ---\n")
            print_entry(entry, out, original=original, numbered=True)
            choice = keys.key("[a]pprove  [e]dit  [r]eject  [s]kip  [o]riginal mail  [q]uit > ")
            try:
                if choice == "a":
                    review.approve(rt, [sig_id], actor=args.by)
                    tally["approved"] += 1
                    print(f"#{sig_id} approved")
                    break
                if choice == "r":
                    review.reject(rt, [sig_id], actor=args.by)
                    tally["rejected"] += 1
                    print(f"#{sig_id} rejected")
                    break
                if choice == "s":
                    tally["skipped"] += 1
                    break
                if choice == "o":
                    original = not original
                    continue
                if choice == "q":
                    _summary(tally)
                    return 0
                if choice == "e":
                    if _edit_one(rt, keys, sig_id, args.by):
                        tally["edited"] += 1
                    continue
                print("Use a, e, r, s, o or q.")
            except MailbotError as exc:
                print(f"Not done: {exc}")
    _summary(tally)
    return 0


def _edit_one(rt: Runtime, keys: _Keys, sig_id: int, actor: str) -> bool:
    choice = keys.key(f"Which field? [1-{len(review.EDITABLE)}] > ")
    if not choice.isdigit() or not 1 <= int(choice) <= len(review.EDITABLE):
        print("No field changed.")
        return False
    name = review.EDITABLE[int(choice) - 1]
    value = keys.line(f"New {LABELS[name].lower()} (Enter alone keeps it, '-' empties it): ")
    if not value:
        print("No field changed.")
        return False
    result = review.edit(rt, sig_id, {name: "" if value.strip() == "-" else value}, actor=actor)
    for c in result.changes:
        print(f"{c.label}: {c.before or '-'} -> {c.after or '-'}")
    if result.notified:
        print("The signer will get a mail saying what changed.")
    return bool(result.changes)


def _summary(tally: dict[str, int]) -> None:
    print("Done: " + ", ".join(f"{v} {k}" for k, v in tally.items()) + ".")
