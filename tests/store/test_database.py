"""Opening inboxes: new ones private and tuned, foreign files refused, old ones upgraded."""

from __future__ import annotations

import hashlib
import sqlite3
import stat
from pathlib import Path

import pytest
from peewee import SqliteDatabase
from playhouse.migrations import Runner

from leadbox_tui.store.database import (
    HISTORY_TABLE,
    MIGRATIONS_DIR,
    DatabaseError,
    close_database,
    open_database,
)
from leadbox_tui.store.models import Lead, Person


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_new_inbox_is_created_private_with_its_parent_folder(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "folder" / "inbox.db"
    db = open_database(str(path))
    try:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
        assert db.execute_sql("PRAGMA busy_timeout").fetchone()[0] == 5000
        assert db.execute_sql("PRAGMA synchronous").fetchone()[0] == 1
    finally:
        close_database()


def test_a_text_file_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("my shopping list\n")
    before = digest(path)
    with pytest.raises(DatabaseError, match="not a Leadbox database"):
        open_database(str(path))
    assert digest(path) == before
    assert not path.with_name("notes.txt-wal").exists()


def test_another_applications_sqlite_file_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
        conn.execute("INSERT INTO invoices (total) VALUES (12.5)")
    conn.close()
    before = digest(path)
    with pytest.raises(DatabaseError, match="not a Leadbox inbox"):
        open_database(str(path))
    assert digest(path) == before


def test_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="directory"):
        open_database(str(tmp_path))


def test_an_inbox_from_a_newer_leadbox_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "inbox.db"
    open_database(str(path))
    close_database()
    with sqlite3.connect(path) as conn:
        conn.execute(
            f"INSERT INTO {HISTORY_TABLE} (name, applied) VALUES ('9999_future', '2030-01-01')"
        )
    conn.close()
    with pytest.raises(DatabaseError, match="newer Leadbox"):
        open_database(str(path))


def test_unsupported_database_urls_are_refused_with_a_clear_message(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="not supported"):
        open_database("postgresql://localhost/leads")


def test_an_inbox_written_by_the_first_schema_upgrades_without_losing_a_row(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old = SqliteDatabase(str(path))
    Runner(old, directory=str(MIGRATIONS_DIR), table_name=HISTORY_TABLE).up("0001_initial")
    with old.atomic():
        for i in range(500):
            old.execute_sql(
                "INSERT INTO person (created_at, updated_at, name, name_key) VALUES (?, ?, ?, ?)",
                ("2024-01-01 10:00:00", "2024-01-01 10:00:00", f"Person {i}", f"person {i}"),
            )
            old.execute_sql(
                "INSERT INTO lead (created_at, updated_at, title, person_id, source, score_mode,"
                " visible_to, was_seen, label_names) VALUES (?, ?, ?, ?, 'Import', 'auto',"
                " 'everyone', 0, '')",
                ("2024-01-01 10:00:00", "2024-01-01 10:00:00", f"Lead {i}", i + 1),
            )
    old.close()
    assert "lead_inbox_title" not in {
        r[0] for r in sqlite3.connect(path).execute("SELECT name FROM sqlite_master")
    }

    open_database(str(path))
    try:
        assert Lead.select().count() == 500
        assert Person.select().count() == 500
        assert Lead.get(Lead.title == "Lead 499").person.name == "Person 499"
        indexes = {r[0] for r in Lead._meta.database.execute_sql("SELECT name FROM sqlite_master")}
        assert {"lead_inbox_title", "lead_inbox_owner"} <= indexes
        applied = {
            r[0] for r in Lead._meta.database.execute_sql(f"SELECT name FROM {HISTORY_TABLE}")
        }
        assert applied == {p.stem for p in MIGRATIONS_DIR.glob("[0-9]*.py")}
    finally:
        close_database()


def test_the_models_match_the_schema_the_migrations_build(tmp_path: Path) -> None:
    """A model changed without a migration step would break every existing inbox."""
    from playhouse.reflection import Introspector

    from leadbox_tui.store.models import ALL_MODELS

    db = open_database(str(tmp_path / "inbox.db"))
    try:
        tables = Introspector.from_database(db).introspect()
        for model in ALL_MODELS:
            table = model._meta.table_name
            columns = set(tables.columns[table])
            fields = {f.column_name for f in model._meta.sorted_fields}
            assert fields == columns, f"{table}: models {fields ^ columns} differ from the schema"
    finally:
        close_database()
