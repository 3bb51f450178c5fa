"""The Alembic revisions build exactly the schema the models describe, on SQLite and PostgreSQL."""

import os

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from mailbot.adapters.migrate import alembic_config
from mailbot.adapters.store import Base, open_database

URLS = ["sqlite"] + ([os.environ["MAILBOT_TEST_DATABASE_URL"]]
                     if os.environ.get("MAILBOT_TEST_DATABASE_URL") else [])


@pytest.fixture(params=URLS)
def engine(request, tmp_path):
    if request.param == "sqlite":
        yield open_database(f"sqlite:///{tmp_path / 'm.db'}")
        return
    from sqlalchemy import create_engine

    raw = create_engine(request.param)
    with raw.begin() as conn:  # start from an empty schema
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    yield open_database(request.param)


def test_migrations_match_models(engine):
    """After upgrading an empty database, autogenerate finds nothing left to do."""
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
    assert {"signature", "inbound_message", "event", "outbox", "mailbox_state"} <= set(
        inspect(engine).get_table_names())


def test_upgrade_is_idempotent(engine):
    """Opening an up-to-date database again changes nothing."""
    url = engine.url.render_as_string(hide_password=False)
    again = open_database(url)
    with again.connect() as conn:
        version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    assert version == ScriptDirectory.from_config(alembic_config(again)).get_current_head()
