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
    # duplicates and merge
    "duplicates": "Duplicates",
    "pick": "Merge: pick the other lead",
    "pick_two": "Merge: pick two of a group",
    "merge": "Merge: field by field",
    # import and export
    "import": "Import",
    "mapping": "Import: columns",
    "rows": "Import: tables",
    "export": "Export",
    "path": "File path",
    "dialog": "Dialogs",
    "toggle": "Check boxes",
    # triage, part A
    "confirm": "Questions",
    "form": "Forms",
    "suggest": "Forms: contact suggestions",
    "mention": "Note: @mentions",
    "pick_labels": "Labels of a lead",
    "labels": "Labels: manage",
    "trash": "Trash",
    # triage, part B
    "filterbar": "Filter bar",
    "choices": "Lists",
    "search": "Search",
    "saved": "Saved filters",
    "builder": "Custom filter",
    "columns": "Columns",
    "bulk": "Bulk edit",
    # convert: leads to deals and back, the deals screen and board
    "convert": "Convert to a deal",
    "deals": "Deals",
    "board": "Deals: board",
    "contacts": "Contacts",
    "pipelines": "Pipelines and stages",
}

# The inbox's footer shows the seven keys a newcomer needs (n, f, /, s, u, ?, q) and esc while it
# means something; ? lists the rest. STYLE: 6-8 keys, readable at 120 columns.
COMMANDS: tuple[Command, ...] = (
    Command("app.help", "question_mark", "help", "Help", "Help: keys", True, "?"),
    Command("app.quit", "q", "quit", "Quit", "App: quit", True),
    Command("app.quit_anywhere", "ctrl+q,ctrl+c", "quit", "Quit, even while typing", priority=True),
    # the footer shows this one on its right-hand side already
    Command("app.command_palette", "ctrl+p", "command_palette", "Commands", priority=True),
    Command("inbox.toggle_archived", "A", "toggle_archived", "Archived", "View: archived leads"),
    Command("inbox.switch_focus", "tab", "switch_focus", "Table/detail", "Focus: table or detail"),
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
    Command("table.open", "enter", "open", "Open", "Lead: open in the detail panel"),
    Command("table.next_sort", "s", "next_sort", "Sort", "Sort: next column", True),
    Command("table.reverse_sort", "r", "reverse_sort", "Reverse", "Sort: reverse order"),
    # the detail panel moves between its fields, notes and activities (triage part A)
    Command("detail.next_item", "j,down", "next_item", "Next item", "Detail: next item"),
    Command(
        "detail.previous_item", "k,up", "previous_item", "Previous item", "Detail: previous item"
    ),
    Command("detail.page_down", "pagedown,ctrl+d", "page_down", "Page down", "Detail: page down"),
    Command("detail.page_up", "pageup,ctrl+u", "page_up", "Page up", "Detail: page up"),
    Command("detail.top", "g,home", "scroll_home", "Top", "Detail: top"),
    Command("detail.bottom", "G,end", "scroll_end", "Bottom", "Detail: bottom"),
    Command("help.close", "escape,q,question_mark", "close", "Close", "Help: close", True),
    Command("help.scroll_down", "j,down", "scroll_down", "Scroll down", "Help: scroll down"),
    Command("help.scroll_up", "k,up", "scroll_up", "Scroll up", "Help: scroll up"),
    # triage, part A: add and edit leads, notes, activities, labels, archive, delete, undo, trash
    Command("inbox.new_lead", "n", "new_lead", "New", "Lead: add a new lead", True),
    Command("inbox.edit", "e", "edit", "Edit", "Lead: edit a field"),
    Command("inbox.add_note", "N", "add_note", "Note", "Lead: add a note"),
    Command("inbox.schedule", "t", "schedule", "Activity", "Lead: schedule an activity"),
    Command("inbox.labels", "l", "labels", "Labels", "Lead: labels"),
    Command("inbox.archive", "a", "archive", "Archive", "Lead: archive or unarchive"),
    Command("inbox.delete", "d", "delete", "Delete", "Lead: delete (to the trash)"),
    Command("inbox.undo", "u", "undo", "Undo", "Edit: undo the last action", True),
    Command("inbox.trash", "T", "trash", "Trash", "View: trash"),
    Command("inbox.manage_labels", "L", "manage_labels", "Manage labels", "Labels: manage"),
    Command("detail.pin_note", "p", "screen.pin_note", "Pin", "Note: pin or unpin", True),
    Command(
        "detail.mark_done", "x", "screen.mark_done", "Done", "Activity: done or not done", True
    ),
    Command("confirm.yes", "y,enter", "yes", "Yes", "Confirm: yes", True),
    Command("confirm.no", "n,escape", "no", "No", "Confirm: no", True),
    Command("form.save", "ctrl+s", "save", "Save", "Form: save", True, priority=True),
    Command(
        "form.save_new",
        "ctrl+n",
        "save_new",
        "Save and new",
        "Form: save and add another",
        True,
        priority=True,
    ),
    Command("form.cancel", "escape", "cancel", "Cancel", "Form: cancel", True),
    Command("form.next_field", "tab", "app.focus_next", "Next field"),
    Command("form.previous_field", "shift+tab", "app.focus_previous", "Previous field"),
    Command("suggest.next", "down", "next_suggestion", "Next suggestion"),
    Command("suggest.previous", "up", "previous_suggestion", "Previous suggestion"),
    Command("suggest.choose", "enter", "choose", "Link to the suggested contact, or next field"),
    Command("mention.next", "down", "next_mention", "Next person to mention"),
    Command("mention.previous", "up", "previous_mention", "Previous person to mention"),
    Command(
        "mention.choose", "tab,enter", "choose_mention", "Mention the person offered", priority=True
    ),
    Command("pick_labels.toggle", "space", "select", "Tick or untick", "Labels: tick or untick"),
    Command("pick_labels.apply", "enter", "screen.apply", "Apply", "Labels: apply", True),
    Command("pick_labels.cancel", "escape", "screen.cancel", "Cancel", "Labels: cancel", True),
    Command("labels.new", "n", "new_label", "New", "Labels: new label", True),
    Command("labels.rename", "r", "rename_label", "Rename", "Labels: rename", True),
    Command("labels.recolour", "c", "recolour_label", "Colour", "Labels: change colour", True),
    Command("labels.delete", "d", "delete_label", "Delete", "Labels: delete", True),
    Command("labels.close", "escape", "close", "Close", "Labels: close", True),
    Command("trash.restore", "r,enter", "restore", "Restore", "Trash: restore the lead", True),
    Command("trash.undo", "u", "undo", "Undo", "Edit: undo the last action", True),
    Command("trash.back", "escape", "back", "Back", "View: back to the inbox", True),
    # duplicates and merge: the inbox's keys, the duplicates screen, the pickers, the merge view
    Command("inbox.merge", "m", "merge_lead", "Merge", "Lead: merge with another lead"),
    Command("inbox.duplicates", "D", "duplicates", "Duplicates", "View: duplicates"),
    Command("duplicates.cursor_down", "j,down", "cursor_down", "Next group", "Move: next group"),
    Command("duplicates.cursor_up", "k,up", "cursor_up", "Previous group", "Move: previous group"),
    Command("duplicates.page_down", "pagedown,ctrl+d", "page_down", "Page down", "Move: page down"),
    Command("duplicates.page_up", "pageup,ctrl+u", "page_up", "Page up", "Move: page up"),
    Command("duplicates.first", "g,home", "first", "First group", "Move: first group"),
    Command("duplicates.last", "G,end", "last", "Last group", "Move: last group"),
    Command("duplicates.merge", "m", "merge", "Merge", "Duplicates: merge two of the group", True),
    Command(
        "duplicates.dismiss",
        "x",
        "not_duplicates",
        "Not duplicates",
        "Duplicates: not duplicates, do not offer again",
        True,
    ),
    Command("duplicates.rescan", "r", "rescan", "Scan again", "Duplicates: scan again", True),
    Command("duplicates.undo", "u", "undo", "Undo", "Edit: undo the last action", True),
    Command(
        "duplicates.back", "escape", "back", "Back", "View: back to the inbox (stops a scan)", True
    ),
    Command(
        "pick.cursor_down", "down", "cursor_down", "Next lead", "Pick: next lead", priority=True
    ),
    Command(
        "pick.cursor_up", "up", "cursor_up", "Previous lead", "Pick: previous lead", priority=True
    ),
    Command(
        "pick.choose", "enter", "choose", "Merge with it", "Pick: this lead", True, priority=True
    ),
    Command("pick.cancel", "escape", "cancel", "Cancel", "Pick: cancel", True, priority=True),
    Command("pick_two.cursor_down", "j,down", "cursor_down", "Next record", "Pick: next record"),
    Command("pick_two.cursor_up", "k,up", "cursor_up", "Previous record", "Pick: previous record"),
    Command("pick_two.mark", "space", "mark", "Mark", "Pick: mark or unmark", True),
    Command(
        "pick_two.choose",
        "enter",
        "choose",
        "Merge the two marked",
        "Pick: merge the two marked",
        True,
    ),
    Command("pick_two.cancel", "escape", "cancel", "Cancel", "Pick: cancel", True),
    Command("merge.cursor_down", "j,down", "cursor_down", "Next field", "Merge: next field"),
    Command("merge.cursor_up", "k,up", "cursor_up", "Previous field", "Merge: previous field"),
    Command(
        "merge.take_left", "h,left", "take_left", "Left value", "Merge: take the left value", True
    ),
    Command(
        "merge.take_right",
        "l,right",
        "take_right",
        "Right value",
        "Merge: take the right value",
        True,
    ),
    Command("merge.swap", "s", "swap", "Swap sides", "Merge: keep the other one", True),
    Command(
        "merge.scroll_down",
        "pagedown,ctrl+d",
        "scroll_down",
        "Preview down",
        "Merge: scroll the preview down",
    ),
    Command(
        "merge.scroll_up",
        "pageup,ctrl+u",
        "scroll_up",
        "Preview up",
        "Merge: scroll the preview up",
    ),
    Command("merge.confirm", "enter", "confirm", "Merge", "Merge: confirm", True),
    Command("merge.cancel", "escape", "cancel", "Cancel", "Merge: cancel", True),
    # import and export: the inbox's keys, the import wizard and its tables, the export dialog
    Command("inbox.import", "i", "import_file", "Import", "Import: leads from a file"),
    Command("inbox.export", "X", "export_leads", "Export", "Export: the leads in view"),
    Command("import.next", "ctrl+n", "next_step", "Next", "Import: next step", True, priority=True),
    Command("import.run", "ctrl+n", "run_import", "Import", "Import: run it", True, priority=True),
    Command("import.back", "escape", "previous_step", "Back", "Import: previous step", True),
    Command("import.stop", "escape", "stop", "Stop", "Import: stop", True),
    Command("import.close", "escape", "close", "Close", "Import: close", True),
    Command("import.undo", "u", "undo_import", "Undo the import", "Import: undo it", True),
    Command(
        "import.save_mapping", "s", "save_mapping", "Save mapping", "Import: save the mapping", True
    ),
    Command(
        "import.load_mapping",
        "l",
        "load_mapping",
        "Load mapping",
        "Import: use a saved mapping",
        True,
    ),
    Command(
        "import.notes",
        "n",
        "toggle_notes",
        "Unmapped → note",
        "Import: columns not imported go into the note",
        True,
    ),
    Command(
        "mapping.change", "enter", "change_field", "Change field", "Import: change a field", True
    ),
    Command("rows.cursor_down", "j,down", "cursor_down", "Next row"),
    Command("rows.cursor_up", "k,up", "cursor_up", "Previous row"),
    Command("rows.first", "g", "scroll_top", "First row"),
    Command("rows.last", "G", "scroll_bottom", "Last row"),
    Command("export.run", "enter", "run", "Export", "Export: write the file", True),
    Command("export.stop", "escape", "stop", "Stop", "Export: stop", True),
    Command("export.cancel", "escape", "cancel", "Cancel", "Export: cancel", True),
    Command("path.complete", "tab", "complete", "Complete the path"),
    Command("dialog.cancel", "escape", "cancel", "Cancel", show=True),
    Command("toggle.toggle", "space", "toggle_button", "Tick or untick", show=True),
    # triage, part B: filter bar, search, saved filters and their builder, columns, selection
    # and bulk actions. With a selection, e/l/a/d on the table act on it; without one the
    # table lets them through to the lead's own keys above.
    Command("inbox.filter_bar", "f", "open_filter_bar", "Filter", "Filter: open the bar", True),
    Command("inbox.saved_filters", "F", "saved_filters", "Saved filters", "Filter: saved filters"),
    Command("inbox.search", "slash", "search", "Search", "Search: leads", True, "/"),
    Command(
        "inbox.assign_owner",
        "o",
        "assign_owner",
        "Owner",
        "Lead: assign an owner (to the selection, if any)",
    ),
    Command("inbox.choose_columns", "C", "choose_columns", "Columns", "Table: choose columns"),
    Command(
        "table.toggle_selected",
        "space",
        "screen.toggle_selected",
        "Select",
        "Select: this lead, or unselect it",
    ),
    Command(
        "table.extend_selection",
        "v",
        "screen.extend_selection",
        "Select range",
        "Select: from the lead last selected to here",
    ),
    Command(
        "table.select_all",
        "asterisk",
        "screen.select_all",
        "Select all",
        "Select: every lead the filter matches",
        key_display="*",
    ),
    Command(
        "table.clear",
        "escape",
        "screen.clear_layer",
        "Clear",
        "Clear: the selection, else the search, else the filter",
        True,
    ),
    Command(
        "table.bulk_edit", "e", "screen.bulk_edit", "Bulk edit", "Selection: edit a field", True
    ),
    Command(
        "table.bulk_labels",
        "l",
        "screen.bulk_labels",
        "Labels of the selection",
        "Selection: add or remove labels",
    ),
    Command(
        "table.bulk_archive",
        "a",
        "screen.bulk_archive",
        "Archive the selection",
        "Selection: archive or unarchive",
    ),
    Command(
        "table.bulk_delete",
        "d",
        "screen.bulk_delete",
        "Delete the selection",
        "Selection: delete (to the trash)",
    ),
    Command("filterbar.close", "escape", "close", "Close", show=True),
    Command("filterbar.clear", "x", "clear", "Clear all", show=True),
    Command("filterbar.next_list", "tab,right,l", "next_list", "Next list", show=True),
    Command("filterbar.previous_list", "shift+tab,left,h", "previous_list", "Previous list"),
    Command("choices.down", "j,down", "cursor_down", "Next"),
    Command("choices.up", "k,up", "cursor_up", "Previous"),
    Command("choices.first", "g,home", "first", "First"),
    Command("choices.last", "G,end", "last", "Last"),
    Command("choices.choose", "space,enter", "select", "Choose or tick", show=True),
    Command(
        "search.done",
        "enter,down",
        "done",
        "To the table",
        show=True,
        key_display="⏎",
        priority=True,
    ),
    Command("search.cancel", "escape", "cancel", "Clear the search", show=True, priority=True),
    Command("saved.favourite", "f", "favourite", "Favourite", "Saved filter: favourite", True),
    Command("saved.rename", "r", "rename", "Rename", "Saved filter: rename", True),
    Command("saved.edit", "e", "edit", "Edit", "Saved filter: edit", True),
    Command("saved.new", "n", "new", "New", "Saved filter: new custom filter", True),
    Command("saved.delete", "d", "delete", "Delete", "Saved filter: delete", True),
    Command("saved.close", "escape", "close", "Close", "Saved filters: close", True),
    Command("builder.save", "ctrl+s", "save", "Save", show=True, priority=True),
    Command("builder.add_all", "ctrl+n", "add_all", "Add to all of", show=True, priority=True),
    Command("builder.add_any", "ctrl+o", "add_any", "Add to any of", show=True, priority=True),
    Command("builder.remove", "ctrl+r", "remove", "Remove condition", show=True, priority=True),
    Command("builder.cancel", "escape", "cancel", "Cancel", show=True),
    Command("columns.move_up", "K,shift+up", "move_up", "Move up", show=True),
    Command("columns.move_down", "J,shift+down", "move_down", "Move down", show=True),
    Command("columns.reset", "r", "reset", "Defaults", show=True),
    Command("columns.apply", "ctrl+s", "apply", "Apply", show=True, priority=True),
    Command("columns.cancel", "escape", "cancel", "Cancel", show=True),
    Command("bulk.apply", "ctrl+s", "apply", "Apply", show=True, priority=True),
    Command("bulk.cancel", "escape", "cancel", "Cancel", show=True),
    # convert: leads to deals (c, with the selection too), the convert dialogs
    Command(
        "inbox.convert",
        "c",
        "convert",
        "Convert",
        "Lead: convert to a deal (the selection, if any)",
    ),
    Command("convert.save", "ctrl+s", "save", "Convert", show=True, priority=True),
    Command("convert.cancel", "escape", "cancel", "Cancel", show=True),
    # convert: the deals screen (2) and the board of a pipeline (b)
    Command("inbox.deals", "2", "deals", "Deals", "View: deals"),
    Command("deals.leads", "1,escape", "leads", "Leads", "View: leads (the inbox)", True),
    Command("deals.won", "W", "won", "Won", "Deal: mark won", True),
    Command("deals.lost", "L", "lost", "Lost", "Deal: mark lost, with a reason", True),
    Command("deals.reopen", "O", "reopen", "Reopen", "Deal: reopen (neither won nor lost)"),
    Command("deals.delete", "d", "delete", "Delete", "Deal: delete"),
    Command("deals.deleted", "T", "toggle_deleted", "Deleted", "View: deleted deals"),
    Command("deals.restore", "R", "restore", "Restore", "Deal: restore a deleted deal", True),
    Command(
        "deals.to_lead",
        "c",
        "to_lead",
        "To lead",
        "Deal: convert back to a lead (or up to 100)",
        True,
    ),
    Command(
        "deals.filtered_to_lead",
        "C",
        "filtered_to_lead",
        "All to leads",
        "Deals: convert every deal in view back to leads",
    ),
    Command(
        "deals.select", "space", "toggle_selected", "Select", "Select: this deal, or unselect it"
    ),
    Command("deals.board", "b", "board", "Board", "View: board of the pipeline", True),
    Command("deals.undo", "u", "undo", "Undo", "Edit: undo the last action", True),
    Command("board.down", "j,down", "down", "Next deal", "Board: next deal"),
    Command("board.up", "k,up", "up", "Previous deal", "Board: previous deal"),
    Command("board.next_column", "tab", "next_column", "Next stage", "Board: next stage", True),
    Command(
        "board.previous_column",
        "shift+tab",
        "previous_column",
        "Previous stage",
        "Board: previous stage",
    ),
    Command("board.move_right", "l,right", "move_right", "Move →", "Deal: to the next stage", True),
    Command(
        "board.move_left", "h,left", "move_left", "Move ←", "Deal: to the previous stage", True
    ),
    Command("board.next_pipeline", "p", "next_pipeline", "Pipeline", "Board: next pipeline", True),
    Command("board.won", "W", "won", "Won", "Deal: mark won (it leaves the board)", True),
    Command("board.lost", "L", "lost", "Lost", "Deal: mark lost, with a reason", True),
    Command("board.undo", "u", "undo", "Undo", "Edit: undo the last action", True),
    Command("board.back", "escape,b", "back", "Back", "View: back to the deals list", True),
    # convert: the contacts screen (3), a lead kept as a contact (K)
    Command("inbox.to_contact", "K", "to_contact", "To contact", "Lead: convert to a contact"),
    Command("inbox.contacts", "3", "contacts", "Contacts", "View: contacts"),
    Command("deals.contacts", "3", "contacts", "Contacts", "View: contacts"),
    Command("contacts.leads", "1,escape", "leads", "Leads", "View: leads (the inbox)", True),
    Command("contacts.deals", "2", "deals", "Deals", "View: deals", True),
    Command("contacts.search", "slash", "search", "Search", "Contacts: search", True, "/"),
    # convert: the deals' filter bar (f), pipelines and stages managed (P), a lead's deal opened
    Command("deals.filter_bar", "f", "open_filter_bar", "Filter", "Filter: deals", True),
    Command("deals.search", "slash", "search", "Search", "Search: deals", True, "/"),
    Command("deals.move_stage", "m", "move_stage", "Move", "Deal: move to a stage of any pipeline"),
    Command(
        "deals.pipelines", "P", "pipelines", "Pipelines", "Pipelines: manage pipelines and stages"
    ),
    Command(
        "board.pipelines", "P", "pipelines", "Pipelines", "Pipelines: manage pipelines and stages"
    ),
    Command("pipelines.new_stage", "n", "new_stage", "New stage", "Stage: add", True),
    Command("pipelines.new_pipeline", "N", "new_pipeline", "New pipeline", "Pipeline: add", True),
    Command("pipelines.rename", "r", "rename", "Rename", "Pipelines: rename the line", True),
    Command(
        "pipelines.move_up", "K,shift+up", "move_up", "Up", "Pipelines: move the line up", True
    ),
    Command(
        "pipelines.move_down", "J,shift+down", "move_down", "Down", "Pipelines: move the line down"
    ),
    Command("pipelines.remove", "d", "remove", "Remove", "Pipelines: remove the line", True),
    Command("pipelines.undo", "u", "undo", "Undo", "Edit: undo the last action", True),
    Command("pipelines.close", "escape", "close", "Close", "Pipelines: close", True),
    Command(
        "detail.open_deal",
        "enter",
        "screen.open_deal",
        "Open",
        "Detail: open the deal or lead the line names",
    ),
    # convert: the deal's detail panel, the inbox's keys on a deal
    Command("detail.back", "escape", "screen.back", "Back", "Focus: back to the table"),
    Command("deals.switch_focus", "tab", "switch_focus", "Table/detail", "Focus: table or detail"),
    Command("deals.edit", "e", "edit", "Edit", "Deal: edit the note, status or stage"),
    Command("deals.add_note", "N", "add_note", "Note", "Deal: add a note"),
    Command("deals.schedule", "t", "schedule", "Activity", "Deal: schedule an activity"),
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
