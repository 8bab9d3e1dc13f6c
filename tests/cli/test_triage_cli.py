"""The triage commands as a user runs them: a real process on a real inbox file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from leadbox_tui.services import leads
from leadbox_tui.services.conditions import condition
from leadbox_tui.services.filters import InboxFilter, save_filter
from leadbox_tui.services.leads import NewLead
from leadbox_tui.services.session import close_database, open_inbox


def leadbox(db: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != "LEADBOX_DB"}
    environment["LEADBOX_PHONE_REGION"] = "FR"
    return subprocess.run(
        [sys.executable, "-m", "leadbox_tui", *args, "--db", str(db)],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
        input=stdin,
    )


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """An inbox with three leads and two saved filters, closed again for the commands."""
    path = tmp_path / "inbox.db"
    open_inbox(str(path))
    leads.create_lead(
        NewLead(
            person="José García", organization="Acme", source="API", value="5000", currency="EUR"
        )
    )
    leads.create_lead(NewLead(person="Anna Berg", source="API"))
    leads.create_lead(NewLead(person="Bo Li", source="Chatbot"))
    save_filter(
        "Big API", InboxFilter(sources=("API",), all_of=(condition("value", "greater", "1000"),))
    )
    save_filter("Chats", InboxFilter(sources=("Chatbot",)), favourite=True)
    close_database()
    return path


def test_a_saved_filter_is_used_by_list(db: Path) -> None:
    listed = leadbox(db, "list", "--filter", "big api", "--json")
    assert listed.returncode == 0, listed.stderr
    assert [r["person"]["name"] for r in json.loads(listed.stdout)] == ["José García"]


def test_filters_lists_favourites_first(db: Path) -> None:
    shown = leadbox(db, "filters")
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.index("Chats") < shown.stdout.index("Big API")
    assert "Source: API · All of: Value greater than 1000" in shown.stdout
    data = json.loads(leadbox(db, "filters", "--json").stdout)
    assert [(f["name"], f["favourite"]) for f in data] == [("Chats", True), ("Big API", False)]
    assert data[1]["filter"]["sources"] == ["API"]


def test_an_unknown_filter_is_one_line_and_status_2(db: Path) -> None:
    result = leadbox(db, "list", "--filter", "Nope")
    assert result.returncode == 2
    assert result.stderr == (
        "leadbox: no saved filter named 'Nope' (saved filters: Big API, Chats)\n"
    )


def test_search_finds_accented_names_from_plain_letters(db: Path) -> None:
    result = leadbox(db, "search", "jose garcia", "--json")
    assert result.returncode == 0, result.stderr
    assert [r["person"]["name"] for r in json.loads(result.stdout)] == ["José García"]
    assert "Anna Berg lead" in leadbox(db, "search", "berrg").stdout  # one typo away


def test_a_note_from_an_argument_or_stdin(db: Path) -> None:
    assert leadbox(db, "note", "1", "Called, no answer").returncode == 0
    piped = leadbox(db, "note", "1", "-", stdin="Line one\nLine two\n")
    assert piped.returncode == 0, piped.stderr
    open_inbox(str(db))
    try:
        from leadbox_tui.services.notes import notes_of

        assert [n.body for n in notes_of(1)] == ["Line one\nLine two", "Called, no answer"]
    finally:
        close_database()
    missing = leadbox(db, "note", "42", "hello")
    assert (missing.returncode, missing.stderr) == (2, "leadbox: no lead #42\n")


def test_archive_delete_trash_restore_and_undo(db: Path) -> None:
    assert leadbox(db, "archive", "1", "2").stdout == "Archived 2 leads (2 changed)\n"
    assert "Bo Li" in leadbox(db, "list").stdout and "Anna" not in leadbox(db, "list").stdout
    assert leadbox(db, "unarchive", "2").stdout == "Unarchived 1 lead (1 changed)\n"
    assert leadbox(db, "delete", "3").returncode == 0
    trashed = leadbox(db, "trash", "--json")
    assert [t["id"] for t in json.loads(trashed.stdout)] == [3]
    assert leadbox(db, "restore", "3").stdout == "Restored 1 lead (1 changed)\n"
    assert leadbox(db, "undo").stdout == "Undid: Restored 1 lead\n"
    assert "1 lead in the trash" in leadbox(db, "trash").stdout
    refused = leadbox(db, "archive", "1", "99")
    assert (refused.returncode, refused.stderr) == (2, "leadbox: no lead #99\n")


def test_schedule_an_activity(db: Path) -> None:
    done = leadbox(db, "schedule", "2", "call", "Intro", "--due", "tomorrow", "--time", "9:30")
    assert done.returncode == 0, done.stderr
    listed = json.loads(leadbox(db, "list", "--json").stdout)
    assert {r["id"]: r["activity"] for r in listed}[2] == "planned"
    wrong = leadbox(db, "schedule", "2", "call", "--due", "someday")
    assert wrong.returncode == 2 and "not a date like 2026-12-31" in wrong.stderr
