"""The deals' filter bar (``f`` on the deals screen): status, pipeline, stage, owner and the
deleted deals, the same bar as the inbox's with the deals' own lists.

Each list is one choice at a time (the one just ticked); a stage implies its pipeline, and the
stage list offers the stages of the pipeline chosen (all of them, by pipeline, otherwise). The
bar never reads the database: the screen hands it the pipelines and users, and gets
``DealFilterChosen`` back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import SelectionList
from textual.widgets.selection_list import Selection

from leadbox_tui.services.deals import STATUSES, DealFilter
from leadbox_tui.services.pipelines import PipelineInfo
from leadbox_tui.services.users import UserInfo
from leadbox_tui.ui.widgets.choice_lists import TickList
from leadbox_tui.ui.widgets.filter_bar import (
    ANYONE,
    FilterBar,
    FilterSummary,
    _literal,
)

ANY = "any"  # the "no filter" choice of every list
LIVE, DELETED = "live", "deleted"


class DealFilterChosen(Message):
    """The seller changed the deals' filter in the bar (or cleared it)."""

    def __init__(self, filter: DealFilter) -> None:
        super().__init__()
        self.filter = filter


def deals_text(count: int) -> str:
    return "1 deal" if count == 1 else f"{count:,} deals"


class DealFilterBar(FilterBar):
    filter: DealFilter  # type: ignore[assignment]  # the deals' own filter, not the inbox's

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.filter = DealFilter()
        self.pipelines: list[PipelineInfo] = []
        self.users: dict[int, str] = {}

    def compose(self) -> ComposeResult:
        yield FilterSummary(id="filter-summary")
        with Horizontal(id="filter-choices"):
            statuses = [("Any", ANY), *((s.capitalize(), s) for s in STATUSES)]
            yield self._list("deal-filter-status", "Status", statuses)
            yield self._list("deal-filter-pipeline", "Pipeline", [("Any", ANY)])
            yield self._list("deal-filter-stage", "Stage", [("Any", ANY)])
            yield self._list("deal-filter-owner", "Owner", [("Anyone", ANYONE)])
            yield self._list(
                "deal-filter-view", "View", [("Deals", LIVE), ("Deleted deals", DELETED)]
            )

    def count_text(self, total: int) -> str:
        return deals_text(total)

    # -- what the screen hands down --------------------------------------------------------

    def show_filter(self, view: DealFilter, name: str | None = None) -> None:  # type: ignore[override]
        super().show_filter(view, name)  # type: ignore[arg-type]
        self.show_description(view, self.describe(view))  # type: ignore[arg-type]

    def set_deal_choices(
        self, pipelines: Sequence[PipelineInfo], users: Sequence[UserInfo]
    ) -> None:
        """The pipelines (with their stages) and users to choose from."""
        self.pipelines = list(pipelines)
        self.users = {u.id: u.name for u in users}
        self._fill(
            "deal-filter-pipeline", [("Any", ANY), *((p.name, str(p.id)) for p in pipelines)]
        )
        owners = [("Anyone", ANYONE), *((u.name, str(u.id)) for u in users)]
        self._fill("deal-filter-owner", owners)
        self._fill_stages()
        self._sync_ticks()
        self.show_description(self.filter, self.describe(self.filter))  # type: ignore[arg-type]
        view = self.filter  # a pipeline or stage removed meanwhile (P) no longer filters
        gone_pipeline = view.pipeline_id not in {None, *(p.id for p in self.pipelines)}
        gone_stage = view.stage_id not in {None, *(s.id for p in self.pipelines for s in p.stages)}
        if gone_pipeline or gone_stage:
            kept = replace(view, pipeline_id=None, stage_id=None)
            self.post_message(DealFilterChosen(kept))

    def _fill(self, list_id: str, choices: list[tuple[str, str]]) -> None:
        ticks = self.query_one(f"#{list_id}", TickList)
        ticks.clear_options()
        ticks.add_options(Selection(_literal(text), value) for text, value in choices)

    def _fill_stages(self) -> None:
        """The stages of the pipeline in view, else every stage named with its pipeline."""
        pipeline_id = self.filter.pipeline_id
        choices = [("Any", ANY)]
        for pipeline in self.pipelines:
            if pipeline_id in (None, pipeline.id):
                prefix = "" if pipeline_id else f"{pipeline.name} › "
                choices += [(prefix + s.name, str(s.id)) for s in pipeline.stages]
        self._fill("deal-filter-stage", choices)

    def describe(self, view: DealFilter) -> str:
        """The filter in words, from the names the screen handed down."""
        pipelines = {p.id: p.name for p in self.pipelines}
        stages = {s.id: s.name for p in self.pipelines for s in p.stages}
        parts = ["deleted deals" if view.deleted else "all deals"]
        if view.status:
            parts.append(view.status)
        if view.pipeline_id is not None:
            parts.append(f"pipeline {pipelines.get(view.pipeline_id, view.pipeline_id)}")
        if view.stage_id is not None:
            parts.append(f"stage {stages.get(view.stage_id, view.stage_id)}")
        if view.owner_id is not None:
            parts.append(f"owner {self.users.get(view.owner_id, view.owner_id)}")
        return " · ".join(parts)

    # -- drawing ---------------------------------------------------------------------------

    def _ticked(self) -> dict[str, list[str]]:
        view = self.filter

        def one(value: object) -> list[str]:
            return [ANY if value is None else str(value)]

        return {
            "deal-filter-status": one(view.status),
            "deal-filter-pipeline": one(view.pipeline_id),
            "deal-filter-stage": one(view.stage_id),
            "deal-filter-owner": [ANYONE if view.owner_id is None else str(view.owner_id)],
            "deal-filter-view": [DELETED if view.deleted else LIVE],
        }

    # -- what the seller does --------------------------------------------------------------

    def on_selection_list_selection_toggled(self, event: SelectionList.SelectionToggled) -> None:
        event.stop()
        ticks = event.selection_list
        toggled = str(event.selection.value)
        picked = toggled if toggled in [str(v) for v in ticks.selected] else None
        chosen = None if picked in (None, ANY, ANYONE) else picked
        view = self.filter
        if ticks.id == "deal-filter-status":
            view = replace(view, status=chosen)
        elif ticks.id == "deal-filter-pipeline":
            pipeline_id = int(chosen) if chosen else None
            stage = view.stage_id if pipeline_id is None else None
            view = replace(view, pipeline_id=pipeline_id, stage_id=stage)
        elif ticks.id == "deal-filter-stage":
            stage_id = int(chosen) if chosen else None
            of = {s.id: p.id for p in self.pipelines for s in p.stages}
            view = replace(view, stage_id=stage_id, pipeline_id=of.get(stage_id, view.pipeline_id))
        elif ticks.id == "deal-filter-owner":
            view = replace(view, owner_id=int(chosen) if chosen else None)
        elif ticks.id == "deal-filter-view":
            view = replace(view, deleted=picked == DELETED)
        if view.pipeline_id != self.filter.pipeline_id:  # the stage list follows the pipeline
            self.filter = view
            self._fill_stages()
        self.post_message(DealFilterChosen(view))

    def action_clear(self) -> None:
        """Every deal again (the view, live or deleted, stays)."""
        self.post_message(DealFilterChosen(DealFilter(deleted=self.filter.deleted)))
