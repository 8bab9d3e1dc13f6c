"""The detail panel beside the table: everything about the lead under the cursor, read-only.

It follows the cursor without chasing it: a load starts only once the cursor has rested for a
moment, in a thread worker, and a lead that arrives after the cursor moved on is dropped, so
holding ``j`` never queues hundreds of reads and the newest lead always wins.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.containers import VerticalScroll
from textual.timer import Timer
from textual.widgets import Static

from leadbox_tui.services.detail import lead_detail
from leadbox_tui.services.session import close_database
from leadbox_tui.ui import keymap
from leadbox_tui.ui.messages import DetailLoaded
from leadbox_tui.ui.widgets.component_styles import ComponentStyles
from leadbox_tui.ui.widgets.detail_view import render_detail
from leadbox_tui.ui.widgets.lead_cells import ACTIVITY_CLASSES, LABEL_COLOURS, label_class

SETTLE_SECONDS = 0.08  # how long the cursor rests before the panel reads its lead


class DetailPanel(VerticalScroll, can_focus=True, inherit_bindings=False):
    BINDINGS = keymap.bindings("detail")
    COMPONENT_CLASSES = {
        "detail-panel--title",
        "detail-panel--heading",
        "detail-panel--field",
        "detail-panel--muted",
        *ACTIVITY_CLASSES.values(),
        *(label_class(colour) for colour in LABEL_COLOURS),
    }

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.lead_id: int | None = None  # the lead the panel is showing or about to show
        self.shown_id: int | None = None  # the lead it shows now
        self._settle: Timer | None = None
        self._styles = ComponentStyles(self)

    def compose(self):
        yield Static(self._empty(), id="detail-body")

    def follow(self, lead_id: int) -> None:
        """The cursor is on ``lead_id`` now: show it once the cursor stops there."""
        if lead_id == self.lead_id:
            return
        self.lead_id = lead_id
        if self._settle is not None:
            self._settle.stop()
        self._settle = self.set_timer(SETTLE_SECONDS, self._load_wanted)

    def show_now(self, lead_id: int) -> None:
        """Read ``lead_id`` at once (the seller opened it), again if it may have changed."""
        self.lead_id = lead_id
        if self._settle is not None:
            self._settle.stop()
        self._load(lead_id)

    def clear(self) -> None:
        self.lead_id = self.shown_id = None
        if self._settle is not None:
            self._settle.stop()
        self.query_one("#detail-body", Static).update(self._empty())

    def _load_wanted(self) -> None:
        if self.lead_id is not None:
            self._load(self.lead_id)

    @work(thread=True, exclusive=True, group="lead-detail")
    def _load(self, lead_id: int) -> None:
        try:
            self.post_message(DetailLoaded(lead_id, lead_detail(lead_id)))
        except Exception as error:  # a locked or broken file: the panel says so
            self.post_message(DetailLoaded(lead_id, None, str(error)))
        finally:
            close_database()  # this worker thread's connection

    def on_detail_loaded(self, message: DetailLoaded) -> None:
        if message.lead_id != self.lead_id:
            return  # the cursor has moved on
        body = self.query_one("#detail-body", Static)
        if message.detail is None:
            why = f"Could not read this lead: {message.error}" if message.error else "No such lead."
            body.update(Text(why, style=self._styles("detail-panel--muted")))
        else:
            body.update(render_detail(message.detail, self._styles))
        self.shown_id = message.lead_id
        self.scroll_home(animate=False)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()

    def _empty(self) -> Text:
        return Text("No lead selected.", style="dim")
