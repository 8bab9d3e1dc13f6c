"""Run Leadbox with ``python -m leadbox_tui``."""

from leadbox_tui.cli import main

raise SystemExit(main())
