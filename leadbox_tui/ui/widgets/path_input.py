"""A file path typed with completion, as in a shell: the first match shows greyed after the
cursor (``→`` takes it) and ``tab`` completes as far as the matches agree.

Completion reads one folder listing per keystroke, off the UI thread; hidden entries are offered
only once a dot is typed, and files only if they have one of the suffixes asked for.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Sequence
from pathlib import Path

from textual.suggester import Suggester
from textual.widgets import Input

from leadbox_tui.ui import keymap


def completions(value: str, suffixes: Sequence[str] = ()) -> list[str]:
    """``value`` completed to each entry of its folder whose name starts with what was typed
    after the last ``/`` (folders end with ``/``), in name order; ``~`` is understood."""
    if not value:
        return []
    head, slash, prefix = value.rpartition("/")
    folder = Path(os.path.expanduser(head + slash)) if slash else Path.cwd()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    found = []
    for entry in sorted(entries, key=lambda e: e.name.casefold()):
        name = entry.name
        if not name.startswith(prefix) or (name.startswith(".") and not prefix.startswith(".")):
            continue
        try:
            is_dir = entry.is_dir()
        except OSError:
            continue
        if is_dir:
            found.append(f"{value}{name[len(prefix) :]}/")
        elif not suffixes or name.lower().endswith(tuple(suffixes)):
            found.append(f"{value}{name[len(prefix) :]}")
    return found


class PathSuggester(Suggester):
    def __init__(self, suffixes: Sequence[str] = ()) -> None:
        super().__init__(use_cache=False, case_sensitive=True)  # folders change: no cache
        self.suffixes = tuple(suffixes)

    async def get_suggestion(self, value: str) -> str | None:
        found = await asyncio.to_thread(completions, value, self.suffixes)
        return found[0] if found else None


class PathInput(Input):
    """An ``Input`` for a file path; ``tab`` completes it, or moves on when nothing matches."""

    BINDINGS = keymap.bindings("path")

    def __init__(
        self, value: str = "", *, suffixes: Sequence[str] = (), placeholder: str = "", id: str
    ) -> None:
        super().__init__(value, placeholder=placeholder, suggester=PathSuggester(suffixes), id=id)
        self.suffixes = tuple(suffixes)

    def action_complete(self) -> None:
        found = completions(self.value, self.suffixes)
        if not found:
            self.screen.focus_next()
            return
        common = os.path.commonprefix(found)
        self.value = common if len(common) > len(self.value) else found[0]
        self.cursor_position = len(self.value)
