"""Form rows for the triage dialogs: a name, the control, and the field's message beside it.

A row is found by its field name (``#row-person``), so a service error that names the field to
blame (``LeadError.field``) lands on the right line.
"""

from __future__ import annotations

from rich.text import Text
from textual.containers import Horizontal
from textual.dom import DOMNode
from textual.widget import Widget
from textual.widgets import Label, Static

from leadbox_tui.ui.literal import one_line


class FieldRow(Horizontal):
    """``Label  [control]  message``: the message is empty until the field is refused."""

    def __init__(self, field: str, label: str, *controls: Widget) -> None:
        super().__init__(
            Label(label, classes="field-label"),
            *controls,
            Static("", classes="field-error", id=f"error-{field}"),
            id=f"row-{field}",
            classes="field-row",
        )


def show_error(root: DOMNode, field: str, message: str) -> bool:
    """Put ``message`` beside ``field``; False when the form has no such field."""
    found = root.query(f"#error-{field}")
    if not found:
        return False
    found.first(Static).update(Text(one_line(message)))
    return True


def clear_errors(root: DOMNode) -> None:
    for message in root.query(".field-error").results(Static):
        message.update("")
