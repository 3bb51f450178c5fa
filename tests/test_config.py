"""The config file: validated at load, every problem named with file, table and key."""

import dataclasses
import re
import typing
from pathlib import Path

import pytest

from mailbot.config import Config, load_config
from mailbot.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "config.example.toml"

MINIMAL = """
[campaign]
name = "Appeal"
address = "appeal@campaign.example"
[imap]
host = "127.0.0.1"
username = "campaign"
password = "secret"
[smtp]
host = "127.0.0.1"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_example_config_loads():
    """config.example.toml is a valid config once its password variables are set."""
    cfg = load_config(EXAMPLE, environ={"MAILBOT_IMAP_PASSWORD": "x", "MAILBOT_SMTP_PASSWORD": "y"})
    assert cfg.imap.password == "x" and cfg.smtp.password == "y"
    assert cfg.campaign.country_names == {"ES": "Spanish State"}
    assert cfg.schedule.poll_every == 300
    assert cfg.export.directory == EXAMPLE.parent / "lists"


def test_every_setting_is_documented_in_the_example():
    """Each field of each settings table appears as a key in config.example.toml."""
    text = EXAMPLE.read_text()
    skip = {"path", "password"}  # password is documented as password_env / password = "..."
    tables = typing.get_type_hints(Config)
    for table in dataclasses.fields(Config):
        if table.name in skip:
            continue
        assert f"[{table.name}]" in text, table.name
        for f in dataclasses.fields(tables[table.name]):
            if f.name not in skip:
                assert re.search(rf"^#?\s*{f.name}\s*=", text, re.M), f"[{table.name}] {f.name}"


def test_minimal_config_gets_defaults(tmp_path):
    """Only the required keys are needed; the rest have documented defaults."""
    cfg = load_config(write(tmp_path, MINIMAL), environ={})
    assert cfg.imap.folder == "INBOX" and cfg.imap.port == 993 and cfg.imap.security == "ssl"
    assert cfg.smtp.port == 587 and cfg.campaign.language == "en"
    assert cfg.database.url == f"sqlite:///{(tmp_path / 'mailbot.db').resolve()}"
    assert cfg.review.auto_approve is True


def test_unknown_key_names_file_table_key_and_fix(tmp_path):
    """A typo is reported with the file, the table, the key and the likely right key."""
    path = write(tmp_path, MINIMAL.replace('host = "127.0.0.1"\nusername', 'hots = "x"\nusername'))
    with pytest.raises(ConfigError) as err:
        load_config(path, environ={})
    text = str(err.value)
    assert str(path) in text and "[imap] hots: unknown key: did you mean 'host'?" in text
    assert "[imap] host: is required" in text


def test_wrong_type_and_value_are_reported_together(tmp_path):
    """Every problem in the file is listed at once, not one per run."""
    path = write(tmp_path, MINIMAL + 'port = "25a"\nsecurity = "tls"\n')
    with pytest.raises(ConfigError) as err:
        load_config(path, environ={})
    text = str(err.value)
    assert "[smtp] port: expected an integer, got '25a'" in text
    assert "[smtp] security: expected one of ssl, starttls, plain, got 'tls'" in text


def test_password_from_environment_is_never_printed(tmp_path):
    """password_env reads the secret from the environment; repr never shows it."""
    path = write(tmp_path, MINIMAL.replace('password = "secret"', 'password_env = "MB_PW"'))
    cfg = load_config(path, environ={"MB_PW": "hunter2"})
    assert cfg.imap.password == "hunter2"
    assert "hunter2" not in repr(cfg)


def test_missing_password_variable_says_what_to_do(tmp_path):
    """An unset password variable is named, with the fix."""
    path = write(tmp_path, MINIMAL.replace('password = "secret"', 'password_env = "MB_PW"'))
    with pytest.raises(ConfigError, match=r"\[imap\] password_env: environment variable MB_PW "
                                          r"is not set"):
        load_config(path, environ={})


def test_missing_file_and_bad_toml(tmp_path):
    """A missing or unparsable file is named with the way out."""
    with pytest.raises(ConfigError, match="copy config.example.toml"):
        load_config(tmp_path / "nope.toml", environ={})
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(write(tmp_path, "[campaign\nname="), environ={})


def test_unknown_table_is_reported(tmp_path):
    """A misspelt table name is an error with a suggestion."""
    with pytest.raises(ConfigError, match=r"unknown table \[exprot\]: did you mean \[export\]"):
        load_config(write(tmp_path, MINIMAL + "[exprot]\ndirectory='x'\n"), environ={})


def test_password_from_a_file_next_to_the_config(tmp_path, caplog):
    """password_file: the first line of a file of its own; a file others can read is warned about."""
    secret = tmp_path / "imap.pw"
    secret.write_text("s3cr3t pass\nignored\n", encoding="utf-8")
    secret.chmod(0o600)
    path = write(tmp_path, MINIMAL.replace('password = "secret"', 'password_file = "imap.pw"'))
    cfg = load_config(path, environ={})
    assert cfg.imap.password == "s3cr3t pass" and "s3cr3t" not in repr(cfg)
    assert "other users can read it" not in caplog.text
    secret.chmod(0o644)
    load_config(path, environ={})
    assert f"{secret} holds a password and other users can read it: chmod 600" in caplog.text


def test_missing_or_doubled_password_file_says_what_to_do(tmp_path):
    path = write(tmp_path, MINIMAL.replace('password = "secret"', 'password_file = "none.pw"'))
    with pytest.raises(ConfigError, match=r"\[imap\] password_file: cannot read .*none\.pw"):
        load_config(path, environ={})
    path = write(tmp_path, MINIMAL.replace('password = "secret"',
                                           'password = "x"\npassword_file = "none.pw"'))
    with pytest.raises(ConfigError, match=r"\[imap\] password: give one of password, password_env, "
                                          r"password_file, not password and password_file"):
        load_config(path, environ={})
