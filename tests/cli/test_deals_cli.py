"""``leadbox convert`` and ``leadbox deals`` as a user runs them: a real process on a real file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from leadbox_tui.services import pipelines
from leadbox_tui.services.deals import mark_lost
from leadbox_tui.services.leads import NewLead, create_lead
from leadbox_tui.services.users import add_user
from tests.cli.test_inbox_cli import leadbox
from tests.services.deal_helpers import new_deals


def deals_json(db: Path, *args: str) -> list[dict]:
    result = leadbox("deals", "--json", *args, db=db)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def leads_json(db: Path) -> list[dict]:
    return json.loads(leadbox("list", "--json", db=db).stdout)


def test_convert_puts_the_leads_in_the_pipeline_stage_and_owner_asked(inbox_path: Path) -> None:
    add_user("Ana Souza")
    first = create_lead(NewLead(organization="Initech", value="1200", currency="EUR"))
    second = create_lead(NewLead(person="Zoé Martin", labels=["Hot"]))
    result = leadbox(
        "convert",
        str(first),
        str(second),
        "--stage",
        "contact made",
        "--owner",
        "ana souza",
        db=inbox_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [f"lead {first} -> deal 1", f"lead {second} -> deal 2"]
    assert "2 leads converted to deals in Pipeline / Contact made" in result.stderr
    listed = deals_json(inbox_path, "--sort", "title")
    assert [(d["title"], d["stage"], d["owner"]) for d in listed] == [
        ("Initech lead", "Contact made", "Ana Souza"),
        ("Zoé Martin lead", "Contact made", "Ana Souza"),
    ]
    assert (listed[0]["value"], listed[0]["currency"]) == ("1200.00", "EUR")
    assert listed[1]["labels"] == ["Hot"]
    assert leads_json(inbox_path) == []


def test_deals_go_back_to_leads_and_are_restored(inbox_path: Path) -> None:
    won, back = new_deals("Initech", "Globex")
    assert (
        leadbox("deals", "to-lead", str(back), db=inbox_path).stdout == f"deal {back} -> lead 3\n"
    )
    [lead] = leads_json(inbox_path)
    assert (lead["id"], lead["title"], lead["source"]) == (3, "Globex lead", "Deal")
    assert [d["id"] for d in deals_json(inbox_path)] == [won]
    assert [d["id"] for d in deals_json(inbox_path, "--status", "deleted")] == [back]
    restored = leadbox("deals", "restore", str(back), db=inbox_path)
    assert restored.returncode == 0, restored.stderr
    assert restored.stdout == f"restored deal {back}\n"
    assert sorted(d["id"] for d in deals_json(inbox_path)) == [won, back]
    assert [x["title"] for x in leads_json(inbox_path)] == ["Globex lead"]  # the lead stays


def test_deals_filters_by_status(inbox_path: Path) -> None:
    kept, lost = new_deals("Initech", "Globex")
    mark_lost([lost], "No budget")
    assert [d["id"] for d in deals_json(inbox_path, "--status", "open")] == [kept]
    [row] = deals_json(inbox_path, "--status", "lost")
    assert (row["id"], row["lost_reason"]) == (lost, "No budget")
    table = leadbox("deals", db=inbox_path, env={"COLUMNS": "200"})
    assert "Initech lead" in table.stdout and "Globex lead" in table.stdout
    assert "2 deals" in table.stdout


def test_more_than_100_deals_are_refused_with_a_clear_message(inbox_path: Path) -> None:
    deal_ids = new_deals(*(f"Company {i}" for i in range(101)))
    result = leadbox("deals", "to-lead", *map(str, deal_ids), db=inbox_path)
    assert result.returncode == 2
    assert result.stderr == (
        "leadbox: 101 deals selected: at most 100 convert at once; select fewer\n"
    )
    assert leads_json(inbox_path) == []


def test_the_filtered_deals_go_back_to_leads_without_ids(inbox_path: Path) -> None:
    stages = pipelines.default_pipeline().stages
    lost_here, open_here = new_deals("Initech", "Globex", stage_id=stages[1].id)
    [lost_elsewhere] = new_deals("Hooli", stage_id=stages[0].id)
    mark_lost([lost_here, lost_elsewhere], "No budget")
    result = leadbox(
        "deals", "to-lead", "--status", "lost", "--stage", "contact made", db=inbox_path
    )
    assert result.returncode == 0, result.stderr
    [line] = result.stdout.splitlines()
    assert line.startswith(f"deal {lost_here} -> lead ")
    assert "1 deal converted back to leads" in result.stderr
    assert [x["title"] for x in leads_json(inbox_path)] == ["Initech lead"]
    assert sorted(d["id"] for d in deals_json(inbox_path)) == [open_here, lost_elsewhere]


def test_a_filter_matching_more_than_100_deals_is_refused(inbox_path: Path) -> None:
    new_deals(*(f"Company {i}" for i in range(101)))
    result = leadbox("deals", "to-lead", "--status", "open", db=inbox_path)
    assert result.returncode == 2
    assert result.stderr.startswith("leadbox: 101 deals match the filter: at most 100 convert")
    assert len(result.stderr.splitlines()) == 1
    assert leads_json(inbox_path) == []
    assert len(deals_json(inbox_path)) == 101


def test_leads_convert_to_contacts_and_leave_the_inbox(inbox_path: Path) -> None:
    person = create_lead(NewLead(person="Zoé Martin"))
    both = create_lead(NewLead(person="Ana Souza", organization="Initech"))
    waiting = create_lead(NewLead(organization="Globex"))
    result = leadbox("convert", "--to-contact", str(person), str(both), db=inbox_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"lead {person} -> person 1",
        f"lead {both} -> person 2, organisation 1",
    ]
    assert "2 leads converted to contacts" in result.stderr
    assert [x["id"] for x in leads_json(inbox_path)] == [waiting]
    assert deals_json(inbox_path) == []  # no deal made


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("convert", "1"), "lead 1 (Initech lead) was already converted"),
        (("convert", "99"), "there is no lead 99"),
        (("convert", "2", "--pipeline", "Sales"), "no pipeline named 'Sales'; one of: Pipeline"),
        (("convert", "2", "--stage", "Won"), "no stage in Pipeline named 'Won'"),
        (("convert", "2", "--owner", "Nobody"), "no user named 'Nobody'"),
        (("convert", "two"), "invalid int value"),
        (("deals", "--status", "pending"), "invalid choice"),
        (("deals", "restore", "1"), "deal 1 is not deleted"),
        (("deals", "to-lead", "42"), "there is no deal 42"),
        (("deals", "to-lead"), "which deals? give their ids, or filter options"),
        (("deals", "to-lead", "1", "--status", "open"), "give deal ids or filter options"),
        (("deals", "to-lead", "--status", "won"), "no deal matches the filter"),
        (("deals", "to-lead", "--status", "deleted"), "no deal matches the filter"),
        (("deals", "to-lead", "--stage", "Won"), "no stage named 'Won' in any pipeline"),
        (("deals", "to-lead", "--owner", "Nobody"), "no user named 'Nobody'"),
        (("convert", "--to-contact", "1"), "lead 1 (Initech lead) was already converted"),
        (("convert", "--to-contact", "2", "--stage", "Won"), "takes no --pipeline, --stage"),
    ],
)
def test_bad_input_is_one_line_on_stderr_exit_2_and_nothing_written(
    inbox_path: Path, args: tuple[str, ...], message: str
) -> None:
    new_deals("Initech")
    waiting = create_lead(NewLead(organization="Globex"))
    result = leadbox(*args, db=inbox_path)
    assert result.returncode == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert [d["title"] for d in deals_json(inbox_path)] == ["Initech lead"]
    assert [x["id"] for x in leads_json(inbox_path)] == [waiting]
