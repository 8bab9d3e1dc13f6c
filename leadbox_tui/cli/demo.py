"""``leadbox demo``: fill an inbox with realistic sample leads (to be written)."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    pass
