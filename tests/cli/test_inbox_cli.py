"""``leadbox list``, ``add`` and ``--version`` as a user runs them: a process on a real file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from leadbox_tui import __version__


def leadbox(*args: str, db: Path | None = None, env: dict[str, str] | None = None):
    environment = {k: v for k, v in os.environ.items() if k != "LEADBOX_DB"}
    environment.update({"LEADBOX_PHONE_REGION": "FR", **(env or {})})
    if db is not None:
        args = (*args, "--db", str(db))
    return subprocess.run(
        [sys.executable, "-m", "leadbox_tui", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
    )


def test_version() -> None:
    result = leadbox("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"leadbox {__version__}"


def test_add_then_list_as_json_gives_every_field_with_contacts(tmp_path: Path) -> None:
    db = tmp_path / "inbox.db"
    added = leadbox(
        "add",
        "--person",
        "Zoë Ñúñez",
        "--org",
        "Initech GmbH",
        "--email",
        "zoe@initech.de",
        "--phone",
        "+49 30 1234567",
        "--value",
        "1200.50",
        "--currency",
        "EUR",
        "--label",
        "Hot",
        "--label",
        "Warm",
        "--source",
        "Web forms",
        "--close",
        "2026-12-31",
        db=db,
    )
    assert added.returncode == 0, added.stderr
    lead_id = int(added.stdout)
    listed = leadbox("list", "--json", db=db)
    assert listed.returncode == 0, listed.stderr
    [lead] = json.loads(listed.stdout)
    assert lead["id"] == lead_id
    assert lead["title"] == "Initech GmbH lead"
    assert lead["value"] == "1200.50" and lead["currency"] == "EUR"
    assert lead["expected_close"] == "2026-12-31"
    assert lead["labels"] == ["Hot", "Warm"]
    assert lead["source"] == "Web forms"
    assert lead["person"] == {
        "id": 1,
        "name": "Zoë Ñúñez",
        "emails": ["zoe@initech.de"],
        "phones": ["+49 30 1234567"],
    }
    assert lead["organization"]["name"] == "Initech GmbH"


def test_list_sorts_limits_and_shows_the_archived_view(tmp_path: Path) -> None:
    db = tmp_path / "inbox.db"
    for name in ("Bravo", "Alpha", "Charlie"):
        assert leadbox("add", "--org", name, db=db).returncode == 0

    def titles(*args: str) -> list[str]:
        return [x["title"] for x in json.loads(leadbox("list", "--json", *args, db=db).stdout)]

    assert titles("--sort", "title") == ["Alpha lead", "Bravo lead", "Charlie lead"]
    assert titles("--sort", "title", "--desc", "--limit", "2") == ["Charlie lead", "Bravo lead"]
    assert titles("--archived") == []


def test_the_readable_table_shows_user_text_literally(tmp_path: Path) -> None:
    db = tmp_path / "inbox.db"
    assert leadbox("add", "--org", "[bold red]boom[/]", db=db).returncode == 0
    result = leadbox("list", db=db, env={"COLUMNS": "200"})
    assert "[bold red]boom[/] lead" in result.stdout
    assert "1 lead" in result.stdout


def test_the_database_can_be_named_by_the_environment(tmp_path: Path) -> None:
    db = tmp_path / "env.db"
    assert leadbox("add", "--org", "Env", env={"LEADBOX_DB": str(db)}).returncode == 0
    assert db.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("add", "--title", "nobody"), "needs a person or an organisation"),
        (("add", "--org", "X", "--currency", "euros", "--value", "3"), "not a currency code"),
        (("add", "--org", "X", "--close", "31/12/2026"), "not a date"),
        (("add", "--org", "X", "--source", "Fax"), "invalid choice"),
        (("list", "--sort", "colour"), "invalid choice"),
        (("list", "--limit", "-3"), "--limit"),
        (("frobnicate",), "invalid choice"),
    ],
)
def test_bad_input_is_one_line_on_stderr_exit_2_and_nothing_written(
    tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    db = tmp_path / "inbox.db"
    result = leadbox(*args, db=db)
    assert result.returncode == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    if db.exists():
        assert json.loads(leadbox("list", "--json", db=db).stdout) == []


def test_a_file_that_is_not_an_inbox_is_refused_untouched(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database")
    result = leadbox("list", db=notes)
    assert result.returncode == 2
    assert "not a Leadbox database" in result.stderr
    assert notes.read_text() == "not a database"


def test_with_no_db_the_inbox_lives_in_the_user_data_directory(tmp_path: Path) -> None:
    data_home = tmp_path / "data"
    result = leadbox("add", "--org", "Default", env={"XDG_DATA_HOME": str(data_home)})
    assert result.returncode == 0, result.stderr
    assert (data_home / "leadbox" / "leadbox.db").exists()
