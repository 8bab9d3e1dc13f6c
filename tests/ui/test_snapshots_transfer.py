"""SVG snapshots of the import wizard's column mapping and its report (pytest-textual-snapshot).

The file is made here and typed by name in the test's folder, so every path shown is the same
on every machine. Update with ``pytest --snapshot-update tests/ui/test_snapshots_transfer.py``
and look at the pictures before keeping them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from leadbox_tui.ui.app import LeadboxApp
from leadbox_tui.ui.screens.import_wizard import ImportScreen
from tests.ui.conftest import add_lead, loaded, wait_until

SIZE = (150, 36)
SALON_CSV = (
    "Liste des prospects du salon\n"
    "\n"
    "Prénom;Nom;Société;E-mail;Téléphone;Montant;Commentaire;Salon\n"
    'Ada;Lovelace;Analytical Engines;ada@example.com;06 12 34 56 78;"1 200,50 €";'
    "Met at the fair;VivaTech\n"
    "Alan;Turing;Bletchley Park;not-an-email;;;;VivaTech\n"
    "Grace;Hopper;Navy;grace@navy.mil;+1 202 555 0100;300;Wants a demo;VivaTech\n"
    "[bold]Not bold[/];;;;;;;VivaTech\n"
)


@pytest.fixture
def salon(inbox_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "salon.csv").write_text(SALON_CSV, encoding="utf-8")
    add_lead("Existing lead", person="Ada Lovelace", emails=["ada@example.com"])
    return inbox_path


async def at_step(pilot: Pilot, step: str) -> ImportScreen:
    screen = pilot.app.screen
    assert isinstance(screen, ImportScreen)
    await wait_until(pilot, lambda: screen.step == step)
    await pilot.pause()
    return screen


async def mapping_step(pilot: Pilot) -> None:
    await loaded(pilot)
    await pilot.press("i", *"salon.csv", "enter")
    await at_step(pilot, "mapping")
    await pilot.press("n")  # the unmapped "Salon" column into the note


def test_the_column_mapping_step(salon: Path, snap_compare) -> None:
    assert snap_compare(LeadboxApp(str(salon)), terminal_size=SIZE, run_before=mapping_step)


def test_the_import_report(salon: Path, snap_compare) -> None:
    async def report(pilot: Pilot) -> None:
        await mapping_step(pilot)
        await pilot.press("ctrl+n")
        await at_step(pilot, "preview")
        await pilot.press("ctrl+n")
        await at_step(pilot, "duplicates")
        await pilot.press("ctrl+n")  # skip the row already in the inbox
        await at_step(pilot, "report")

    assert snap_compare(LeadboxApp(str(salon)), terminal_size=SIZE, run_before=report)
