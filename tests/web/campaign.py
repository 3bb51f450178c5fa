"""A campaign on disk for review tests: a config, a real SQLite file, the sample replies imported."""

from __future__ import annotations

from pathlib import Path

from mailbot.config import load_config
from mailbot.pipeline import IncomingMail, Runtime, import_mails
from tests.servers import SAMPLES

PASSWORD = "correct horse battery"


def write_campaign_config(directory: Path, extra: str = "") -> Path:
    """A config whose mail servers are never contacted (review and serve need none)."""
    path = directory / "config.toml"
    path.write_text('[campaign]\nname = "Appeal"\naddress = "appeal@campaign.example"\n'
                    '[imap]\nhost = "127.0.0.1"\nport = 1\nsecurity = "plain"\nusername = "x"\n'
                    'password = "x"\n[smtp]\nhost = "127.0.0.1"\nport = 1\nsecurity = "plain"\n'
                    + extra, encoding="utf-8")
    path.chmod(0o600)
    return path


def campaign_runtime(directory: Path, extra: str = "") -> Runtime:
    """The 39 sample replies imported without confirmations: some approved, some pending."""
    rt = Runtime.open(load_config(write_campaign_config(directory, extra), environ={}))
    mails = [IncomingMail(f.read_bytes(), "import") for f in sorted(SAMPLES.glob("*.eml"))]
    import_mails(rt, mails, confirm=False)
    return rt
