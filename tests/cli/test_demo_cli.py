"""``leadbox demo`` as a user runs it: a real process filling a real file."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest


def leadbox(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != "LEADBOX_DB"}
    environment.update({"LEADBOX_PHONE_REGION": "FR", **(env or {})})
    return subprocess.run(
        [sys.executable, "-m", "leadbox_tui", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
    )


def count_leads(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM lead").fetchone()[0]


def test_demo_fills_a_new_inbox_and_says_what_it_wrote(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    result = leadbox("demo", "--leads", "1200", "--db", str(db), "--seed", "4")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # no progress line when stderr is not a terminal
    [line] = result.stdout.splitlines()
    assert line.startswith(f"{db}: 1,200 demo leads, 300 people and 75 organisations")
    assert count_leads(db) == 1200
    listed = leadbox("list", "--json", "--limit", "5", "--db", str(db))
    assert listed.returncode == 0, listed.stderr
    assert len(json.loads(listed.stdout)) == 5


def test_demo_takes_the_inbox_from_leadbox_db_too(tmp_path: Path) -> None:
    db = tmp_path / "from-env.db"
    result = leadbox("demo", "--leads", "50", env={"LEADBOX_DB": str(db)})
    assert result.returncode == 0, result.stderr
    assert count_leads(db) == 50


def test_demo_refuses_an_inbox_that_has_leads(tmp_path: Path) -> None:
    db = tmp_path / "inbox.db"
    assert leadbox("add", "--person", "Ada Lovelace", "--db", str(db)).returncode == 0
    result = leadbox("demo", "--leads", "100", "--db", str(db))
    assert result.returncode == 2
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert "already has leads" in line
    assert count_leads(db) == 1


@pytest.mark.parametrize("count", ["0", "-3", "abc", "1.5", ""])
def test_demo_refuses_a_count_that_is_not_a_positive_number(tmp_path: Path, count: str) -> None:
    db = tmp_path / "never.db"
    result = leadbox("demo", "--leads", count, "--db", str(db))
    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert "--leads" in line
    assert "Traceback" not in result.stderr
    assert not db.exists()


def test_demo_needs_to_be_told_which_inbox_to_fill(tmp_path: Path) -> None:
    result = leadbox("demo", "--leads", "10")
    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert "--db" in line


def test_demo_leaves_a_file_that_is_not_an_inbox_alone(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database\n")
    result = leadbox("demo", "--leads", "10", "--db", str(notes))
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1
    assert notes.read_text() == "not a database\n"
