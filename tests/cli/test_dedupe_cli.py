"""``leadbox dedupe`` and ``leadbox merge`` as a user runs them: a real process on a real file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def leadbox(*args: str, db: Path):
    environment = {k: v for k, v in os.environ.items() if k != "LEADBOX_DB"}
    environment["LEADBOX_PHONE_REGION"] = "FR"
    return subprocess.run(
        [sys.executable, "-m", "leadbox_tui", *args, "--db", str(db)],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
    )


def add(db: Path, *args: str) -> int:
    added = leadbox("add", *args, db=db)
    assert added.returncode == 0, added.stderr
    return int(added.stdout)


@pytest.fixture
def inbox(tmp_path: Path) -> tuple[Path, int, int]:
    """Two leads of one person typed twice with a slip (so ``add`` made two people), another."""
    db = tmp_path / "inbox.db"
    first = add(db, "--person", "Jean Dupont", "--org", "Acme", "--title", "Website")
    second = add(db, "--person", "Jean Dupnot", "--org", "ACME SA", "--title", "Website",
                 "--value", "5000", "--currency", "EUR", "--label", "Hot")  # fmt: skip
    add(db, "--person", "Zoé Martin", "--org", "Initech")
    return db, first, second


def test_dedupe_prints_the_groups_with_their_reasons(inbox: tuple[Path, int, int]) -> None:
    db, first, second = inbox
    result = leadbox("dedupe", db=db)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("lead  ") and "same organisation" in lines[0]
    assert f"{first}  Website  (Jean Dupont)" in lines[1]
    assert f"{second}  Website  (Jean Dupnot)" in lines[2]
    assert any(line.startswith("person  ") for line in lines)
    assert lines[-1] == "2 groups of likely duplicates"


def test_dedupe_json_gives_kind_score_reasons_and_members(inbox: tuple[Path, int, int]) -> None:
    db, first, second = inbox
    result = leadbox("dedupe", "--json", db=db)
    assert result.returncode == 0, result.stderr
    groups = json.loads(result.stdout)
    assert [g["kind"] for g in groups] == ["lead", "person"]
    lead = groups[0]
    assert lead["score"] >= 85 and lead["reasons"][:2] == ["name 90%", "same organisation"]
    assert lead["members"] == [
        {"id": first, "name": "Jean Dupont", "title": "Website"},
        {"id": second, "name": "Jean Dupnot", "title": "Website"},
    ]
    assert set(groups[1]["members"][0]) == {"id", "name"}


def test_dedupe_threshold_and_kind(inbox: tuple[Path, int, int]) -> None:
    db, _, _ = inbox
    loose = json.loads(leadbox("dedupe", "--json", "--threshold", "0", db=db).stdout)
    assert len(loose) > 2  # Zoé Martin's lead looks like the others a little
    strict = json.loads(leadbox("dedupe", "--json", "--threshold", "100", db=db).stdout)
    assert strict and all(g["score"] == 100 for g in strict)
    people = leadbox("dedupe", "--json", "--kind", "person", db=db)
    assert [g["kind"] for g in json.loads(people.stdout)] == ["person"]


def test_dedupe_refuses_a_threshold_beyond_100(inbox: tuple[Path, int, int]) -> None:
    result = leadbox("dedupe", "--threshold", "140", db=inbox[0])
    assert result.returncode == 2
    assert result.stderr.strip() == "leadbox: --threshold 140: give a score from 0 to 100"


def test_merge_takes_the_chosen_fields_and_undo_takes_it_back(
    inbox: tuple[Path, int, int],
) -> None:
    db, first, second = inbox
    merged = leadbox("merge", str(first), str(second), "--take", "value=other", db=db)
    assert merged.returncode == 0, merged.stderr
    assert merged.stdout.splitlines()[0] == (
        f"merged lead {second} into lead {first}; took value from lead {second}"
    )
    listed = {x["id"]: x for x in json.loads(leadbox("list", "--json", db=db).stdout)}
    assert second not in listed  # merged leads leave the inbox
    assert listed[first]["value"] == "5000.00" and listed[first]["labels"] == ["Hot"]
    assert listed[first]["person"]["name"] == "Jean Dupont"  # the survivor's, by default
    undone = leadbox("undo", db=db)
    assert undone.returncode == 0, undone.stderr
    listed = {x["id"]: x for x in json.loads(leadbox("list", "--json", db=db).stdout)}
    assert second in listed and listed[first]["value"] is None


def test_merge_dry_run_changes_nothing(inbox: tuple[Path, int, int]) -> None:
    db, first, second = inbox
    before = leadbox("list", "--json", db=db).stdout
    preview = leadbox("merge", str(first), str(second), "--dry-run", db=db)
    assert preview.returncode == 0, preview.stderr
    assert "Value  5,000.00 EUR" in preview.stdout
    assert "nothing was changed" in preview.stdout
    assert leadbox("list", "--json", db=db).stdout == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("1", "99"), "leadbox: no lead with id 99"),
        (("1", "1"), "leadbox: cannot merge lead 1 with itself"),
        (("1", "2", "--take", "colour=other"), "leadbox: no field 'colour' to merge; one of: "),
        (("1", "2", "--take", "title=left"), "leadbox: take title='left': the side is"),
        (("1", "2", "--take", "title"), "leadbox: --take 'title': write FIELD=other"),
        (("1", "two"), "leadbox merge: argument OTHER_ID: invalid int value: 'two'"),
    ],
)
def test_merge_refuses_bad_ids_and_fields_in_one_line(
    inbox: tuple[Path, int, int], args: tuple[str, ...], message: str
) -> None:
    db = inbox[0]
    before = leadbox("list", "--json", db=db).stdout
    result = leadbox("merge", *args, db=db)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith(message)
    assert leadbox("list", "--json", db=db).stdout == before
