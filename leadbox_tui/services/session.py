"""Opening an inbox for use: the database, its defaults, and the models undo can reach."""

from __future__ import annotations

from peewee import SqliteDatabase

from leadbox_tui.services import history
from leadbox_tui.services.labels import ensure_default_labels
from leadbox_tui.services.users import ensure_me
from leadbox_tui.store.database import DatabaseError, close_database, open_database
from leadbox_tui.store.models import ALL_MODELS, Pipeline, Stage, database_proxy

__all__ = ["DatabaseError", "close_database", "open_inbox"]

DEFAULT_STAGES = ("Qualified", "Contact made", "Proposal made", "Negotiations started")

history.register(*ALL_MODELS)


def ensure_default_pipeline() -> None:
    if not Pipeline.select().exists():
        pipeline = Pipeline.create(name="Pipeline", position=0)
        Stage.insert_many(
            [
                {"pipeline": pipeline.id, "name": n, "position": i}
                for i, n in enumerate(DEFAULT_STAGES)
            ]
        ).execute()


def open_inbox(location: str) -> SqliteDatabase:
    """Open the inbox at ``location`` (a path or ``sqlite:///`` URL) with its defaults in place."""
    db = open_database(location)
    with database_proxy.atomic():
        ensure_me()
        ensure_default_labels()
        ensure_default_pipeline()
    return db
