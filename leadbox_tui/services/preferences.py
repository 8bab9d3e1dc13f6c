"""What the inbox remembers between runs (the sort, the columns), kept in the inbox itself."""

from __future__ import annotations

import json
from typing import Any

from leadbox_tui.store.models import Setting


def get(key: str, default: Any = None) -> Any:
    row = Setting.get_or_none(Setting.key == key)
    if row is None:
        return default
    try:
        return json.loads(row.value)
    except ValueError:
        return default


def put(key: str, value: Any) -> None:
    Setting.replace(key=key, value=json.dumps(value)).execute()
