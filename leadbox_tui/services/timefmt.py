"""Times are stored in UTC and shown in the seller's local time."""

from __future__ import annotations

import datetime as dt


def to_local(utc: dt.datetime) -> dt.datetime:
    """A stored (naive UTC) time as a naive local time."""
    return utc.replace(tzinfo=dt.UTC).astimezone().replace(tzinfo=None)


def short_date(utc: dt.datetime | None, today: dt.date | None = None) -> str:
    """ "14:05" today, "3 Nov" this year, "3 Nov 2024" before: what a mail client shows."""
    if utc is None:
        return ""
    local = to_local(utc)
    today = today or dt.date.today()
    if local.date() == today:
        return local.strftime("%H:%M")
    if local.year == today.year:
        return f"{local.day} {local.strftime('%b')}"
    return f"{local.day} {local.strftime('%b %Y')}"


def long_datetime(utc: dt.datetime | None) -> str:
    return "" if utc is None else to_local(utc).strftime("%Y-%m-%d %H:%M")
