"""The app leaves when its terminal does, instead of spinning on a dead one."""

from __future__ import annotations

import fcntl
import os
import re
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

ESCAPES = re.compile(  # CSI, OSC and the short escape sequences
    rb"\x1b(\[[0-9;?<>=$]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][A-Z0-9]|[=>78cDEHM])"
)


def read_until(master: int, needle: bytes, timeout: float) -> bytes:
    """What the app wrote, escape sequences stripped, once ``needle`` is in it."""
    written = b""
    deadline = time.monotonic() + timeout
    while needle not in ESCAPES.sub(b"", written) and time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.1)
        if ready:
            written += os.read(master, 1 << 16)
    return ESCAPES.sub(b"", written)


def test_the_app_exits_when_its_terminal_window_closes(tmp_path: Path) -> None:
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    app = subprocess.Popen(
        [sys.executable, "-m", "leadbox_tui", "--db", str(tmp_path / "inbox.db")],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env={**os.environ, "TERM": "xterm-256color"},
        start_new_session=True,  # no controlling terminal, so no hangup signal either
    )
    os.close(slave)
    try:
        assert b"Your inbox is empty" in read_until(master, b"Your inbox is empty", timeout=30)
        os.close(master)
        app.wait(timeout=10)
    finally:
        if app.poll() is None:
            app.kill()
