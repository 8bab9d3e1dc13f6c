"""The layers stay apart: services and the command line never load Textual, nor the UI."""

from __future__ import annotations

import subprocess
import sys

import pytest

PROBE = """
import importlib, pkgutil, sys
import leadbox_tui.{package} as package
for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
    importlib.import_module(module.name)
loaded = sorted(name for name in sys.modules if name.split(".")[0] == "textual"
                or name.startswith("leadbox_tui.ui"))
print(",".join(loaded))
"""


@pytest.mark.parametrize("package", ["store", "services"])
def test_package_loads_no_textual_and_no_ui(package: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(package=package)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == ""


def test_the_command_line_loads_textual_only_to_open_the_app() -> None:
    probe = (
        "import sys, leadbox_tui.cli\n"
        "leadbox_tui.cli.build_parser()\n"
        "print(any(n.split('.')[0] == 'textual' for n in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_opening_the_inbox_loads_no_feature_before_its_first_frame() -> None:
    """Start-up has a budget of 0.15 s over Textual's own: the import wizard, the matching
    engine, the convert service, the spreadsheet readers, libphonenumber and the lead detail
    reader load on first use."""
    probe = (
        "import sys, leadbox_tui.cli, leadbox_tui.ui.app\n"
        "args = leadbox_tui.cli.app_arguments(['--db', 'inbox.db'])\n"
        "assert args is not None and args.command is None\n"
        "heavy = ('leadbox_tui.cli.', 'leadbox_tui.services.importer',"
        " 'leadbox_tui.services.matching',"
        " 'leadbox_tui.services.convert', 'leadbox_tui.services.duplicates',"
        " 'leadbox_tui.services.exporter', 'leadbox_tui.ui.screens.import_wizard',"
        " 'leadbox_tui.ui.screens.deals', 'leadbox_tui.ui.modals.', 'openpyxl', 'python_calamine',"
        " 'phonenumbers', 'rapidfuzz', 'playhouse.migrations', 'leadbox_tui.services.detail')\n"
        "print(sorted(n for n in sys.modules if n.startswith(heavy)"
        " and n not in ('leadbox_tui.cli.common',)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
