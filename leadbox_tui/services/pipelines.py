"""Pipelines and their stages: add, rename, reorder and remove, each one undoable step.

Removal is soft (``deleted_at``), so undo brings a stage back with its deals. A stage or pipeline
that still holds deals is removed only once the seller says which stage they go to.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from peewee import Expression, fn

from leadbox_tui.services.history import Recorder, recorded
from leadbox_tui.services.leads import LeadError, clean_text
from leadbox_tui.services.normalize import fold
from leadbox_tui.services.session import DEFAULT_STAGES
from leadbox_tui.store.models import Deal, Pipeline, Stage

MAX_NAME = 200


class DealError(LeadError):
    """A deal, pipeline or stage could not be written as asked; the message is for the seller.

    A ``LeadError`` so that every face reports it the way it reports a refused lead.
    """


@dataclass(frozen=True)
class StageInfo:
    """One stage; ``deals`` counts every deal in it, deleted ones too (they move with it)."""

    id: int
    pipeline_id: int
    name: str
    position: int
    deals: int


@dataclass(frozen=True)
class PipelineInfo:
    id: int
    name: str
    position: int
    stages: tuple[StageInfo, ...]

    @property
    def deals(self) -> int:
        return sum(stage.deals for stage in self.stages)


def _live_pipelines():
    return Pipeline.select().where(Pipeline.deleted_at.is_null())


def _live_stages():
    return Stage.select().where(Stage.deleted_at.is_null())


def list_pipelines() -> list[PipelineInfo]:
    """The live pipelines in their order, each with its live stages in order."""
    pipelines = list(_live_pipelines().order_by(Pipeline.position, Pipeline.id))
    counts = dict(
        Deal.select(Deal.stage, fn.COUNT(Deal.id))
        .where(Deal.stage.is_null(False))
        .group_by(Deal.stage)
        .tuples()
    )
    stages: dict[int, list[StageInfo]] = {p.id: [] for p in pipelines}
    for stage in _live_stages().order_by(Stage.position, Stage.id):
        if stage.pipeline_id in stages:
            stages[stage.pipeline_id].append(
                StageInfo(
                    stage.id, stage.pipeline_id, stage.name, stage.position, counts.get(stage.id, 0)
                )
            )
    return [PipelineInfo(p.id, p.name, p.position, tuple(stages[p.id])) for p in pipelines]


def get_pipeline(pipeline_id: int) -> PipelineInfo:
    for info in list_pipelines():
        if info.id == pipeline_id:
            return info
    raise DealError(f"there is no pipeline {pipeline_id}")


def get_stage(stage_id: int) -> StageInfo:
    for info in list_pipelines():
        for stage in info.stages:
            if stage.id == stage_id:
                return stage
    raise DealError(f"there is no stage {stage_id}")


def default_pipeline() -> PipelineInfo:
    """The first pipeline: where deals go when the seller does not say."""
    pipelines = list_pipelines()
    if not pipelines:
        raise DealError("there is no pipeline; add one first")
    return pipelines[0]


def _named(items: Sequence, text: str, what: str):
    """An item by its id or its name (case and accents ignored)."""
    text = text.strip()
    for item in items:
        if str(item.id) == text or fold(item.name) == fold(text):
            return item
    names = ", ".join(item.name for item in items)
    raise DealError(f"no {what} named {text!r}; one of: {names}")


def find_pipeline(name_or_id: str) -> PipelineInfo:
    return _named(list_pipelines(), name_or_id, "pipeline")


def find_stage(pipeline: PipelineInfo, name_or_id: str) -> StageInfo:
    return _named(pipeline.stages, name_or_id, f"stage in {pipeline.name}")


def _clean_name(name: str, what: str, taken: Sequence[str]) -> str:
    name = clean_text(name, what, MAX_NAME).replace("\n", " ")
    if not name:
        raise DealError(f"{what} cannot be empty")
    if fold(name) in {fold(t) for t in taken}:
        raise DealError(f"{what} {name!r} is already taken")
    return name


def place_deals(rec: Recorder, deal_ids: Sequence[int], stage: StageInfo) -> int:
    """Put deals in a stage (and so in its pipeline); returns how many moved."""
    moved = set(rec.set_many(Deal, deal_ids, "stage", stage.id))
    moved.update(rec.set_many(Deal, deal_ids, "pipeline", stage.pipeline_id))
    return len(moved)


def _renumber(rec: Recorder, model: type[Pipeline] | type[Stage], ids: Sequence[int]) -> None:
    for position, record_id in enumerate(ids):
        rec.set(model, record_id, "position", position)


def _moved(ids: list[int], record_id: int, position: int) -> list[int]:
    ids.remove(record_id)
    ids.insert(max(0, min(position, len(ids))), record_id)
    return ids


def add_pipeline(name: str, stages: Sequence[str] = DEFAULT_STAGES) -> int:
    """A new pipeline at the end of the list, with its stages; returns its id."""
    existing = list_pipelines()
    name = _clean_name(name, "The pipeline name", [p.name for p in existing])
    if not stages:
        raise DealError("a pipeline needs at least one stage")
    stage_names: list[str] = []
    for stage in stages:
        stage_names.append(_clean_name(stage, "The stage name", stage_names))
    with recorded("pipeline", f"Added pipeline {name!r}") as rec:
        pipeline = Pipeline.create(name=name, position=len(existing))
        rec.created(Pipeline, pipeline.id)
        for position, stage_name in enumerate(stage_names):
            stage = Stage.create(pipeline=pipeline.id, name=stage_name, position=position)
            rec.created(Stage, stage.id)
    return pipeline.id


def rename_pipeline(pipeline_id: int, name: str) -> None:
    pipeline = get_pipeline(pipeline_id)
    others = [p.name for p in list_pipelines() if p.id != pipeline_id]
    name = _clean_name(name, "The pipeline name", others)
    with recorded("pipeline", f"Renamed pipeline {pipeline.name!r} to {name!r}") as rec:
        rec.set(Pipeline, pipeline_id, "name", name)


def move_pipeline(pipeline_id: int, position: int) -> None:
    """Put a pipeline at ``position`` (0 is first) in the list of pipelines."""
    pipeline = get_pipeline(pipeline_id)
    ids = _moved([p.id for p in list_pipelines()], pipeline_id, position)
    with recorded("pipeline", f"Moved pipeline {pipeline.name!r}") as rec:
        _renumber(rec, Pipeline, ids)


def remove_pipeline(pipeline_id: int, move_deals_to: int | None = None) -> None:
    """Remove a pipeline and its stages; its deals go to a stage of another pipeline."""
    pipeline = get_pipeline(pipeline_id)
    if len(list_pipelines()) == 1:
        raise DealError("the last pipeline cannot be removed")
    stage_ids = [s.id for s in pipeline.stages]
    deal_ids = _deals_where((Deal.pipeline == pipeline_id) | Deal.stage.in_(stage_ids))
    target = _target(deal_ids, move_deals_to, f"pipeline {pipeline.name!r}")
    if target is not None and target.pipeline_id == pipeline_id:
        raise DealError("its deals must go to a stage of another pipeline")
    with recorded("pipeline", f"Removed pipeline {pipeline.name!r}") as rec:
        if target is not None:
            place_deals(rec, deal_ids, target)
        rec.set_many(Stage, stage_ids, "deleted_at", rec.action.at)
        rec.set(Pipeline, pipeline_id, "deleted_at", rec.action.at)
        _renumber(rec, Pipeline, [p.id for p in list_pipelines() if p.id != pipeline_id])


def add_stage(pipeline_id: int, name: str, position: int | None = None) -> int:
    """A new stage in a pipeline, last or at ``position``; returns its id."""
    pipeline = get_pipeline(pipeline_id)
    name = _clean_name(name, "The stage name", [s.name for s in pipeline.stages])
    with recorded("pipeline", f"Added stage {name!r} to {pipeline.name!r}") as rec:
        stage = Stage.create(pipeline=pipeline_id, name=name, position=len(pipeline.stages))
        rec.created(Stage, stage.id)
        if position is not None:
            ids = _moved([s.id for s in pipeline.stages] + [stage.id], stage.id, position)
            _renumber(rec, Stage, ids)
    return stage.id


def rename_stage(stage_id: int, name: str) -> None:
    stage = get_stage(stage_id)
    siblings = [s.name for s in get_pipeline(stage.pipeline_id).stages if s.id != stage_id]
    name = _clean_name(name, "The stage name", siblings)
    with recorded("pipeline", f"Renamed stage {stage.name!r} to {name!r}") as rec:
        rec.set(Stage, stage_id, "name", name)


def move_stage(stage_id: int, position: int) -> None:
    """Put a stage at ``position`` (0 is first) in its pipeline."""
    stage = get_stage(stage_id)
    ids = _moved([s.id for s in get_pipeline(stage.pipeline_id).stages], stage_id, position)
    with recorded("pipeline", f"Moved stage {stage.name!r}") as rec:
        _renumber(rec, Stage, ids)


def remove_stage(stage_id: int, move_deals_to: int | None = None) -> None:
    """Remove a stage; its deals (if any) go to ``move_deals_to``, which the seller must choose."""
    stage = get_stage(stage_id)
    pipeline = get_pipeline(stage.pipeline_id)
    if len(pipeline.stages) == 1:
        raise DealError(f"{pipeline.name!r} needs at least one stage")
    deal_ids = _deals_where(Deal.stage == stage_id)
    target = _target(deal_ids, move_deals_to, f"stage {stage.name!r}")
    if target is not None and target.id == stage_id:
        raise DealError("its deals must go to another stage")
    with recorded("pipeline", f"Removed stage {stage.name!r} of {pipeline.name!r}") as rec:
        if target is not None:
            place_deals(rec, deal_ids, target)
        rec.set(Stage, stage_id, "deleted_at", rec.action.at)
        _renumber(rec, Stage, [s.id for s in pipeline.stages if s.id != stage_id])


def _deals_where(condition: Expression) -> list[int]:
    """Every deal matching, deleted ones too: a restored deal must not land in a removed stage."""
    return [row[0] for row in Deal.select(Deal.id).where(condition).tuples()]


def _target(deal_ids: Sequence[int], move_to: int | None, what: str) -> StageInfo | None:
    """The stage the deals of a removed ``what`` go to: required when there are deals."""
    if not deal_ids:
        return None
    if move_to is None:
        count = len(deal_ids)
        raise DealError(f"{what} has {count} deal{'s' * (count != 1)}; choose a stage for them")
    return get_stage(move_to)
