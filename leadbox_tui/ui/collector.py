"""Keeping Python's garbage collector from stalling the screens: the one owner of ``gc.freeze``.

A full collection walks every object of the app: 50-130 ms of processor on this machine for the
inbox alone, 150 ms once a scan's 15,000 groups are in, with every thread stopped meanwhile, every
few keys typed in the search box. What lives as long as the app is set aside as long-lived
(``gc.freeze``) so that collections walk only what is new:

- ``settle``: what the app holds once the inbox shows its first rows (modules, styles, widgets,
  caches), and again when the search box has loaded libphonenumber's metadata.
- the duplicates screen: while a scan runs the collector is held (``hold``: the app makes little
  garbage then); when the groups are in, everything there is is set aside (``keep``). Leaving the
  screen hands it all back (``release``), as its objects are garbage from then on.

``gc.unfreeze`` hands back everything set aside, whoever set it aside: after a ``release`` the
app's own objects are walked again until the next ``settle``, which first collects what the
screen left (set aside with the rest, it would never be freed). Calls may come from any thread
(``settle`` from a worker); a lock keeps the steps in order.
"""

from __future__ import annotations

import gc
import threading

_lock = threading.Lock()
_settled = False  # what the app holds is set aside
_released = False  # a screen handed back what it set aside: its leftovers are to be collected


def settled() -> bool:
    """Whether ``settle`` has nothing to do."""
    return _settled


def settle() -> None:
    """What the app holds now lives as long as it does: set it aside (after a ``release``,
    once the screen's leftovers are collected). Cheap: the collector's lists are moved, not
    walked; but what is set aside is never freed, so call it when what is there is to stay."""
    global _settled, _released
    with _lock:
        if _released:
            gc.collect()
        gc.freeze()
        _settled, _released = True, False


def hold() -> None:
    """A scan starts: no collection until its groups are in."""
    gc.disable()


def keep() -> None:
    """The groups are in: what exists now is long-lived; collect what comes next."""
    with _lock:
        gc.freeze()
        gc.enable()


def release() -> None:
    """The screen is left: everything is the collector's again, the app's objects until the
    next ``settle``."""
    global _settled, _released
    with _lock:
        gc.enable()
        gc.unfreeze()
        _settled, _released = False, True
