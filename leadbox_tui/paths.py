"""Where Leadbox keeps its files, by the platform's conventions (platformdirs)."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path

APP_NAME = "leadbox"
DB_ENV = "LEADBOX_DB"


def default_database_path() -> Path:
    """The inbox a user gets with no ``--db`` and no ``LEADBOX_DB``."""
    return user_data_path(APP_NAME, appauthor=False) / "leadbox.db"


def resolve_database(explicit: str | None) -> str:
    """``--db`` wins, then ``LEADBOX_DB``, then the user data directory."""
    return explicit or os.environ.get(DB_ENV) or str(default_database_path())
