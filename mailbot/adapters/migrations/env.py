"""Alembic environment: the engine comes from mailbot, never from an alembic.ini."""

from alembic import context

from mailbot.adapters.store import Base

engine = context.config.attributes["engine"]
with engine.begin() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata,
                      render_as_batch=True)  # SQLite needs batch mode to alter tables
    context.run_migrations()
