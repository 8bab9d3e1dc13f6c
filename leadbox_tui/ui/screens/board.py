"""The board of one pipeline (``b`` on the deals screen): a column per stage with its open deals.

``j``/``k`` move within a column, ``tab``/``shift+tab`` between columns, ``h``/``l`` (or the
arrows) move the deal under the cursor one stage along (``step_stage``: one undoable step),
``W``/``L`` mark it won or lost (with a reason), ``p`` shows the next pipeline, ``P`` manages
pipelines and stages, ``esc`` goes back. The board is read in a worker, and again after each
write; the cursor follows the moved deal.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Static

from leadbox_tui.services import deals
from leadbox_tui.services.deals import Board
from leadbox_tui.services.history import undo_last
from leadbox_tui.services.pipelines import list_pipelines
from leadbox_tui.services.session import close_database
from leadbox_tui.ui import keymap
from leadbox_tui.ui.literal import one_line
from leadbox_tui.ui.modals.lost_reason import LostReasonModal
from leadbox_tui.ui.modals.pipelines import PipelinesModal
from leadbox_tui.ui.widgets.key_bar import KeyBar
from leadbox_tui.ui.widgets.lead_cells import money_text


def column_text(board: Board, index: int, cursor: int | None) -> Text:
    """One stage: its name, count and totals, then a card per deal (the cursor's reversed)."""
    column = board.columns[index]
    text = Text()
    text.append(f"{one_line(column.stage.name)} ({column.count})\n", style="bold")
    totals = " · ".join(money_text(value, currency) for currency, value in column.totals)
    text.append((totals or "no value") + "\n\n", style="dim")
    for row_index, deal in enumerate(column.deals):
        style = "reverse" if row_index == cursor else ""
        text.append(f" {one_line(deal.title)} \n", style=style + " bold")
        who = one_line(deal.organization or deal.person or "")
        value = money_text(deal.value, deal.currency)
        text.append(f" {' · '.join(p for p in (value, who) if p)} \n\n", style=style)
    if not column.deals:
        text.append("no open deal", style="dim italic")
    return text


class BoardScreen(Screen[None], inherit_bindings=False):
    CSS_PATH = "../convert.tcss"  # loaded when first opened, not with the inbox
    BINDINGS = keymap.bindings("board")

    def __init__(self, pipeline_id: int | None = None) -> None:
        super().__init__()
        self.pipeline_id = pipeline_id
        self.board: Board | None = None
        self.pipelines: list[int] = []
        self.column = 0
        self.row = 0

    def compose(self) -> ComposeResult:
        yield Static(id="board-title")
        yield Horizontal(id="board-columns")
        yield KeyBar()

    def on_mount(self) -> None:
        self._read()

    @work(thread=True, exclusive=True, group="board")
    def _read(self, follow: int | None = None) -> None:
        try:
            self.pipelines = [p.id for p in list_pipelines()]
            # a pipeline removed meanwhile (P): the first one instead
            shown = self.pipeline_id if self.pipeline_id in self.pipelines else None
            found: Board | str = deals.board(shown)
        except Exception as error:
            found = str(error)
        finally:
            close_database()
        self.app.call_from_thread(self._shown, found, follow)

    async def _shown(self, found: Board | str, follow: int | None) -> None:
        if isinstance(found, str):
            self.notify(one_line(found), severity="error", markup=False)
            return
        self.board = found
        self.pipeline_id = found.pipeline.id
        if follow is not None:  # the moved deal: the cursor goes with it
            for c, column in enumerate(found.columns):
                for r, deal in enumerate(column.deals):
                    if deal.id == follow:
                        self.column, self.row = c, r
        self.column = min(self.column, max(0, len(found.columns) - 1))
        title = Text(f"Board: {one_line(found.pipeline.name)}", style="bold")
        self.query_one("#board-title", Static).update(title)
        holder = self.query_one("#board-columns", Horizontal)
        await holder.remove_children()
        await holder.mount_all(
            Static(classes="board-column", id=f"stage-{c.stage.id}") for c in found.columns
        )
        self._draw()

    def _draw(self) -> None:
        if self.board is None or not self.board.columns:
            return
        deals_here = self.board.columns[self.column].deals
        self.row = max(0, min(self.row, len(deals_here) - 1))
        for index, column in enumerate(self.board.columns):
            widget = self.query_one(f"#stage-{column.stage.id}", Static)
            widget.update(
                column_text(self.board, index, self.row if index == self.column else None)
            )
            widget.set_class(index == self.column, "-current")

    @property
    def current(self) -> deals.DealRow | None:
        if self.board is None or not self.board.columns:
            return None
        found = self.board.columns[self.column].deals
        return found[self.row] if 0 <= self.row < len(found) else None

    def action_down(self) -> None:
        self.row += 1
        self._draw()

    def action_up(self) -> None:
        self.row = max(0, self.row - 1)
        self._draw()

    def action_next_column(self) -> None:
        if self.board:
            self.column = (self.column + 1) % len(self.board.columns)
            self._draw()

    def action_previous_column(self) -> None:
        if self.board:
            self.column = (self.column - 1) % len(self.board.columns)
            self._draw()

    def action_move_right(self) -> None:
        self._step(1)

    def action_move_left(self) -> None:
        self._step(-1)

    def _step(self, step: int) -> None:
        deal = self.current
        if deal is not None:
            self._move(deal.id, one_line(deal.title), step)

    @work(thread=True, group="board-writes")
    def _move(self, deal_id: int, title: str, step: int) -> None:
        try:
            stage = deals.step_stage(deal_id, step)
            said = f"Moved {title!r} to {stage.name!r} (u undoes)." if stage else ""
        except ValueError as error:
            said = str(error)
        finally:
            close_database()
        if said:
            self.app.call_from_thread(self.notify, said, markup=False)
            self._read(follow=deal_id)

    def action_won(self) -> None:
        deal = self.current
        if deal is not None:
            said = f"Marked {one_line(deal.title)!r} won: it leaves the board (u undoes)."
            self._close(lambda: deals.mark_won([deal.id]), said)

    def action_lost(self) -> None:
        deal = self.current
        if deal is None:
            return

        def given(reason: str | None) -> None:
            if reason is not None:
                said = f"Marked {one_line(deal.title)!r} lost: it leaves the board (u undoes)."
                self._close(lambda: deals.mark_lost([deal.id], reason), said)

        self.app.push_screen(LostReasonModal("Why was it lost?"), given)

    @work(thread=True, group="board-writes")
    def _close(self, write: Callable[[], object], said: str) -> None:
        """Won or lost: the deal is no longer open, so the board is read without it."""
        try:
            write()
        except ValueError as error:
            said = str(error)
        finally:
            close_database()
        self.app.call_from_thread(self.notify, said, markup=False)
        self._read()

    def action_next_pipeline(self) -> None:
        ids = self.pipelines
        if self.pipeline_id in ids and len(ids) > 1:
            self.pipeline_id = ids[(ids.index(self.pipeline_id) + 1) % len(ids)]
            self.column = self.row = 0
            self._read()

    @work(thread=True, group="board-writes")
    def action_undo(self) -> None:
        try:
            undone = undo_last()
            said = f"Undid: {undone.description}" if undone else "Nothing to undo."
        except Exception as error:
            said = f"Not undone: {error}"
        finally:
            close_database()
        self.app.call_from_thread(self.notify, said, markup=False)
        self._read()

    def action_pipelines(self) -> None:
        """``P``: pipelines and stages; the board is read again if they changed."""
        self.app.push_screen(PipelinesModal(self.pipeline_id), self._pipelines_done)

    def _pipelines_done(self, changed: bool | None) -> None:
        if changed:
            self._read()

    def action_back(self) -> None:
        self.dismiss(None)
