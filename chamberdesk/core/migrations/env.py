"""Alembic environment: runs on the connection handed in by `db.run_migrations`."""

from alembic import context
from sqlmodel import SQLModel

from chamberdesk.core import models  # noqa: F401

target_metadata = SQLModel.metadata
connection = context.config.attributes.get("connection")
if connection is None:  # `alembic revision --autogenerate` from the command line
    from sqlalchemy import create_engine

    connection = create_engine(context.config.get_main_option("sqlalchemy.url")).connect()

context.configure(
    connection=connection,
    target_metadata=target_metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things: batch mode rebuilds the table
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
