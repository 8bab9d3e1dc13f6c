"""Opening an inbox: refuse what is not one, create it safely, and bring its schema up to date."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from peewee import SqliteDatabase

from leadbox_tui.store.models import database_proxy

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
HISTORY_TABLE = "schema_migration"
SQLITE_MAGIC = b"SQLite format 3\x00"
PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": 5000,
    "synchronous": 1,  # NORMAL: safe with WAL, and much faster than FULL
    "cache_size": -16_000,  # 16 MB per connection
}


class DatabaseError(Exception):
    """The inbox cannot be opened; the message says why in one line."""


def _sqlite_path(location: str) -> Path:
    if location.startswith("sqlite:///"):
        return Path(location.removeprefix("sqlite:///"))
    if "://" in location:
        scheme = location.split("://", 1)[0]
        raise DatabaseError(f"{scheme}:// databases are not supported yet; give a SQLite file path")
    return Path(location).expanduser()


def _known_steps() -> set[str]:
    return {p.stem for p in MIGRATIONS_DIR.glob("[0-9]*.py")}


def _check_existing(path: Path) -> bool:
    """Refuse a file that is not a Leadbox inbox, without writing a byte to it; says whether
    schema steps are pending."""
    if path.is_dir():
        raise DatabaseError(f"{path} is a directory, not a Leadbox database")
    with path.open("rb") as handle:
        header = handle.read(len(SQLITE_MAGIC))
    if not header:
        return True  # an empty file: a new inbox
    if header != SQLITE_MAGIC:
        raise DatabaseError(f"{path} is not a Leadbox database (not a SQLite file)")
    try:
        with sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True) as conn:
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
            if not tables:
                return True
            if HISTORY_TABLE not in tables or "lead" not in tables:
                raise DatabaseError(f"{path} is a SQLite database but not a Leadbox inbox")
            applied = {row[0] for row in conn.execute(f"SELECT name FROM {HISTORY_TABLE}")}
    except sqlite3.DatabaseError as error:
        raise DatabaseError(f"{path} cannot be read as a database: {error}") from error
    known = _known_steps()
    if unknown := sorted(applied - known):
        raise DatabaseError(
            f"{path} was written by a newer Leadbox (schema step {unknown[-1]}); upgrade Leadbox"
        )
    return bool(known - applied)


def _create_private_file(path: Path) -> None:
    """A new inbox is readable by its owner only: it holds other people's contact details."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)


def migrate(db: SqliteDatabase) -> list[str]:
    """Apply every pending schema step in order; returns the names applied."""
    from playhouse.migrations import Runner  # only when a step is pending: not at each start

    return Runner(db, directory=str(MIGRATIONS_DIR), table_name=HISTORY_TABLE).up()


def open_database(location: str) -> SqliteDatabase:
    """Open (or create) the inbox at ``location`` and bind the models to it."""
    path = _sqlite_path(location)
    pending = True
    if path.exists():
        pending = _check_existing(path)
    else:
        try:
            _create_private_file(path)
        except OSError as error:
            raise DatabaseError(f"cannot create {path}: {error.strerror}") from error
    db = SqliteDatabase(str(path), pragmas=PRAGMAS)
    try:
        db.connect(reuse_if_open=True)
        if pending:
            migrate(db)
    except Exception as error:  # a locked, read-only or corrupt file
        db.close()
        raise DatabaseError(f"cannot open {path}: {error}") from error
    database_proxy.initialize(db)
    return db


def close_database() -> None:
    """Close this thread's connection, checkpointing the WAL when it is the last one."""
    db = database_proxy.obj
    if db is not None and not db.is_closed():
        db.close()
