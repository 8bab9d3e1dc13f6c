"""The duplicate scan in a process of its own: the same groups, its progress, a prompt stop."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from leadbox_tui.services.duplicates import scan_duplicates
from leadbox_tui.services.scan_process import (
    STARTING,
    ScanCancelled,
    ScanFailed,
    scan_in_process,
)
from tests.services.test_duplicates import twins  # noqa: F401 -- the fixture

PROC = Path("/proc/self/task")


def running_children() -> list[str]:
    """Processes this one started that have not ended (zombies have ended)."""
    found = []
    for task in PROC.iterdir():
        for child in (task / "children").read_text().split():
            stat = Path(f"/proc/{child}/stat")
            if stat.exists() and stat.read_text().rpartition(")")[2].split()[0] != "Z":
                found.append(child)
    return found


def test_the_scan_in_its_own_process_finds_what_the_scan_finds(
    twins: dict[str, int],  # noqa: F811
    inbox_path: Path,
) -> None:
    seen: list[tuple[int, int, str]] = []
    groups = scan_in_process(str(inbox_path), progress=lambda *p: seen.append(p))
    assert groups == scan_duplicates()
    assert len(groups) == 5
    assert seen[0] == (0, 100, STARTING) and seen[-1][:2] == (100, 100)
    assert {s for _, _, s in seen} >= {"Reading the inbox", "Comparing people", "Grouping"}


@pytest.mark.skipif(not PROC.exists(), reason="reads the processes from /proc")
def test_the_scan_stops_at_once_when_asked_and_its_process_ends(
    twins: dict[str, int],  # noqa: F811
    inbox_path: Path,
) -> None:
    asked_at: list[float] = []

    def progress(done: int, total: int, stage: str) -> None:
        if stage != STARTING and not asked_at:  # the process is reading the inbox
            asked_at.append(time.perf_counter())

    with pytest.raises(ScanCancelled):
        scan_in_process(str(inbox_path), progress=progress, should_stop=lambda: bool(asked_at))
    assert time.perf_counter() - asked_at[0] < 0.5
    assert running_children() == []


def test_a_scan_that_cannot_read_the_inbox_says_why(tmp_path: Path) -> None:
    other = tmp_path / "notes.txt"
    other.write_text("not an inbox")
    with pytest.raises(ScanFailed, match="not a Leadbox database"):
        scan_in_process(str(other))
