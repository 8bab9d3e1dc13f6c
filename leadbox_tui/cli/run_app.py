"""Starting the Textual app from the command line (to be written)."""

from __future__ import annotations

import argparse


def run_app(args: argparse.Namespace) -> int:
    raise NotImplementedError
