"""Every action of the app in one registry: it makes the key bindings, the help and the palette.

A widget or screen takes its ``BINDINGS`` from here by scope; the help screen lists the registry
and the command palette offers it, so the three can never disagree. Binding ids are the
registry's ids, which a user key map can rebind later (``App.set_keymap``).
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding
from textual.keys import format_key


@dataclass(frozen=True)
class Command:
    id: str  # "<scope>.<name>": unique, the binding id
    keys: str  # Textual key names, comma separated: "j,down"
    action: str  # run on the node that binds it
    description: str  # short, for the footer and the help
    title: str = ""  # "Verb: object" for the palette; empty keeps it out of the palette
    show: bool = False  # in the footer
    key_display: str | None = None
    priority: bool = False

    @property
    def scope(self) -> str:
        return self.id.split(".", 1)[0]

    def binding(self) -> Binding:
        return Binding(
            self.keys,
            self.action,
            self.description,
            show=self.show,
            key_display=self.key_display,
            priority=self.priority,
            id=self.id,
        )


SCOPES = {
    "app": "Anywhere",
    "inbox": "Inbox",
    "table": "Lead table",
    "detail": "Detail panel",
    "help": "Help",
}

COMMANDS: tuple[Command, ...] = (
    Command("app.help", "question_mark", "help", "Help", "Help: keys", True, "?"),
    Command("app.quit", "q", "quit", "Quit", "App: quit", True),
    Command("app.quit_anywhere", "ctrl+q,ctrl+c", "quit", "Quit, even while typing", priority=True),
    # the footer shows this one on its right-hand side already
    Command("app.command_palette", "ctrl+p", "command_palette", "Commands", priority=True),
    Command(
        "inbox.toggle_archived", "A", "toggle_archived", "Archived", "View: archived leads", True
    ),
    Command(
        "inbox.switch_focus", "tab", "switch_focus", "Table/detail", "Focus: table or detail", True
    ),
    Command("inbox.back", "escape", "back", "Back", "Focus: back to the table", True),
    Command("table.cursor_down", "j,down", "cursor_down", "Next lead", "Move: next lead"),
    Command("table.cursor_up", "k,up", "cursor_up", "Previous lead", "Move: previous lead"),
    Command(
        "table.half_page_down",
        "ctrl+d",
        "half_page_down",
        "Half a page down",
        "Move: half a page down",
    ),
    Command(
        "table.half_page_up", "ctrl+u", "half_page_up", "Half a page up", "Move: half a page up"
    ),
    Command("table.page_down", "pagedown", "page_down", "Page down", "Move: page down"),
    Command("table.page_up", "pageup", "page_up", "Page up", "Move: page up"),
    Command("table.first", "g,home", "first", "First lead", "Move: first lead"),
    Command("table.last", "G,end", "last", "Last lead", "Move: last lead"),
    Command("table.open", "enter", "open", "Open", "Lead: open in the detail panel", True),
    Command("table.next_sort", "s", "next_sort", "Sort", "Sort: next column", True),
    Command("table.reverse_sort", "r", "reverse_sort", "Reverse", "Sort: reverse order", True),
    Command("detail.scroll_down", "j,down", "scroll_down", "Scroll down", "Detail: scroll down"),
    Command("detail.scroll_up", "k,up", "scroll_up", "Scroll up", "Detail: scroll up"),
    Command("detail.page_down", "pagedown,ctrl+d", "page_down", "Page down", "Detail: page down"),
    Command("detail.page_up", "pageup,ctrl+u", "page_up", "Page up", "Detail: page up"),
    Command("detail.top", "g,home", "scroll_home", "Top", "Detail: top"),
    Command("detail.bottom", "G,end", "scroll_end", "Bottom", "Detail: bottom"),
    Command("help.close", "escape,q,question_mark", "close", "Close", "Help: close", True),
    Command("help.scroll_down", "j,down", "scroll_down", "Scroll down", "Help: scroll down"),
    Command("help.scroll_up", "k,up", "scroll_up", "Scroll up", "Help: scroll up"),
)
BY_ID = {command.id: command for command in COMMANDS}


def bindings(scope: str) -> list[Binding]:
    """The ``BINDINGS`` of the node that owns ``scope``."""
    return [command.binding() for command in COMMANDS if command.scope == scope]


def key_names(keys: str) -> str:
    """Keys as the help shows them: "g,home" -> "g  home"."""
    shown = []
    for key in keys.split(","):
        *modifiers, name = key.split("+")
        name = format_key(name)
        if "ctrl" in modifiers:
            modifiers.remove("ctrl")
            name = f"^{name}"
        shown.append("+".join([*modifiers, name]))
    return "  ".join(shown)
