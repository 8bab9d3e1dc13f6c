"""One registry of actions makes the bindings, the help screen and the command palette."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.binding import Binding
from textual.dom import DOMNode
from textual.widgets import Static

from leadbox_tui.services.inbox import InboxSort
from leadbox_tui.ui import keymap
from leadbox_tui.ui.app import LeadboxApp
from leadbox_tui.ui.commands import LeadboxCommands
from leadbox_tui.ui.screens.help import HelpScreen
from leadbox_tui.ui.screens.inbox import InboxScreen
from leadbox_tui.ui.widgets.detail_panel import DetailPanel
from leadbox_tui.ui.widgets.lead_table import LeadTable
from tests.ui.conftest import SIZE, add_lead, loaded, wait_until

BOUND: list[type[DOMNode]] = [LeadboxApp, InboxScreen, LeadTable, DetailPanel, HelpScreen]


def every_binding() -> list[Binding]:
    """What each of our classes binds, its inherited bindings included."""
    return [
        binding
        for cls in BOUND
        for bindings in cls._merge_bindings().key_to_bindings.values()
        for binding in bindings
    ]


def test_every_binding_has_a_description_and_an_id_from_the_registry() -> None:
    for binding in every_binding():
        assert binding.description, binding
        assert binding.id in keymap.BY_ID, binding


def test_no_key_does_two_things_in_one_place() -> None:
    for cls in BOUND:
        keys = [key for binding in cls.BINDINGS for key in binding.key.split(",")]
        assert len(keys) == len(set(keys)), cls


async def test_the_help_lists_every_binding_with_its_key(inbox_path: Path) -> None:
    async with LeadboxApp(str(inbox_path)).run_test(size=(150, 80)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(pilot.app.screen, HelpScreen)
        body = pilot.app.screen.query_one("#help-text", Static)
        lines = [strip.text for strip in body.render_lines(body.size.region)]
        for binding in every_binding():
            command = keymap.BY_ID[binding.id or ""]
            assert any(
                keymap.key_names(command.keys) in line and binding.description in line
                for line in lines
            ), binding
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, InboxScreen)


async def test_the_palette_offers_every_action_of_the_inbox_by_name(inbox_path: Path) -> None:
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        await loaded(pilot)
        provider = LeadboxCommands(pilot.app.screen)
        titles = {hit.text async for hit in provider.discover()}
        expected = {
            c.title
            for c in keymap.COMMANDS
            if c.title and c.scope in {"app", "inbox", "table", "detail"}
        }
        assert titles == expected
        assert {"Sort: next column", "View: archived leads", "Move: last lead"} <= titles


@pytest.mark.parametrize(
    ("typed", "sort"),
    [("reverse order", InboxSort("created", False)), ("next column", InboxSort("owner", True))],
)
async def test_a_palette_command_does_what_its_key_does(
    inbox_path: Path, typed: str, sort: InboxSort
) -> None:
    add_lead("A lead")
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        table = await loaded(pilot)
        await pilot.press("ctrl+p", *typed)
        await pilot.pause(0.3)  # the palette searches in the background
        await pilot.press("enter")
        await wait_until(pilot, lambda: table.sort == sort)
