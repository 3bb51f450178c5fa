"""`mailbot demo`: the whole path on this machine, no config needed.

Starts a real IMAP server (pymap) and SMTP server (aiosmtpd) on loopback, puts the sample replies
shipped in `mailbot/demo_inbox/` into the inbox, writes a config file, and runs one poll.
"""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

from mailbot.adapters.imap_source import ImapSource
from mailbot.config import load_config
from mailbot.local_servers import PymapServer, SmtpSink
from mailbot.pipeline import Runtime, poll

CAMPAIGN = "appeal@campaign.example"

_CONFIG = """\
# Written by `mailbot demo`: a campaign on local servers that live only while the demo runs.
[campaign]
name = "International appeal for the immediate release of all political prisoners in Russia"
address = "{campaign}"
language = "en"

[imap]
host = "127.0.0.1"
port = {imap_port}
security = "plain"
username = "campaign"
password = "demo-password"

[smtp]
host = "127.0.0.1"
port = {smtp_port}
security = "plain"

[database]
url = "sqlite:///mailbot.db"

[export]
directory = "lists"
"""


def sample_mails() -> list[bytes]:
    inbox = resources.files("mailbot") / "demo_inbox"
    return [f.read_bytes() for f in sorted(inbox.iterdir(), key=lambda f: f.name)
            if f.name.endswith(".eml")]


def run_demo(directory: Path) -> int:
    directory = directory.resolve()
    for stale in ("mailbot.db", "mailbot.db-wal", "mailbot.db-shm", "lists", "sent"):
        path = directory / stale
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
    directory.mkdir(parents=True, exist_ok=True)
    mails = sample_mails()
    with PymapServer() as imap, SmtpSink(directory / "sent") as smtp:
        config_path = directory / "config.toml"
        config_path.write_text(_CONFIG.format(campaign=CAMPAIGN, imap_port=imap.port,
                                              smtp_port=smtp.port), encoding="utf-8")
        config_path.chmod(0o600)
        cfg = load_config(config_path)
        with ImapSource(cfg.imap) as source:
            for data in mails:
                source.append(data)
        print(f"IMAP server (pymap) on 127.0.0.1:{imap.port}: {len(mails)} sample replies in INBOX")
        print(f"SMTP server (aiosmtpd) on 127.0.0.1:{smtp.port}")
        rt = Runtime.open(cfg)
        stats = poll(rt)
        print(f"poll: {stats.summary()}")
        again = poll(rt)
        print(f"second poll: {again.summary()}")
    print()
    print(f"published lists:      {cfg.export.directory}/")
    for name in sorted(p.name for p in cfg.export.directory.iterdir()):
        print(f"                      {name}")
    print(f"confirmations sent:   {directory / 'sent'}/ ({len(smtp.messages)} mails)")
    print(f"database:             {directory / 'mailbot.db'}")
    print()
    print("Next, with the same database (the demo servers have stopped):")
    for command, what in (("review", "decide on the pending entries, one by one, in the terminal"),
                          ("serve", "the same in the browser (prints the address and a login)"),
                          ("digest --print", "the daily mail the campaign staff receive"),
                          ("export --format txt", "the published list")):
        print(f"  mailbot --config {config_path} {command:<20} # {what}")
    return 0
