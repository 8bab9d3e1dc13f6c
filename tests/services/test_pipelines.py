"""Pipelines and stages: added, renamed, reordered and removed, each one undoable step."""

from __future__ import annotations

from pathlib import Path

import pytest

from leadbox_tui.services import pipelines
from leadbox_tui.services.deals import DealFilter, DealQuery, delete_deals, restore_deals
from leadbox_tui.services.history import undo_last
from leadbox_tui.services.pipelines import DealError
from leadbox_tui.store.models import Deal
from tests.services.deal_helpers import new_deals


def stage_names(pipeline_id: int | None = None) -> list[str]:
    pipeline = pipelines.get_pipeline(pipeline_id) if pipeline_id else pipelines.default_pipeline()
    return [s.name for s in pipeline.stages]


def stage_id(name: str, pipeline_id: int | None = None) -> int:
    pipeline = pipelines.get_pipeline(pipeline_id) if pipeline_id else pipelines.default_pipeline()
    return pipelines.find_stage(pipeline, name).id


def test_a_new_inbox_has_the_default_pipeline_with_its_four_stages(inbox_path: Path) -> None:
    [pipeline] = pipelines.list_pipelines()
    assert pipeline.name == "Pipeline"
    assert stage_names() == ["Qualified", "Contact made", "Proposal made", "Negotiations started"]


def test_stages_are_added_renamed_and_reordered(inbox_path: Path) -> None:
    pipeline_id = pipelines.default_pipeline().id
    won_id = pipelines.add_stage(pipeline_id, "Verbal yes")
    pipelines.add_stage(pipeline_id, "Discovery", position=1)
    pipelines.rename_stage(won_id, "Verbal agreement")
    pipelines.move_stage(won_id, 0)
    assert stage_names() == [
        "Verbal agreement",
        "Qualified",
        "Discovery",
        "Contact made",
        "Proposal made",
        "Negotiations started",
    ]
    assert [s.position for s in pipelines.default_pipeline().stages] == list(range(6))
    undo_last()
    assert stage_names()[-1] == "Verbal agreement"


def test_a_stage_name_is_unique_in_its_pipeline_and_never_empty(inbox_path: Path) -> None:
    pipeline_id = pipelines.default_pipeline().id
    with pytest.raises(DealError, match="already taken"):
        pipelines.add_stage(pipeline_id, "  qualified ")
    with pytest.raises(DealError, match="cannot be empty"):
        pipelines.rename_stage(stage_id("Qualified"), " ")
    assert len(stage_names()) == 4


def test_a_stage_with_deals_asks_where_they_go(inbox_path: Path) -> None:
    qualified, contact = stage_id("Qualified"), stage_id("Contact made")
    kept = new_deals("Initech", "Globex", stage_id=qualified)
    delete_deals(kept[1:])  # a deleted deal moves too: restored, it needs a live stage
    with pytest.raises(DealError, match="has 2 deals; choose a stage"):
        pipelines.remove_stage(qualified)
    assert "Qualified" in stage_names()
    pipelines.remove_stage(qualified, move_deals_to=contact)
    assert stage_names() == ["Contact made", "Proposal made", "Negotiations started"]
    assert {Deal[d].stage_id for d in kept} == {contact}
    restore_deals(kept[1:])
    assert DealQuery(DealFilter(stage_id=contact)).total == 2


def test_undoing_a_stage_removal_brings_its_deals_back(inbox_path: Path) -> None:
    qualified, contact = stage_id("Qualified"), stage_id("Contact made")
    [deal_id] = new_deals("Initech", stage_id=qualified)
    pipelines.remove_stage(qualified, move_deals_to=contact)
    undo_last()
    assert stage_names()[0] == "Qualified"
    assert Deal[deal_id].stage_id == qualified


def test_the_last_stage_and_the_last_pipeline_stay(inbox_path: Path) -> None:
    pipeline_id = pipelines.add_pipeline("Renewals", stages=["Due"])
    with pytest.raises(DealError, match="at least one stage"):
        pipelines.remove_stage(stage_id("Due", pipeline_id))
    pipelines.remove_pipeline(pipeline_id)
    with pytest.raises(DealError, match="last pipeline"):
        pipelines.remove_pipeline(pipelines.default_pipeline().id)


def test_a_new_pipeline_gets_the_default_stages_and_goes_last(inbox_path: Path) -> None:
    pipeline_id = pipelines.add_pipeline("Partners")
    assert [p.name for p in pipelines.list_pipelines()] == ["Pipeline", "Partners"]
    assert stage_names(pipeline_id) == stage_names()
    pipelines.move_pipeline(pipeline_id, 0)
    pipelines.rename_pipeline(pipeline_id, "Channel partners")
    assert [p.name for p in pipelines.list_pipelines()] == ["Channel partners", "Pipeline"]
    with pytest.raises(DealError, match="already taken"):
        pipelines.add_pipeline("PIPELINE")


def test_removing_a_pipeline_moves_its_deals_to_another_and_frees_its_name(
    inbox_path: Path,
) -> None:
    partners = pipelines.add_pipeline("Partners")
    deal_ids = new_deals("Initech", "Globex", stage_id=stage_id("Proposal made", partners))
    target = stage_id("Qualified")
    with pytest.raises(DealError, match="another pipeline"):
        pipelines.remove_pipeline(partners, move_deals_to=stage_id("Qualified", partners))
    pipelines.remove_pipeline(partners, move_deals_to=target)
    assert [p.name for p in pipelines.list_pipelines()] == ["Pipeline"]
    assert {(Deal[d].pipeline_id, Deal[d].stage_id) for d in deal_ids} == {
        (pipelines.default_pipeline().id, target)
    }
    again = pipelines.add_pipeline("Partners")
    assert again != partners
    undo_last()  # the new "Partners"
    undo_last()  # the removal
    assert [p.name for p in pipelines.list_pipelines()] == ["Pipeline", "Partners"]
    assert {Deal[d].pipeline_id for d in deal_ids} == {partners}


def test_pipelines_and_stages_are_found_by_name_or_id(inbox_path: Path) -> None:
    pipeline = pipelines.find_pipeline("pipeline")
    assert pipelines.find_pipeline(str(pipeline.id)) == pipeline
    assert pipelines.find_stage(pipeline, "CONTACT MADE").name == "Contact made"
    with pytest.raises(DealError, match="no stage in Pipeline named 'Won'; one of: Qualified"):
        pipelines.find_stage(pipeline, "Won")
