"""How a group of likely duplicates reads: its kind, score and reasons, then its members.

Shared by the duplicates screen's list and the "merge which two?" picker.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList

from leadbox_tui.services.duplicates import DuplicateGroup, Member
from leadbox_tui.ui.literal import one_line

KIND_NAMES = {"lead": "Leads", "person": "People", "organization": "Organisations"}


def member_line(member: Member) -> Text:
    """ "#369  Framework agreement  (Anna Dudek)" for a lead, "#57  Ute Weber" otherwise."""
    line = Text(f"#{member.id:<7} ", style="dim")
    if member.title is None:
        line.append(one_line(member.name) or "(no name)")
    else:
        line.append(one_line(member.title) or "(no title)")
        if member.name:
            line.append(f"  ({one_line(member.name)})", style="dim")
    return line


def group_prompt(group: DuplicateGroup) -> Text:
    """The group's headline, then one line per member."""
    text = Text()
    text.append(f"{KIND_NAMES[group.kind]} · {group.score}", style="bold")
    text.append(f"  {', '.join(group.reasons)}", style="italic")
    for member in group.members:
        text.append("\n    ")
        text.append_text(member_line(member))
    return text


class GroupList(OptionList, inherit_bindings=False):
    """Moved by its screen's keys (one registry of keys), so it binds none itself."""
