"""Labels: Hot, Warm and Cold by default."""

from __future__ import annotations

from dataclasses import dataclass

from leadbox_tui.services.normalize import fold
from leadbox_tui.store.models import Label

DEFAULT_LABELS = (("Hot", "red"), ("Warm", "orange"), ("Cold", "blue"))


@dataclass(frozen=True)
class LabelInfo:
    id: int
    name: str
    colour: str


def ensure_default_labels() -> None:
    if not Label.select().exists():
        Label.insert_many([{"name": n, "colour": c} for n, c in DEFAULT_LABELS]).execute()


def list_labels() -> list[LabelInfo]:
    return [LabelInfo(lb.id, lb.name, lb.colour) for lb in Label.select().order_by(Label.name)]


def colours_by_name() -> dict[str, str]:
    return dict(Label.select(Label.name, Label.colour).tuples())


def resolve_labels(names: list[str], create: bool = False) -> list[int]:
    """Label ids for names typed by the seller (case and accents ignored)."""
    known = {fold(lb.name): lb.id for lb in Label.select()}
    ids = []
    for name in names:
        key = fold(name)
        if key in known:
            ids.append(known[key])
        elif create:
            ids.append(Label.create(name=name.strip()).id)
        else:
            raise ValueError(f"no label named {name!r}")
    return ids
