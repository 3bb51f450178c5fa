"""The `mailbot` command: parse arguments, load the config, call one function, print the result."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.orm import Session

from mailbot import __version__
from mailbot.config import Config, load_config, readable_by_others
from mailbot.core.model import Status
from mailbot.errors import MailbotError

log = logging.getLogger("mailbot")

FORMATS = ("html", "fragment", "md", "txt", "csv", "json")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="mailbot", description="Collect signatures for open letters "
                                "and petitions by email.")
    p.add_argument("--config", type=Path, default=Path("config.toml"),
                   help="the campaign's TOML file (default: ./config.toml)")
    p.add_argument("-v", "--verbose", action="store_true", help="log every decision")
    p.add_argument("--version", action="version", version=f"mailbot {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    sub.add_parser("poll", help="fetch and process new mail once, send confirmations, write lists")
    sub.add_parser("run", help="the worker: poll on a schedule until stopped (SIGINT/SIGTERM)")

    imp = sub.add_parser("import", help="process mail from a Maildir, an mbox or a folder of .eml")
    imp.add_argument("path", type=Path)
    imp.add_argument("--no-confirm", action="store_true", help="send no confirmation mails")

    exp = sub.add_parser("export", help="print or write the signatory list")
    exp.add_argument("--format", choices=FORMATS, default="txt")
    exp.add_argument("--status", choices=("approved", "pending", "all"), default="approved")
    exp.add_argument("--include-email", action="store_true",
                     help="add addresses (never publish such a file)")
    exp.add_argument("--output", type=Path, help="write to this file instead of stdout")
    exp.add_argument("--since", metavar="TIMESTAMP", help="instead of the list: what was added, "
                     "changed or removed since then, as JSON (e.g. 2024-05-01T10:00:00Z)")

    from mailbot import review_cli

    review_cli.add_commands(sub)  # pending, show, approve, reject, edit, ..., review
    srv = sub.add_parser("serve", help="the review pages for organizers and the lists, on the web")
    srv.add_argument("--host", help="listen on this address instead of [web] host")
    srv.add_argument("--port", type=int, help="listen on this port instead of [web] port")
    sub.add_parser("hash-password", help="make an organizer password hash for [web] organizers")

    sub.add_parser("status", help="counts, the last poll, the outbox")

    dig = sub.add_parser("digest", help="the daily staff digest: print it, or send it now")
    how = dig.add_mutually_exclusive_group(required=True)
    how.add_argument("--print", action="store_true", dest="print_digest",
                     help="show it here (text; --html for the HTML part) and send nothing")
    how.add_argument("--send", action="store_true", help="send it now to [digest] recipients")
    dig.add_argument("--html", action="store_true", help="with --print: the HTML part")

    fg = sub.add_parser("forget", help="erase everything kept about an address (privacy request)")
    fg.add_argument("email")
    fg.add_argument("--yes", action="store_true", help="really erase: this cannot be undone")
    fg.add_argument("--by", default="organizer", help="your name, for the audit trail")

    rep = sub.add_parser("reprocess", help="parse set-aside mail again (failed, needs attention)")
    rep.add_argument("--all", action="store_true",
                     help="also mail ignored as auto-reply, bounce or list mail")

    demo = sub.add_parser("demo", help="try mailbot with no config: local servers, sample replies")
    demo.add_argument("--dir", type=Path, default=Path("mailbot-demo"),
                      help="where the demo keeps its database, lists and sent mail")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # mail-parser logs a warning for every MIME part it does not render (delivery-status...):
    # that is normal for bounces, and nothing an organizer can act on.
    logging.getLogger("mailparser").setLevel(logging.ERROR)
    try:
        return _dispatch(args)
    except MailbotError as exc:
        print(f"mailbot: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _runtime(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from mailbot.parse_guard import restart_process
    from mailbot.pipeline import Runtime

    cfg: Config = load_config(args.config)
    if readable_by_others(args.config) and (cfg.imap.password or cfg.smtp.password) and \
            _has_literal_password(args.config):
        log.warning("%s holds a password and other users can read it: chmod 600 %s, or use "
                    "password_env", args.config, args.config)
    rt = Runtime.open(cfg)
    rt.on_hung_parse = restart_process  # a parse that never ends: start again, then set it aside
    return rt


def _has_literal_password(path: Path) -> bool:
    return any(line.strip().startswith("password ") or line.strip().startswith("password=")
               for line in path.read_text(encoding="utf-8", errors="replace").splitlines())


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "demo":
        from mailbot.demo import run_demo

        return run_demo(args.dir)
    if args.command == "hash-password":
        from mailbot.web.auth import prompt_hash

        print(prompt_hash())
        return 0
    rt = _runtime(args)
    from mailbot import review_cli

    if args.command in review_cli.COMMANDS:
        return review_cli.run(rt, args)
    if args.command == "serve":
        from mailbot.web.server import serve

        return serve(rt, host=args.host, port=args.port)
    if args.command == "poll":
        from mailbot.pipeline import poll

        print(poll(rt).summary())
    elif args.command == "run":
        from mailbot.scheduler import run_worker

        run_worker(rt)
    elif args.command == "import":
        return _import(rt, args)
    elif args.command == "export":
        _export(rt, args)
    elif args.command == "status":
        _status(rt)
    elif args.command == "digest":
        _digest(rt, args)
    elif args.command == "forget":
        if not args.yes:
            print("mailbot: forget erases the signature, its mail and its outbox for good: "
                  "add --yes", file=sys.stderr)
            return 2
        from mailbot.review import forget

        had = forget(rt, args.email, actor=args.by)
        print("erased the signature and its mail" if had else "no signature; stored mail erased")
    elif args.command == "reprocess":
        from mailbot.pipeline import reprocess

        print(reprocess(rt, include_ignored=args.all).summary())
    return 0


def _import(rt, args: argparse.Namespace) -> int:  # type: ignore[no-untyped-def]
    from mailbot.adapters.file_source import count_messages, read_messages
    from mailbot.pipeline import IncomingMail, import_mails

    total = count_messages(args.path)
    tty = sys.stderr.isatty()

    def progress(done: int) -> None:
        if tty:
            of = f"/{total}" if total else ""
            print(f"\rimported {done}{of}", end="", file=sys.stderr, flush=True)

    cap = rt.cfg.limits.max_message_mb * 1024 * 1024
    mails = (IncomingMail(raw, "import") for raw in read_messages(args.path, cap))
    stats = import_mails(rt, mails, confirm=not args.no_confirm, progress=progress)
    if tty:
        print(file=sys.stderr)
    print(stats.summary())
    return 0


def _export(rt, args: argparse.Namespace) -> None:  # type: ignore[no-untyped-def]
    from mailbot.adapters import exporters, store

    if args.since:
        from mailbot.changes import changes_since, parse_since

        with Session(rt.engine) as session:
            text = changes_since(session, parse_since(args.since)).as_json()
        if args.output:
            args.output.write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
        return
    statuses = None if args.status == "all" else [Status(args.status)]
    with Session(rt.engine) as session:
        rows = [s.as_signatory(include_email=args.include_email)
                for s in store.signatures(session, statuses)]
    text = exporters.render(args.format, rows, campaign_name=rt.cfg.campaign.name,
                            language=rt.cfg.campaign.language, generated_at=rt.clock(),
                            include_email=args.include_email, templates=rt.env)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


def _digest(rt, args: argparse.Namespace) -> None:  # type: ignore[no-untyped-def]
    from mailbot import digest

    if args.send:
        sent = digest.send_now(rt)
        print(f"digest queued for {len(rt.cfg.digest.recipients)} recipients, {sent} mails sent")
        return
    rendered = digest.render(rt, digest.build(rt))
    if args.html:
        sys.stdout.write(rendered.html)
    else:
        sys.stdout.write(f"Subject: {rendered.subject}\n\n{rendered.text}")


def _status(rt) -> None:  # type: ignore[no-untyped-def]
    from mailbot.adapters import store

    with Session(rt.engine) as session:
        counts = store.counts(session)
        state = store.mailbox_state(session, rt.cfg.imap.folder)
        incidents = [(i.at, i.kind, i.message) for i in store.recent_incidents(session)]
    last = state.last_poll_at.isoformat(timespec="seconds") if state and state.last_poll_at else "never"
    print(f"last successful poll: {last}")
    for key, value in counts.items():
        print(f"{key}: {value}")
    if incidents:
        print("recent failures:")
        for at, kind, message in incidents:
            print(f"  {at.isoformat(timespec='seconds')} {kind}: {message}")


if __name__ == "__main__":
    sys.exit(main())
