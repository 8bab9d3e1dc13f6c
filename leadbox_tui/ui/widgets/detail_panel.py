"""The detail panel beside the table: everything about the lead (or, on the deals screen, the
deal) under the cursor. What it reads, what its cursor stops on and how it draws come from a
``DetailKind``: ``LEAD_DETAIL`` here, ``deal_detail_view.DEAL_DETAIL`` for the deals.

It follows the cursor without chasing it: a load starts only once the cursor has rested for a
moment, in a thread worker, and a lead that arrives after the cursor moved on is dropped, so
holding ``j`` never queues hundreds of reads and the newest lead always wins.

While it has the focus, ``j``/``k`` move a cursor over its items (the title and editable
fields, the notes, the activities, the lines that link to another record), so the screen's keys
can act on the one under it.

It draws like the table, with the Line API: what it shows is rendered to lines once, when it
arrives, and scrolling or repainting reuses them. (A ``Static`` in a scrolling container laid the
whole screen out again at each lead, rendering its text twice: once to measure it, once to
draw it, some 15 ms of each rest of the cursor.)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich.console import RenderableType
from rich.text import Text
from textual import work
from textual.geometry import Region, Size
from textual.reactive import Reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.timer import Timer

from leadbox_tui.services.session import close_database
from leadbox_tui.ui import keymap
from leadbox_tui.ui.messages import DetailLoaded
from leadbox_tui.ui.widgets.component_styles import ComponentStyles
from leadbox_tui.ui.widgets.detail_view import (
    SELECTED,
    Item,
    StyleOf,
    items_of,
    render_detail,
)
from leadbox_tui.ui.widgets.lead_cells import ACTIVITY_CLASSES, LABEL_COLOURS, label_class

SETTLE_SECONDS = 0.08  # how long the cursor rests before the panel reads its lead


@dataclass(frozen=True)
class DetailKind:
    """What a panel shows: a record of which kind (``noun``), read by id in a worker
    (``read``: None if gone), the items its cursor stops on, top to bottom (``items``), and
    how it is drawn with the item under the cursor highlighted (``render``)."""

    noun: str
    read: Callable[[int], Any]
    items: Callable[[Any], list[Item]]
    render: Callable[[Any, StyleOf, Item | None], RenderableType]


def read_lead(lead_id: int) -> Any:
    """The lead's detail; its services load at the first read, not with the first frame."""
    from leadbox_tui.services.detail import lead_detail

    return lead_detail(lead_id)


LEAD_DETAIL = DetailKind("lead", read_lead, items_of, render_detail)


