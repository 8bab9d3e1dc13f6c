"""The groups of likely duplicates: each with its kind, score and reasons, then its members.

A scan of a large inbox finds thousands of groups (15,852 in a 100,000-lead demo), so the list is
drawn through the Line API like the lead table: the groups' first lines are summed once, and
``render_line`` builds only the lines on screen. The screen's keys move its cursor, a group at a
time; the list binds no keys of its own.
"""

from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import OptionList

from leadbox_tui.services.duplicates import DuplicateGroup, Member
from leadbox_tui.ui.literal import one_line
from leadbox_tui.ui.widgets.component_styles import ComponentStyles

KIND_NAMES = {"lead": "Leads", "person": "People", "organization": "Organisations"}


def member_line(member: Member, id_style: Style | str = "dim") -> Text:
    """ "#369     Framework agreement  (Anna Dudek)" for a lead, "#57      Ute Weber" otherwise."""
    line = Text()
    line.append(f"#{member.id:<8}", style=id_style)
    if member.title is None:
        line.append(one_line(member.name) or "(no name)")
    else:
        line.append(one_line(member.title) or "(no title)")
        if member.name:
            line.append(f"  ({one_line(member.name)})", style=id_style)
    return line


def group_height(group: DuplicateGroup) -> int:
    """Its headline, a line per member, and a blank line after it."""
    return len(group.members) + 2


class DuplicateGroupsView(ScrollView, can_focus=True, inherit_bindings=False):
    """The groups, most certain first, with a cursor on one group."""

    COMPONENT_CLASSES = {
        "duplicate-groups--cursor",
        "duplicate-groups--kind",
        "duplicate-groups--reasons",
        "duplicate-groups--muted",
    }

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.groups: list[DuplicateGroup] = []
        self.cursor = 0
        self._starts: list[int] = [0]  # the first line of each group, then the end
        self._styles = ComponentStyles(self)

    # -- what the screen asks --------------------------------------------------------------

    @property
    def current(self) -> DuplicateGroup | None:
        return self.groups[self.cursor] if self.cursor < len(self.groups) else None

    def show(self, groups: list[DuplicateGroup]) -> None:
        self.groups = list(groups)
        self.cursor = 0
        self._measure()
        self.scroll_to(y=0, animate=False)

    def replace(self, group: DuplicateGroup, new: DuplicateGroup | None) -> None:
        """Show ``new`` in place of ``group``, or drop ``group`` (merged, or not duplicates)."""
        if group not in self.groups:
            return
        index = self.groups.index(group)
        if new is None:
            del self.groups[index]
        else:
            self.groups[index] = new
        self._measure()
        self.move_to(min(self.cursor, len(self.groups) - 1))

    def _measure(self) -> None:
        self._starts = [0, *accumulate(group_height(g) for g in self.groups)]
        self.virtual_size = Size(self.size.width, self._starts[-1])
        self.refresh()

    # -- moving ----------------------------------------------------------------------------

    def move_to(self, index: int) -> None:
        """Put the cursor on group ``index`` (clamped), scrolling as little as shows it whole."""
        if not self.groups:
            self.cursor = 0
            return
        self.cursor = max(0, min(len(self.groups) - 1, index))
        top, end = self._starts[self.cursor], self._starts[self.cursor + 1] - 1  # not its blank
        height = self.scrollable_content_region.height
        if top < self.scroll_y:
            self.scroll_to(y=top, animate=False)
        elif end > self.scroll_y + height:
            self.scroll_to(y=max(top, end - height), animate=False)
        self.refresh()

    def group_at_line(self, line: int) -> int:
        return max(0, bisect_right(self._starts, line) - 1)

    def move_by_page(self, pages: int) -> None:
        height = self.scrollable_content_region.height
        line = self._starts[self.cursor] + pages * height
        self.move_to(self.group_at_line(max(0, line)))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is not None and self.groups:
            line = int(self.scroll_y) + offset.y
            if line < self._starts[-1]:
                self.move_to(self.group_at_line(line))

    # -- drawing ---------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()

    def on_focus(self) -> None:
        self._styles.clear()
        self.refresh()

    def on_blur(self) -> None:
        self._styles.clear()
        self.refresh()

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, self._starts[-1])

    def _text(self, group: DuplicateGroup, offset: int) -> Text:
        """Line ``offset`` of a group: its headline, then its members."""
        if offset == 0:
            line = Text()
            line.append(
                f"{KIND_NAMES[group.kind]} · {group.score}", self._styles("duplicate-groups--kind")
            )
            line.append(f"  {', '.join(group.reasons)}", self._styles("duplicate-groups--reasons"))
            return line
        return Text("    ") + member_line(
            group.members[offset - 1], self._styles("duplicate-groups--muted")
        )

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        line = int(self.scroll_y) + y
        if line >= self._starts[-1]:
            return Strip.blank(width, base)
        index = self.group_at_line(line)
        group, offset = self.groups[index], line - self._starts[index]
        if offset > len(group.members):
            return Strip.blank(width, base)  # the blank line after the group
        if index == self.cursor:
            base = base + self._styles("duplicate-groups--cursor")
        text = Text(" ") + self._text(group, offset)
        segments = Segment.apply_style(text.render(self.app.console, end=""), base)
        return Strip(list(segments)).crop_extend(0, width, base)


class MemberList(OptionList, inherit_bindings=False):
    """The members of one group as a short list, moved by its modal's keys."""
