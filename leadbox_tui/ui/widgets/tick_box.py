"""A check box ticked with ``space`` only, so ``enter`` in a form reaches the form (export)."""

from __future__ import annotations

from textual.widgets import Checkbox

from leadbox_tui.ui import keymap


class TickBox(Checkbox, inherit_bindings=False):
    BINDINGS = keymap.bindings("toggle")
