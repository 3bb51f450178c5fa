"""Each `mailbot` command, run as a user would run it."""

from __future__ import annotations

import json
import mailbox
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from mailbot.adapters.store import Event, MailboxState, open_database
from mailbot.cli import main
from tests.servers import SAMPLES, cfg, imap_server, smtp_sink, write_config  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent.parent
JSON_KEYS = {"id", "first_name", "name", "country", "country_code", "presentation",
             "organization", "website", "status", "signed_at", "updated_at"}
TRUTH = json.loads((SAMPLES / "truth.json").read_text())


def offline_config(tmp_path: Path) -> Path:
    """A config whose servers are never contacted (import and export need none)."""
    path = tmp_path / "config.toml"
    path.write_text('[campaign]\nname = "Appeal"\naddress = "appeal@campaign.example"\n'
                    '[imap]\nhost = "127.0.0.1"\nport = 1\nsecurity = "plain"\nusername = "x"\n'
                    'password = "x"\n[smtp]\nhost = "127.0.0.1"\nport = 1\nsecurity = "plain"\n')
    path.chmod(0o600)
    return path


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def samples_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "mails"
    folder.mkdir()
    for f in sorted(SAMPLES.glob("*.eml")):
        shutil.copy(f, folder / f.name)
    return folder


def test_import_folder_then_export_json_with_emails(tmp_path, capsys):
    """`import FOLDER --no-confirm` then `export --format json --status all --include-email`."""
    config = offline_config(tmp_path)
    code, out, _ = run_cli(capsys, "--config", config, "import", samples_folder(tmp_path),
                           "--no-confirm")
    assert code == 0 and "fetched=39" in out and "sent=0" in out
    code, out, _ = run_cli(capsys, "--config", config, "export", "--format", "json", "--status",
                           "all", "--include-email")
    rows = json.loads(out)
    assert {r["email"] for r in rows} == set(TRUTH["signers"])
    assert all(set(r) == JSON_KEYS | {"email"} for r in rows)
    withdrawn = [r for r in rows if r["status"] == "withdrawn"]
    assert [r["email"] for r in withdrawn] == ["nancy.holmstrom@example.org"]

    code, out, _ = run_cli(capsys, "--config", config, "export", "--format", "json")
    public = json.loads(out)
    assert public and all(set(r) == JSON_KEYS and r["status"] == "approved" for r in public)

    target = tmp_path / "list.csv"
    run_cli(capsys, "--config", config, "export", "--format", "csv", "--output", target)
    assert target.read_text().startswith("id,first_name,name,country")
    # importing the same mail again changes nothing
    code, out, _ = run_cli(capsys, "--config", config, "import", tmp_path / "mails", "--no-confirm")
    assert "duplicates=39" in out


def test_import_mbox_and_maildir(tmp_path, capsys):
    """An mbox file and a Maildir are read like a folder of .eml files."""
    files = sorted(SAMPLES.glob("*.eml"))[:5]
    box = mailbox.mbox(tmp_path / "old.mbox")
    for f in files:
        box.add(f.read_bytes())
    box.close()
    maildir = mailbox.Maildir(tmp_path / "Maildir")
    for f in sorted(SAMPLES.glob("*.eml"))[5:8]:
        maildir.add(f.read_bytes())
    config = offline_config(tmp_path)
    code, out, _ = run_cli(capsys, "--config", config, "import", tmp_path / "old.mbox",
                           "--no-confirm")
    assert code == 0 and "fetched=5" in out and "duplicates=0" in out
    code, out, _ = run_cli(capsys, "--config", config, "import", tmp_path / "Maildir",
                           "--no-confirm")
    assert code == 0 and "fetched=3" in out


def test_pending_approve_reject(tmp_path, capsys):
    """An organizer lists pending entries, approves one and rejects another; both are audited."""
    config = offline_config(tmp_path)
    run_cli(capsys, "--config", config, "import", samples_folder(tmp_path), "--no-confirm")
    code, out, _ = run_cli(capsys, "--config", config, "pending")
    ids = [int(line.split()[0][1:]) for line in out.splitlines() if line.startswith("#")]
    assert code == 0 and len(ids) >= 2 and out.rstrip().endswith(f"{len(ids)} pending")
    code, out, _ = run_cli(capsys, "--config", config, "approve", ids[0], "--by", "Ana")
    assert code == 0 and out.strip() == f"1 approved #{ids[0]}"
    code, out, _ = run_cli(capsys, "--config", config, "reject", ids[1])
    assert out.strip() == f"1 rejected #{ids[1]}"
    code, out, _ = run_cli(capsys, "--config", config, "pending")
    assert f"#{ids[0]} " not in out and f"#{ids[1]} " not in out
    engine = open_database(f"sqlite:///{tmp_path / 'mailbot.db'}")
    with Session(engine) as s:
        actions = [(e.signature_id, e.actor, e.action) for e in s.scalars(select(Event))]
    assert (ids[0], "Ana", "approved") in actions and (ids[1], "organizer", "rejected") in actions
    code, _, err = run_cli(capsys, "--config", config, "approve", "99999")
    assert code == 2 and "no signature with id 99999" in err


def test_poll_and_status_commands(cfg, capsys):
    """`poll` prints a one-line summary; `status` shows the last poll and the counts."""
    from mailbot.adapters.imap_source import ImapSource

    with ImapSource(cfg.imap) as src:
        src.append((SAMPLES / "0003.eml").read_bytes())
    code, out, _ = run_cli(capsys, "--config", cfg.path, "poll")
    assert code == 0 and len(out.strip().splitlines()) == 1
    assert "fetched=1" in out and "signed=1" in out and "sent=1" in out
    code, out, _ = run_cli(capsys, "--config", cfg.path, "status")
    assert "last successful poll: 20" in out and "approved: 1" in out
    assert "backlog (stored, not processed): 0" in out


def test_bad_config_is_one_clear_line(tmp_path, capsys):
    """A broken config exits 2 with the file and key named, no traceback."""
    path = tmp_path / "config.toml"
    path.write_text('[campaign]\nname = "A"\naddress = "not-an-address"\n')
    code, _, err = run_cli(capsys, "--config", path, "poll")
    assert code == 2 and "[campaign] address: expected an email address" in err
    assert "Traceback" not in err


def test_run_polls_and_stops_on_sigterm(cfg, tmp_path):
    """The worker polls at start and exits cleanly on SIGTERM."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "mailbot.cli", "--config", str(cfg.path), "run"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        engine = open_database(cfg.database.url)
        deadline = time.monotonic() + 30
        polled = False
        while time.monotonic() < deadline and not polled:
            time.sleep(0.2)
            with Session(engine) as s:
                state = s.get(MailboxState, "INBOX")
                polled = bool(state and state.last_poll_at)
        assert polled, "the worker did not poll within 30 s"
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=20)
    finally:
        proc.kill()
    assert proc.returncode == 0, err
    assert b"stopping on SIGTERM" in err


def test_demo_runs_with_no_config(tmp_path):
    """`mailbot demo` needs nothing but itself and prints where the results are."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-m", "mailbot.cli", "demo", "--dir",
                           str(tmp_path / "demo")], env=env, capture_output=True, text=True,
                          timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "published lists:" in done.stdout and "confirmations sent:" in done.stdout
    assert (tmp_path / "demo" / "lists" / "signatories.html").exists()
    assert len(list((tmp_path / "demo" / "sent").glob("*.eml"))) > 20
