"""Fixtures: every test gets a real inbox, a SQLite file in its own temporary folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from leadbox_tui.services.session import close_database, open_inbox


@pytest.fixture
def inbox_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh inbox, opened and bound to the models; closed after the test."""
    path = tmp_path / "inbox.db"
    monkeypatch.setenv("LEADBOX_DB", str(path))
    monkeypatch.setenv("LEADBOX_PHONE_REGION", "FR")
    open_inbox(str(path))
    yield path
    close_database()


@pytest.fixture(autouse=True)
def private_user_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test, nor a process it starts, may touch the real user's inbox or settings."""
    home = tmp_path_factory.mktemp("home")
    for variable in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(variable, str(home / variable.lower()))