class DetailPanel(ScrollView, can_focus=True, inherit_bindings=False):
    BINDINGS = keymap.bindings("detail")
    # the height of what it shows: the panel's size is the screen's and its scroll bar always
    # shown (app.tcss), so a lead of another height redraws the scroll bar, not the whole
    # screen laid out again (at each rest of the cursor)
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)
    COMPONENT_CLASSES = {
        "detail-panel--title",
        "detail-panel--heading",
        "detail-panel--field",
        "detail-panel--muted",
        SELECTED,
        *ACTIVITY_CLASSES.values(),
        *(label_class(colour) for colour in LABEL_COLOURS),
    }

    def __init__(self, kind: DetailKind = LEAD_DETAIL, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.kind = kind
        # the ids are a lead's, or a deal's in a deal panel (as the tables' ``current_lead_id``)
        self.lead_id: int | None = None  # the record the panel is showing or about to show
        self.shown_id: int | None = None  # the record it shows now
        self.shown: Any = None  # and what it knows of it (a LeadDetail, a DealDetail)
        self.item: Item | None = None  # the item under the panel's cursor
        self._offered: object = None  # the kind of item whose keys the footer shows
        self._settle: Timer | None = None
        self._styles = ComponentStyles(self)
        self._body: RenderableType = self._empty()  # what it shows, drawn into ``lines``
        self._lines: list[Strip] = []

    @property
    def lines(self) -> list[Strip]:
        """Everything the panel shows, a line each, including what is scrolled out of view."""
        return self._lines

    def follow(self, lead_id: int) -> None:
        """The cursor is on ``lead_id`` now: show it once the cursor stops there."""
        if lead_id == self.lead_id:
            return
        self.lead_id = lead_id
        if self._settle is not None:
            self._settle.stop()
        self._settle = self.set_timer(SETTLE_SECONDS, self._load_wanted)

    def hold(self) -> None:
        """The view changes under the cursor (a search being typed): drop a read not begun, or
        not yet shown, whose drawing would land inside the next key. The new view's cursor says
        what to show next."""
        if self._settle is not None:
            self._settle.stop()
        self.lead_id = self.shown_id

    def show_now(self, lead_id: int) -> None:
        """Read ``lead_id`` at once (the seller opened it), again if it may have changed."""
        self.lead_id = lead_id
        if self._settle is not None:
            self._settle.stop()
        self._load(lead_id)

    def clear(self) -> None:
        self.lead_id = self.shown_id = None
        self.shown = self.item = None
        if self._settle is not None:
            self._settle.stop()
        self._show(self._empty())

    def _load_wanted(self) -> None:
        if self.lead_id is not None:
            self._load(self.lead_id)

    @work(thread=True, exclusive=True, group="lead-detail")
    def _load(self, lead_id: int) -> None:
        try:
            self.post_message(DetailLoaded(lead_id, self.kind.read(lead_id)))
        except Exception as error:  # a locked or broken file: the panel says so
            self.post_message(DetailLoaded(lead_id, None, str(error)))
        finally:
            close_database()  # this worker thread's connection

    def on_detail_loaded(self, message: DetailLoaded) -> None:
        if message.lead_id != self.lead_id:
            return  # the cursor has moved on
        same_lead = message.lead_id == self.shown_id
        self.shown_id = message.lead_id
        if message.detail is None:
            noun = self.kind.noun
            why = (
                f"Could not read this {noun}: {message.error}"
                if message.error
                else f"No such {noun}."
            )
            self._show(Text(why, style=self._styles("detail-panel--muted")))
            self.shown = self.item = None
            return
        before = self.kind.items(self.shown) if same_lead and self.shown else []
        self.shown = message.detail
        items = self.kind.items(message.detail)
        if self.item not in items:  # gone (a deleted note): the item that took its place
            at = before.index(self.item) if self.item in before else None
            self.item = items[min(at, len(items) - 1)] if at is not None and items else None
        self._render_body()
        if not same_lead:
            self.scroll_home(animate=False)

    # -- the item cursor -------------------------------------------------------------------

    @property
    def selected(self) -> Item | None:
        """The item the seller is on, while the panel has the focus."""
        return self.item if self.has_focus and self.shown is not None else None

    def id_of(self, item: Item | None, kind: str) -> int | None:
        """The id of ``item`` if it is a ``kind`` ("note", "activity"); else None, and the
        seller is told how to get to one."""
        if item is None or item[0] != kind:
            self.notify(f"Go to the {kind} first: tab, then j or k.", severity="warning")
            return None
        return int(item[1])  # type: ignore[call-overload]

    def _render_body(self) -> None:
        if self.shown is None:
            return
        self._show(self.kind.render(self.shown, self._styles, self.selected))
        if self.selected is not None:
            self._scroll_to_item()
        self._offer_keys()

    def _offer_keys(self) -> None:
        """The footer offers what the item under the cursor takes: redraw it when that kind
        changes, not at each lead the cursor passes (a footer redrawn costs a frame)."""
        kind = self.selected[0] if self.selected is not None else None
        if kind != self._offered:
            self._offered = kind
            self.screen.refresh_bindings()

    def _scroll_to_item(self) -> None:
        """Bring the highlighted lines into view, scrolling as little as possible."""
        highlight = self._styles(SELECTED).bgcolor
        lines = [
            y
            for y, strip in enumerate(self._lines)
            if any(segment.style and segment.style.bgcolor == highlight for segment in strip)
        ]
        if lines:
            region = Region(0, lines[0], 1, lines[-1] - lines[0] + 1)
            self.scroll_to_region(region, animate=False, immediate=True)

    def _move(self, step: int) -> None:
        items = self.kind.items(self.shown) if self.shown is not None else []
        if not items:  # nothing to stop on: j and k scroll
            self.scroll_relative(y=step, animate=False)
            return
        at = items.index(self.item) + step if self.item in items else 0
        self.item = items[max(0, min(at, len(items) - 1))]
        self._render_body()

    def action_next_item(self) -> None:
        self._move(1)

    def action_previous_item(self) -> None:
        self._move(-1)

    def on_focus(self) -> None:
        if self.item is None and self.shown is not None:
            items = self.kind.items(self.shown)  # the cursor shows where the keys will act
            self.item = items[0] if items else None
        self._render_body()

    def on_blur(self) -> None:
        self._render_body()

    # -- drawing ---------------------------------------------------------------------------

    def _show(self, body: RenderableType) -> None:
        self._body = body
        self._draw()

    def _draw(self) -> None:
        """Render the body to lines at the panel's width: its height is the scrolling height."""
        width = self.scrollable_content_region.width
        if not self.is_mounted or width <= 0:
            return
        console = self.app.console
        lines = console.render_lines(
            self._body, console.options.update_width(width), style=self.rich_style, pad=True
        )
        self._lines = [Strip(line, width) for line in lines]
        self.virtual_size = Size(width, len(self._lines))
        self.refresh()

    def watch_virtual_size(self, size: Size) -> None:
        self._scroll_update(size)

    def on_resize(self) -> None:
        self._draw()

    def render_line(self, y: int) -> Strip:
        index = int(self.scroll_y) + y
        if index < len(self._lines):
            return self._lines[index]
        return Strip.blank(self.scrollable_content_region.width, self.rich_style)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()
        if not self.is_mounted:
            return
        if self.shown is not None:  # its colours come from the styles
            self._render_body()
        else:
            self._draw()

    def _empty(self) -> Text:
        return Text(f"No {self.kind.noun} selected.", style="dim")
