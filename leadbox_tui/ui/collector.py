"""Keeping Python's garbage collector from stalling the duplicates screen.

A full collection walks every object of the app: 60-100 ms of processor on this machine for the
inbox alone, 150 ms once a scan's 15,000 groups are in, with the screen frozen meanwhile. While
a scan runs the collector is held (the app makes little garbage then); when the groups are in,
everything there is is set aside as long-lived (``gc.freeze``), so the collections that follow
walk only what is new. Leaving the screen hands it all back to the collector.

Called from the screen's handlers only (the app's thread), so the three steps never race.
"""

from __future__ import annotations

import gc


def hold() -> None:
    """A scan starts: no collection until its groups are in."""
    gc.disable()


def keep() -> None:
    """The groups are in: what exists now is long-lived; collect what comes next."""
    gc.freeze()
    gc.enable()


def release() -> None:
    """The screen is left: everything is the collector's again."""
    gc.enable()
    gc.unfreeze()
