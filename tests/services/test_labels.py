"""Labels on leads and the list of labels: every change recorded, the sort key kept in step."""

from __future__ import annotations

from pathlib import Path

import pytest

from leadbox_tui.services import leads
from leadbox_tui.services.history import undo_last
from leadbox_tui.services.inbox import InboxQuery, InboxSort
from leadbox_tui.services.labels import (
    LabelError,
    create_label,
    delete_label,
    label_ids_of,
    list_labels,
    recolour_label,
    rename_label,
    resolve_labels,
    set_lead_labels,
    toggle_label,
)
from leadbox_tui.services.leads import NewLead
from leadbox_tui.store.models import Lead


@pytest.fixture
def labelled(inbox_path: Path) -> dict[str, int]:
    return {
        "both": leads.create_lead(NewLead(person="A", labels=["Hot", "Cold"])),
        "hot": leads.create_lead(NewLead(person="B", labels=["Hot"])),
        "none": leads.create_lead(NewLead(person="C")),
    }


def names(lead_id: int) -> str:
    return Lead[lead_id].label_names


def test_toggling_puts_a_label_on_and_takes_it_off(labelled: dict[str, int]) -> None:
    warm = resolve_labels(["Warm"])[0]
    assert toggle_label(labelled["none"], warm) is True
    assert names(labelled["none"]) == "Warm"
    assert toggle_label(labelled["none"], warm) is False
    assert names(labelled["none"]) == ""
    assert undo_last().description == "Removed label 'Warm' on 'C lead'"
    assert names(labelled["none"]) == "Warm"


def test_the_picker_sets_exactly_the_labels_chosen(labelled: dict[str, int]) -> None:
    hot, warm = resolve_labels(["Hot", "Warm"])
    assert set_lead_labels(labelled["both"], [warm, hot])
    assert names(labelled["both"]) == "Hot, Warm"
    assert not set_lead_labels(labelled["both"], [hot, warm])
    assert sorted(label_ids_of(labelled["both"])) == sorted([hot, warm])


def test_a_renamed_label_is_renamed_on_every_lead_and_undo_too(labelled: dict[str, int]) -> None:
    hot = resolve_labels(["Hot"])[0]
    rename_label(hot, "Ärger")
    assert names(labelled["both"]) == "Cold, Ärger"
    assert names(labelled["hot"]) == "Ärger"
    by_labels = InboxQuery(sort=InboxSort("labels", False)).ids(0, 10)
    assert by_labels == [labelled["both"], labelled["hot"], labelled["none"]]
    undo_last()
    assert names(labelled["both"]) == "Cold, Hot"
    assert [lb.name for lb in list_labels()] == ["Cold", "Hot", "Warm"]


def test_a_new_label_can_be_recoloured_and_deleted_and_each_undone(
    labelled: dict[str, int],
) -> None:
    vip = create_label("VIP", "green")
    toggle_label(labelled["hot"], vip)
    recolour_label(vip, "purple")
    assert {lb.name: lb.colour for lb in list_labels()}["VIP"] == "purple"
    assert delete_label(vip) == 1
    assert "VIP" not in [lb.name for lb in list_labels()]
    assert names(labelled["hot"]) == "Hot"
    assert undo_last().description == "Deleted label 'VIP'"
    assert names(labelled["hot"]) == "Hot, VIP"
    assert {lb.name: lb.colour for lb in list_labels()}["VIP"] == "purple"


def test_deleting_a_label_takes_it_off_every_lead(labelled: dict[str, int]) -> None:
    hot = resolve_labels(["Hot"])[0]
    assert delete_label(hot) == 2
    assert [names(i) for i in labelled.values()] == ["Cold", "", ""]
    with pytest.raises(ValueError, match="no label named 'hot'"):
        resolve_labels(["hot"])


def test_a_deleted_label_comes_back_with_its_name(labelled: dict[str, int]) -> None:
    hot = resolve_labels(["Hot"])[0]
    delete_label(hot)
    assert create_label("hot", "red") == hot  # the same label again, under the name typed
    assert [lb.name for lb in list_labels()] == ["Cold", "Warm", "hot"]
    rename_label(resolve_labels(["Cold"])[0], "Frozen")
    delete_label(resolve_labels(["Frozen"])[0])
    assert resolve_labels(["Frozen"], create=True)  # the importer's way brings it back too


def test_renaming_to_the_name_of_a_removed_label_frees_that_name(inbox_path: Path) -> None:
    old = create_label("Lost")
    delete_label(old)
    new = create_label("Found")
    rename_label(new, "Lost")
    assert [lb.name for lb in list_labels() if lb.id == new] == ["Lost"]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: create_label("hot"), "already named 'Hot'"),
        (lambda: create_label("  "), "needs a name"),
        (lambda: create_label("A, B"), "without commas"),
        (lambda: create_label("Teal", "teal"), "unknown colour 'teal'"),
        (lambda: rename_label(999, "X"), "no label #999"),
        (lambda: toggle_label(999, 1), "no lead #999"),
    ],
)
def test_wrong_label_changes_are_refused(labelled: dict[str, int], call, message: str) -> None:
    before = [(lb.name, lb.colour) for lb in list_labels()]
    with pytest.raises(LabelError, match=message):
        call()
    assert [(lb.name, lb.colour) for lb in list_labels()] == before
