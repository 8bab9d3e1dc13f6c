"""Why a deal was lost: a line of text that may stay empty (Pipedrive asks, and lets it go)."""

from __future__ import annotations

from textual.widgets import Input

from leadbox_tui.ui.modals.dialogs import NameModal


class LostReasonModal(NameModal):
    """``enter`` gives the reason typed, or "" for none; ``esc`` None (not marked lost)."""

    def __init__(self, title: str) -> None:
        super().__init__(title, placeholder="the reason (may stay empty)")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        event.prevent_default()  # NameModal's handler would dismiss a second time: the screen below
        self.dismiss(event.value.strip())
