"""The lead table: a million leads, and only the lines on screen are ever built.

A Line API ``ScrollView`` (like Toolong's log view): its virtual height is the number of leads,
``render_line`` draws one line from a small cache of pages, and a ``PageLoader`` thread reads
the pages the screen needs next. Moving the cursor never runs SQL on the UI thread: a row not
read yet shows as a placeholder for the few milliseconds until its page arrives.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Container
from concurrent.futures import Future
from dataclasses import replace
from itertools import groupby
from operator import itemgetter

from rich.segment import Segment
from rich.style import Style
from textual import events, work
from textual.cache import LRUCache
from textual.geometry import Region, Size, clamp
from textual.reactive import Reactive, var
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.timer import Timer
from textual.worker import get_current_worker

from leadbox_tui.services.first_rows import FIRST_ROWS, FirstRows
from leadbox_tui.services.inbox import (
    COLUMNS,
    DEFAULT_COLUMNS,
    InboxFilter,
    InboxQuery,
    InboxSort,
    LeadRow,
)
from leadbox_tui.services.session import close_database
from leadbox_tui.ui import keymap
from leadbox_tui.ui.messages import (
    CursorMoved,
    LeadOpened,
    LeadsCounted,
    LeadsPageFailed,
    LeadsPageLoaded,
    LeadsTotalCounted,
    SortChanged,
)
from leadbox_tui.ui.widgets.component_styles import ComponentStyles
from leadbox_tui.ui.widgets.lead_cells import (
    LABEL_COLOURS,
    PLACEHOLDER_SPANS,
    Slot,
    Span,
    header_spans,
    label_class,
    layout,
    row_spans,
    slot_at,
)
from leadbox_tui.ui.widgets.page_loader import PageLoader, is_interruption

PAGE_SIZE = FIRST_ROWS  # about a screenful: the first page of a view comes fast
CACHED_PAGES = 32
COUNT_AFTER = 0.25  # a view is counted once it stayed this long (ticks in the filter bar)
# a view typed in the search box is counted, and its first lead announced (and read by the
# detail panel), once the typing paused this long: not between two keys typed
TYPING_PAUSE = 0.5
PLACEHOLDERS_AFTER = 0.15  # a new view's rows not read by then: placeholders in place of the old
HEADER_HEIGHT = 1


class LeadTable(ScrollView, can_focus=True, inherit_bindings=False):
    """The inbox rows for one filter and sort, with a cursor. Messages up, no writes.

    ``cursor`` is a reactive the screen watches: a watcher runs in the key's own call, so the
    status line's "Lead N of M" is drawn in the same frame as the rows (a message, bubbling up
    one queue at a time, came a frame later: Textual's next frame is 17-33 ms on)."""

    BINDINGS = keymap.bindings("table")
    cursor: var[int] = var(0)  # the row the cursor is on
    # the number of rows: the table's height is the screen's and its scroll bar always shown
    # (app.tcss), so a new number redraws the scroll bar, not the whole screen laid out again
    # (at each count, and at the first rows of each search key typed after a count)
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)
    COMPONENT_CLASSES = {
        "lead-table--header",
        "lead-table--header-sorted",
        "lead-table--cursor",
        "lead-table--unseen",
        "lead-table--marker",
        "lead-table--overdue",
        "lead-table--today",
        "lead-table--planned",
        "lead-table--no-activity",
        "lead-table--placeholder",
        "lead-table--selected",
        *(label_class(colour) for colour in LABEL_COLOURS),
    }

    def __init__(
        self,
        filter: InboxFilter | None = None,
        sort: InboxSort | None = None,
        *,
        columns: tuple[str, ...] = DEFAULT_COLUMNS,
        first_rows: FirstRows | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self._first_rows = first_rows  # read since the inbox opened: the first page, if the view
        self.columns = columns
        self.marked: Container[int] = frozenset()  # the selected leads (the screen's selection)
        self.total: int | None = None  # unknown until the first page of a view arrives
        self._query = InboxQuery(filter or InboxFilter(), sort or InboxSort())
        self._generation = 0
        self._count_after_rows = False  # count the view when its first page arrives
        self._count_later: Timer | None = None
        self._placeholders: Timer | None = None
        self._typed = False  # the view of a search being typed
        self._announce_later: Timer | None = None
        self._pages: LRUCache[int, list[LeadRow]] = LRUCache(CACHED_PAGES)
        # each row's line, by the row's content: the rows a search shows again after a key
        # typed (most of them, from the second or third letter) are not drawn again
        self._strips: LRUCache[tuple[LeadRow, bool, bool, int], Strip] = LRUCache(1024)
        self._loader = PageLoader(PAGE_SIZE, self.post_message)
        self._reading_ahead_soon = False  # pages to read ahead, asked for after the frame
        self._announced: tuple[int, int | None] | None = None
        self._today = dt.date.today()
        self._base_style = Style()
        self._width = 0
        self._styles = ComponentStyles(self)

    # -- what the screen asks of the table ------------------------------------------------

    @property
    def filter(self) -> InboxFilter:
        return self._query.filter

    @property
    def sort(self) -> InboxSort:
        return self._query.sort

    @property
    def current_lead_id(self) -> int | None:
        row = self.row_at(self.cursor)
        return row.id if row else None

    def row_at(self, index: int) -> LeadRow | None:
        """The row at ``index`` if its page is here; never reads the database."""
        page = self._pages.get(index // PAGE_SIZE)
        if page is None:
            return None
        offset = index % PAGE_SIZE
        return page[offset] if offset < len(page) else None

    def show(
        self,
        filter: InboxFilter | None = None,
        sort: InboxSort | None = None,
        *,
        typed: bool = False,
    ) -> None:
        """Show another view (archived leads, another sort) from its first row. A filter given
        is read afresh, even one equal to the shown one (a search planned again). A view
        ``typed`` in the search box is counted, and says which lead its cursor is on, once the
        typing pauses (``TYPING_PAUSE``): the count, and the detail panel reading and drawing
        each key's first lead (a frame of 20-40 ms), fell on the next key."""
        if filter is None or filter is self.filter:  # the same leads: the count carries over
            self._start_view(self._query.with_sort(sort or self.sort))
        else:
            self._start_view(InboxQuery(filter, sort or self.sort))
            self.total = None
        self._typed = typed
        self.cursor = 0
        self.scroll_to(y=0, animate=False)
        self._request_pages()
        self._draw_when_read()

    def reload(self) -> None:
        """Read the view again after a write: same filter, sort and cursor row, counted anew."""
        self._start_view(InboxQuery(self.filter, self.sort))
        self._request_pages()
        self._draw_when_read()

    def typing(self) -> None:
        """A key typed in the search box: the view it makes follows within milliseconds
        (``show``; the same view again if the search stayed the same). What was still to come
        of this one is dropped at once, not drawn over that view's first rows: its count (its
        SQLite read stopped where it is), pages read ahead, and saying which lead the cursor
        is on (which the detail panel would read and draw). Its rows stay on screen."""
        self._generation += 1  # what of this view is under way belongs to an older one now
        self._loader.want(self._generation, self._query, [])  # and is interrupted
        for timer in (self._count_later, self._announce_later):
            if timer is not None:
                timer.stop()

    def _draw_when_read(self) -> None:
        """Leave the rows on screen until the new view's rows come, usually a few tens of
        milliseconds: drawing placeholders meanwhile (a whole table each key typed in the
        search box) cost the UI thread as much as the rows, and slowed their read. A view
        slower than ``PLACEHOLDERS_AFTER`` shows them (the screen redrawn for another reason
        shows them sooner)."""
        self._placeholders = self.set_timer(PLACEHOLDERS_AFTER, self.refresh)

    def set_columns(self, columns: tuple[str, ...]) -> None:
        """Show these columns, in this order (the column chooser)."""
        self.columns = columns
        self._strips.clear()
        self.refresh()

    def refresh_marks(self) -> None:
        """The selection changed: draw its marks again (``marked`` says which leads)."""
        self._strips.clear()
        self.refresh()

    def mark_seen(self, lead_id: int) -> None:
        """Show a lead as opened at once; the write itself goes through the services."""
        for page_number in list(self._pages.keys()):
            rows = self._pages.get(page_number) or []
            for offset, row in enumerate(rows):
                if row.id == lead_id and not row.was_seen:
                    rows[offset] = replace(row, was_seen=True)
        self._strips.clear()
        self.refresh()

    # -- loading pages ---------------------------------------------------------------------

    def on_mount(self) -> None:
        self.run_worker(self._load_pages, thread=True, group="lead-pages", name="lead pages")
        self._count_after_rows = self._query.known_total is None
        if not self._take_first_rows():
            self._request_pages()

    def _take_first_rows(self) -> bool:
        """The rows ``leadbox`` began reading as the inbox opened, taken as this view's first
        page (when the view is still the one they were read for), so the first frame does not
        wait for a read of its own. The pages after it are asked for once it is stored."""
        ahead, self._first_rows = self._first_rows, None
        if ahead is None or (ahead.query.filter, ahead.query.sort) != (self.filter, self.sort):
            return False
        generation = self._generation

        def deliver(read: Future[list[LeadRow]]) -> None:
            try:
                rows = read.result()
            except Exception as error:  # a locked or broken file: said as any page would be
                self.post_message(LeadsPageFailed(generation, 0, str(error)))
                return
            total = len(rows) if len(rows) < PAGE_SIZE else None  # the whole view, counted
            self.post_message(LeadsPageLoaded(generation, 0, rows, total))

        ahead.rows.add_done_callback(deliver)
        return True

    def on_unmount(self) -> None:
        self._loader.stop()

    def watch_virtual_size(self, size: Size) -> None:
        self._scroll_update(size)

    def _load_pages(self) -> None:
        worker = get_current_worker()
        self._loader.run(lambda: worker.is_cancelled)

    def _start_view(self, query: InboxQuery) -> None:
        self._query = query
        self._generation += 1
        self._pages.clear()
        self._announced = None
        if self._today != dt.date.today():  # dates are drawn relative to today
            self._today = dt.date.today()
            self._strips.clear()
        self._count_after_rows = query.known_total is None
        for timer in (self._count_later, self._placeholders, self._announce_later):
            if timer is not None:
                timer.stop()
        self._typed, self._announce_later = False, None

    @work(thread=True, exclusive=True, group="lead-count")
    def _count(self, generation: int, query: InboxQuery) -> None:
        """Count the view beside the page loader, once its first rows are in: a slow count
        (a million leads with an e-mail) never holds them back, nor competes with them for
        the processor, and the seller reads and moves among them while it runs. A newer view
        stops it (``ViewReads``): the count of a search typed a key ago is of no use."""
        try:
            with self._loader.reads.reading(generation):
                if generation == self._generation:
                    self.post_message(LeadsTotalCounted(generation, query.total))
        except Exception as error:  # a locked or broken file: the rows say it already
            if generation == self._generation and not is_interruption(error):
                self.post_message(LeadsPageFailed(generation, 0, str(error)))
        finally:
            close_database()  # this worker thread's connection

    def on_leads_total_counted(self, message: LeadsTotalCounted) -> None:
        if message.generation == self._generation:
            self._counted(message.total)
            self._request_pages()

    def _counted(self, total: int) -> None:
        if total != self.total:
            self.total = total
            self.virtual_size = Size(0, total + HEADER_HEIGHT)
            self.cursor = clamp(self.cursor, 0, max(0, total - 1))
            self.post_message(LeadsCounted(total, self.filter, self.sort))
            self.refresh()

    def _extent(self) -> int:
        """How far the cursor may go: every lead once counted, else the first page's."""
        if self.total is not None:
            return self.total
        return len(self._pages.get(0) or ())

    def _visible_rows(self) -> int:
        return max(1, self.scrollable_content_region.height - HEADER_HEIGHT)

    def _rows_on_screen(self) -> tuple[int, int]:
        """The first and last row indexes the screen shows."""
        first = int(self.scroll_y)
        return first, first + self._visible_rows() - 1

    def _request_pages(self, ahead: bool = False) -> None:
        """Ask for the cursor's page, the pages on screen, one page either side, then those
        of the last screenful (``G`` finds its rows read, as ``g`` finds the first). When the
        screen has all it shows, the pages read ahead are asked for once the frame is drawn:
        their reading (Python, under the GIL) took the processor from the key's own frame."""
        first, last = self._rows_on_screen()
        shown = [self.cursor // PAGE_SIZE, *range(first // PAGE_SIZE, last // PAGE_SIZE + 1)]
        pages = [*shown, last // PAGE_SIZE + 1, first // PAGE_SIZE - 1]
        if self.total is not None:
            last_page = max(0, (self.total - 1) // PAGE_SIZE)
            end = range(max(0, self.total - self._visible_rows()) // PAGE_SIZE, last_page + 1)
            pages = [p for p in pages if 0 <= p <= last_page] + list(end)
        else:
            pages = pages[:1]  # the cursor's page while the count is under way
        wanted = list(dict.fromkeys(p for p in pages if p >= 0 and p not in self._pages))
        if ahead or any(page in wanted for page in shown):
            self._loader.want(self._generation, self._query, wanted)
        elif wanted and not self._reading_ahead_soon:
            self._reading_ahead_soon = True
            self.call_after_refresh(self._read_ahead)

    def _read_ahead(self) -> None:
        self._reading_ahead_soon = False
        self._request_pages(ahead=True)

    def _on_screen(self, page: int) -> bool:
        first, last = self._rows_on_screen()
        return first // PAGE_SIZE <= page <= last // PAGE_SIZE

    def on_leads_page_loaded(self, message: LeadsPageLoaded) -> None:
        if message.generation != self._generation:
            return
        if self._placeholders is not None:
            self._placeholders.stop()
        self._pages.set(message.page, message.rows)
        self._loader.stored(message.generation, message.page)
        if message.total is not None:
            self._counted(message.total)
        else:
            if self._count_after_rows:  # once the view stays a moment (not at each key typed)
                self._count_after_rows = False
                generation, query = self._generation, self._query
                self._count_later = self.set_timer(
                    TYPING_PAUSE if self._typed else COUNT_AFTER,
                    lambda: self._count(generation, query),
                )
            if self.total is None:  # the first rows before the count: room for them
                self.virtual_size = Size(0, self._extent() + HEADER_HEIGHT)
        if self._on_screen(message.page):  # a page read ahead, off screen, draws nothing
            self.refresh()
        if not self._typed:
            self._announce_cursor()
        elif self._announce_later is None:
            self._announce_later = self.set_timer(TYPING_PAUSE, self._typing_paused)
        self._request_pages()

    def _typing_paused(self) -> None:
        self._typed = False
        self._announce_cursor()

    def on_leads_page_failed(self, message: LeadsPageFailed) -> None:
        if message.generation == self._generation:
            self.notify(f"Could not read the leads: {message.error}", severity="error")

    def _announce_cursor(self) -> None:
        """Say where the cursor is, once per place: at once, and again when its lead is read."""
        announced = (self.cursor, self.current_lead_id)
        if announced != self._announced:
            self._announced = announced
            self.post_message(CursorMoved(*announced))

    # -- moving ----------------------------------------------------------------------------

    def move_to(self, index: int, scroll_by: int = 0) -> None:
        """Put the cursor on row ``index`` (clamped), scrolling as little as keeps it in view."""
        extent = self._extent()
        if not extent:
            return
        index = clamp(index, 0, extent - 1)
        old = self.cursor
        self.cursor = index
        visible = self._visible_rows()
        top = int(self.scroll_y) + scroll_by
        if index < top:
            top = index
        elif index >= top + visible:
            top = index - visible + 1
        if top != int(self.scroll_y):
            self.scroll_to(y=top, animate=False)
        else:
            self.refresh_line(old + HEADER_HEIGHT)
            self.refresh_line(index + HEADER_HEIGHT)
        self._request_pages()
        if self._announce_later is not None:  # moved by the seller: said at once from now on
            self._announce_later.stop()
        self._typed = False
        self._announce_cursor()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if self.is_mounted and round(old_value) != round(new_value):
            self._request_pages()

    def on_resize(self) -> None:
        self._strips.clear()
        self._request_pages()

    def action_cursor_down(self) -> None:
        self.move_to(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self.move_to(self.cursor - 1)

    def action_half_page_down(self) -> None:
        step = max(1, self._visible_rows() // 2)
        self.move_to(self.cursor + step, scroll_by=step)

    def action_half_page_up(self) -> None:
        step = max(1, self._visible_rows() // 2)
        self.move_to(self.cursor - step, scroll_by=-step)

    def action_page_down(self) -> None:
        step = self._visible_rows()
        self.move_to(self.cursor + step, scroll_by=step)

    def action_page_up(self) -> None:
        step = self._visible_rows()
        self.move_to(self.cursor - step, scroll_by=-step)

    def action_first(self) -> None:
        self.move_to(0)

    def action_last(self) -> None:
        if self.total:
            self.move_to(self.total - 1)

    def action_open(self) -> None:
        lead_id = self.current_lead_id
        if lead_id is not None:
            self.post_message(LeadOpened(lead_id))

    # -- sorting ---------------------------------------------------------------------------

    def sort_by(self, sort: InboxSort) -> None:
        self.show(sort=sort)
        self.post_message(SortChanged(sort))

    def action_next_sort(self) -> None:
        """The next column on screen that an index of the inbox reads in order: an added
        column (value, person...) would make SQLite sort the whole view, seconds at 1M leads."""
        sortable = [key for key in self.columns if COLUMNS[key].indexed]
        self.sort_by(self.sort.next_column(sortable or DEFAULT_COLUMNS))

    def action_reverse_sort(self) -> None:
        self.sort_by(self.sort.reversed())

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        if offset.y < HEADER_HEIGHT:
            slot = slot_at(self._slots(), offset.x)
            if slot is not None and not COLUMNS[slot.key].indexed:
                self.notify(f"The table does not sort by {COLUMNS[slot.key].title}.")
            elif slot is not None:
                same = slot.key == self.sort.column
                self.sort_by(self.sort.reversed() if same else InboxSort(slot.key, False))
            return
        index = int(self.scroll_y) + offset.y - HEADER_HEIGHT
        if self.total and index < self.total:
            if index == self.cursor:
                self.action_open()
            else:
                self.move_to(index)

    # -- drawing ---------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()
        self._strips.clear()

    def on_focus(self) -> None:
        self._styles.clear()
        self._strips.clear()

    def on_blur(self) -> None:
        self._styles.clear()
        self._strips.clear()

    def _slots(self) -> tuple[Slot, ...]:
        return layout(self.columns, self._width)  # cached: same columns, same width

    def _line(self, spans: list[Span], base: Style) -> Strip:
        """One line from its spans, a segment per run of one style (the gaps and padding
        between cells join their neighbours); a row or header that fills the width as laid out
        is not measured again."""
        width = self._width
        segments = [
            Segment("".join(text for text, _ in run), base + self._styles(style) if style else base)
            for style, run in groupby(spans, itemgetter(1))  # one segment per run of a style
        ]
        slots = self._slots()
        if spans is not PLACEHOLDER_SPANS and slots[-1].x + slots[-1].width == width:
            return Strip(segments, width)
        return Strip(segments).adjust_cell_length(width, base)

    def render_lines(self, crop: Region) -> list[Strip]:
        """The lines straight from ``render_line``, through the app's line filters: the table
        has no border, padding, tint or opacity for Textual's styles cache to add, and a line
        drawn before keeps its filtered copy (``Strip.apply_filter`` caches it), so a page
        down costs the new rows, not a second pass over every line of the screen."""
        # looked up once a frame, not once a line: both walk the widget's styles
        self._base_style = self.rich_style
        self._width = self.scrollable_content_region.width  # the scrollbar has its own column
        background = self.background_colors[1]
        filters = self.get_line_filters()
        strips = []
        for y in crop.line_range:
            strip = self.render_line(y)
            for line_filter in filters:
                strip = strip.apply_filter(line_filter, background)
            strips.append(strip)
        if crop.column_span != (0, self._width):
            return [strip.crop(*crop.column_span) for strip in strips]
        return strips

    def render_line(self, y: int) -> Strip:
        base = self._base_style
        if y < HEADER_HEIGHT:
            spans = header_spans(self._slots(), self.sort)
            return self._line(spans, base + self._styles("lead-table--header"))
        index = int(self.scroll_y) + y - HEADER_HEIGHT
        if self.total is not None and index >= self.total:
            return Strip.blank(self._width, base)
        row = self.row_at(index)
        is_cursor = index == self.cursor
        selected = row is not None and row.id in self.marked
        if selected:
            base = base + self._styles("lead-table--selected")
        if is_cursor:
            base = base + self._styles("lead-table--cursor")
        if row is None:
            return self._line(PLACEHOLDER_SPANS, base)
        key = (row, is_cursor, selected, self._width)  # by content: kept from view to view
        strip = self._strips.get(key)
        if strip is None:
            spans = row_spans(row, self._slots(), self._today, selected)
            strip = self._strips[key] = self._line(spans, base)
        return strip
