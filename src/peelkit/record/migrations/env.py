"""Alembic environment: migrations run on the connection peelkit hands over."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from peelkit.record.schema import Base
from peelkit.record.search import include_in_schema_comparison

config = context.config
target_metadata = Base.metadata


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=True,
            include_name=include_in_schema_comparison,
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite://")
    with engine.begin() as conn:
        context.configure(
            connection=conn,
            target_metadata=target_metadata,
            render_as_batch=True,
            include_name=include_in_schema_comparison,
        )
        with context.begin_transaction():
            context.run_migrations()


run()
