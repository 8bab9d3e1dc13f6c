"""A program driven in a real pseudo-terminal, timed as a user sees it: from a key to the screen.

The benchmarks start Leadbox (or a minimal Textual app, the floor) in a pty of a fixed size, send
keys, and wait for text to appear in what the program writes, escape sequences stripped.
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import termios
import time
from collections.abc import Sequence
from pathlib import Path

ESCAPES = re.compile(
    rb"\x1b(\[[0-9;?<>=$]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][A-Z0-9]|[=>78cDEHM])"
)


class Terminal:
    """One program in a pty of ``columns`` x ``rows``."""

    def __init__(
        self,
        argv: Sequence[str],
        columns: int = 160,
        rows: int = 45,
        env: dict[str, str] | None = None,
        cwd: Path | None = None,
    ) -> None:
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        environment = {
            **os.environ,
            "TERM": "xterm-256color",
            "COLORTERM": "truecolor",
            "COLUMNS": str(columns),
            "LINES": str(rows),
            **(env or {}),
        }
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            list(argv),
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=environment,
            cwd=cwd,
            start_new_session=True,
        )
        os.close(slave)
        self.raw = b""  # everything written since the last ``mark``

    @property
    def text(self) -> str:
        """What was written since the last mark, escape sequences stripped (stripped as a whole,
        since a read can end in the middle of a sequence)."""
        return ESCAPES.sub(b"", self.raw).decode("utf-8", "replace")

    def mark(self) -> None:
        """Forget what was written so far: the next wait looks only at new output."""
        self._drain(0)
        self.raw = b""

    def _drain(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return False
        try:
            chunk = os.read(self.master, 1 << 20)
        except OSError:
            return False
        self.raw += chunk
        return True

    def wait_for(self, *needles: str, timeout: float = 30.0) -> float:
        """Seconds until every needle has appeared in the output since the last mark."""
        deadline = time.perf_counter() + timeout
        while not all(n in (text := self.text) for n in needles):
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                missing = [n for n in needles if n not in text]
                raise TimeoutError(f"never saw {missing!r}; last output: {text[-400:]!r}")
            self._drain(remaining)
        return time.perf_counter()

    def wait_match(self, pattern: re.Pattern[str], timeout: float = 30.0) -> re.Match[str]:
        """The last match of ``pattern`` in the output since the last mark, once there is one."""
        deadline = time.perf_counter() + timeout
        while not (matches := list(pattern.finditer(self.text))):
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise TimeoutError(
                    f"never saw {pattern.pattern!r}; last output: {self.text[-400:]!r}"
                )
            self._drain(remaining)
        return matches[-1]

    def press(self, key: str) -> float:
        """Send a key (raw bytes as a string); returns when it was sent."""
        self.mark()
        sent = time.perf_counter()
        os.write(self.master, key.encode())
        return sent

    def settle(self, quiet: float = 0.3, timeout: float = 10.0) -> None:
        """Wait until the program has written nothing for ``quiet`` seconds."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline and self._drain(quiet):
            pass

    def rss_mb(self) -> float:
        """Resident memory of the program, in megabytes."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        kilobytes = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
        return kilobytes / 1024

    def close(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        os.close(self.master)

    def __enter__(self) -> Terminal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
