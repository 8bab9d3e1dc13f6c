"""Pipelines and their stages (``P`` on the deals screen and the board): add, rename, reorder
and remove them, each one undoable step of ``services.pipelines``.

One list shows every pipeline with its stages beneath it and how many deals each holds; the
keys act on the line under the cursor. Removing a stage or a pipeline that holds deals first
asks which stage they go to. Reads and writes run in workers; the list is read again after each
write and the cursor follows what was written. Dismisses whether anything changed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from leadbox_tui.services import pipelines
from leadbox_tui.services.history import undo_last
from leadbox_tui.services.pipelines import PipelineInfo, StageInfo
from leadbox_tui.services.session import close_database
from leadbox_tui.ui import keymap
from leadbox_tui.ui.literal import one_line
from leadbox_tui.ui.modals.confirm import ConfirmModal
from leadbox_tui.ui.modals.dialogs import ChoiceModal, NameModal
from leadbox_tui.ui.widgets.choice_lists import PickList
from leadbox_tui.ui.widgets.key_bar import KeyBar

Key = tuple[str, int]  # ("pipeline", id) or ("stage", id): what the cursor follows


@dataclass(frozen=True)
class Line:
    """One line of the list: a pipeline, or one of its stages."""

    pipeline: PipelineInfo
    stage: StageInfo | None = None

    @property
    def key(self) -> Key:
        return ("stage", self.stage.id) if self.stage else ("pipeline", self.pipeline.id)

    @property
    def name(self) -> str:
        return (self.stage or self.pipeline).name

    @property
    def deals(self) -> int:
        return (self.stage or self.pipeline).deals


def deals_count(count: int) -> str:
    return "no deal" if not count else "1 deal" if count == 1 else f"{count:,} deals"


def lines_of(found: list[PipelineInfo]) -> list[Line]:
    return [
        line
        for pipeline in found
        for line in (Line(pipeline), *(Line(pipeline, s) for s in pipeline.stages))
    ]


def line_text(line: Line) -> Text:
    if line.stage is None:
        text = Text(one_line(line.name), style="bold")
    else:
        text = Text(f"    {line.stage.position + 1}. {one_line(line.name)}")
    text.append(f"  {deals_count(line.deals)}", style="dim")
    return text


class PipelinesModal(ModalScreen[bool], inherit_bindings=False):
    CSS_PATH = "../convert.tcss"  # loaded when first opened, not with the inbox
    BINDINGS = keymap.bindings("pipelines")

    def __init__(self, pipeline_id: int | None = None) -> None:
        super().__init__()
        self.lines: list[Line] = []
        self.follow: Key | None = ("pipeline", pipeline_id) if pipeline_id else None
        self.changed = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Pipelines and stages", classes="dialog--title")
            yield Static(
                "n adds a stage, N a pipeline; r renames, K/J move up/down, d removes "
                "(deals in it go where you say); u undoes.",
                classes="dialog--hint",
            )
            yield PickList(id="pipeline-lines")
        yield KeyBar()

    @property
    def listing(self) -> PickList:
        return self.query_one("#pipeline-lines", PickList)

    def on_mount(self) -> None:
        self.listing.focus()
        self._read()

    @work(thread=True, exclusive=True, group="pipelines-read")
    def _read(self) -> None:
        try:
            found: list[PipelineInfo] | str = pipelines.list_pipelines()
        except Exception as error:
            found = f"Could not read the pipelines: {error}"
        finally:
            close_database()
        self.app.call_from_thread(self._shown, found)

    def _shown(self, found: list[PipelineInfo] | str) -> None:
        if isinstance(found, str):
            self.notify(one_line(found), severity="error", markup=False)
            return
        keep = self.follow or (self.current.key if self.current else None)
        self.lines = lines_of(found)
        self.listing.clear_options()
        self.listing.add_options(Option(line_text(line)) for line in self.lines)
        keys = [line.key for line in self.lines]
        if self.lines:
            self.listing.highlighted = keys.index(keep) if keep in keys else 0
        self.follow = None

    @property
    def current(self) -> Line | None:
        index = self.listing.highlighted
        return self.lines[index] if index is not None and 0 <= index < len(self.lines) else None

    # -- keys ------------------------------------------------------------------------------

    def action_new_stage(self) -> None:
        line = self.current
        if line is None:
            return
        pipeline = line.pipeline
        position = line.stage.position + 1 if line.stage else 0

        def named(name: str | None) -> None:
            if name:
                self._write(
                    lambda: ("stage", pipelines.add_stage(pipeline.id, name, position)),
                    f"Added stage {name!r} to {pipeline.name!r}.",
                )

        title = f"New stage in {pipeline.name}"
        self.app.push_screen(NameModal(title, placeholder="the stage's name"), named)

    def action_new_pipeline(self) -> None:
        def named(name: str | None) -> None:
            if name:
                self._write(
                    lambda: ("pipeline", pipelines.add_pipeline(name)),
                    f"Added pipeline {name!r} with the usual four stages.",
                )

        self.app.push_screen(NameModal("New pipeline", placeholder="the pipeline's name"), named)

    def action_rename(self) -> None:
        line = self.current
        if line is None:
            return
        if line.stage is not None:
            what, rename = "stage", partial(pipelines.rename_stage, line.stage.id)
        else:
            what, rename = "pipeline", partial(pipelines.rename_pipeline, line.pipeline.id)

        def named(name: str | None) -> None:
            if name and name != line.name:
                self._write(lambda: rename(name), f"Renamed the {what} to {name!r}.")

        self.app.push_screen(NameModal(f"Rename the {what} {line.name}", line.name), named)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_rename()  # enter on a line renames it

    def _move(self, step: int) -> None:
        line = self.current
        if line is None:
            return
        if line.stage is not None:
            stage_id, position = line.stage.id, line.stage.position + step
            if 0 <= position < len(line.pipeline.stages):
                self._write(lambda: pipelines.move_stage(stage_id, position), "")
        else:
            pipeline_id, position = line.pipeline.id, line.pipeline.position + step
            if position >= 0:
                self._write(lambda: pipelines.move_pipeline(pipeline_id, position), "")

    def action_move_up(self) -> None:
        self._move(-1)

    def action_move_down(self) -> None:
        self._move(1)

    def action_remove(self) -> None:
        line = self.current
        if line is None:
            return
        stage = line.stage
        if stage is not None:
            remove = partial(pipelines.remove_stage, stage.id)
            said = f"Removed the stage {stage.name!r}."
            targets = [(p, s) for p in self._pipelines() for s in p.stages if s.id != stage.id]
        else:
            remove = partial(pipelines.remove_pipeline, line.pipeline.id)
            said = f"Removed the pipeline {line.pipeline.name!r} and its stages."
            others = [p for p in self._pipelines() if p.id != line.pipeline.id]
            targets = [(p, s) for p in others for s in p.stages]
        choices = [(f"{p.name} › {s.name}", str(s.id)) for p, s in targets]
        self._ask_then(line, choices, lambda to: self._write(lambda: remove(to), said))

    def _pipelines(self) -> list[PipelineInfo]:
        return [line.pipeline for line in self.lines if line.stage is None]

    def _ask_then(
        self, line: Line, targets: list[tuple[str, str]], remove: Callable[[int | None], None]
    ) -> None:
        """A line with deals asks where they go; an empty one only asks to be sure."""
        what = f"{'stage' if line.stage else 'pipeline'} {line.name!r}"
        if line.deals:
            if not targets:
                self.notify(
                    f"The {what} holds deals and there is no other stage for them.",
                    severity="warning",
                    markup=False,
                )
                return
            question = f"Remove the {what}: where do its {deals_count(line.deals)} go?"

            def chosen(stage_id: str | None) -> None:
                if stage_id is not None:
                    remove(int(stage_id))

            self.app.push_screen(ChoiceModal(question, targets), chosen)
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                remove(None)

        self.app.push_screen(
            ConfirmModal(f"Remove the {what}?", "u undoes it.", "Remove"), confirmed
        )

    def action_undo(self) -> None:
        def undo() -> None:
            undone = undo_last()
            self.app.call_from_thread(
                self.notify,
                f"Undid: {undone.description}" if undone else "Nothing to undo.",
                markup=False,
            )

        self._write(undo, "")

    def action_close(self) -> None:
        self.dismiss(self.changed)

    # -- writes ----------------------------------------------------------------------------

    @work(thread=True, group="pipelines-write")
    def _write(self, write: Callable[[], object], said: str) -> None:
        """Run ``write``; a ``Key`` it returns is where the cursor goes next."""
        try:
            result = write()
            failed = False
        except ValueError as error:  # the service's refusals, said as they are
            said, failed, result = str(error), True, None
        except Exception as error:
            said, failed, result = f"Not saved: {error}", True, None
        finally:
            close_database()
        self.app.call_from_thread(self._written, said, failed, result)

    def _written(self, said: str, failed: bool, result: object) -> None:
        if said:
            said = said[:1].upper() + said[1:]
            self.notify(said, severity="error" if failed else "information", markup=False)
        if failed:
            return
        self.changed = True
        if isinstance(result, tuple):
            self.follow = result  # type: ignore[assignment]
        self._read()
