"""A table's sort: one column, either way; what the inbox and the deals tables share.

A sort names its table's columns (``columns``) and the ones shown by default
(``shown``); ``s`` steps to the next column on screen and ``r`` reverses, keeping the kind.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import ClassVar, Self


@dataclass(frozen=True)
class ColumnSort:
    column: str = "created"
    descending: bool = True
    columns: ClassVar[Mapping[str, object]] = {}  # the columns this table sorts by
    shown: ClassVar[Sequence[str]] = ()  # the columns on screen unless the seller chose

    def __post_init__(self) -> None:
        if self.column not in self.columns:
            raise ValueError(f"cannot sort by {self.column!r}; one of: {', '.join(self.columns)}")

    def next_column(self, columns: Sequence[str] = ()) -> Self:
        """The sort by the column after this one among ``columns`` (those on screen)."""
        keys = list(columns or self.shown)
        following = (
            keys[(keys.index(self.column) + 1) % len(keys)] if self.column in keys else keys[0]
        )
        return replace(self, column=following)

    def reversed(self) -> Self:
        return replace(self, descending=not self.descending)
