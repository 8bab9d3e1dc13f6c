"""Labels: Hot, Warm and Cold by default; the seller toggles them on leads and manages the list.

Every change is recorded, so undo reverses it. A removed label keeps its row (``deleted_at``)
after being taken off every lead; adding a label of the same name brings it back. A rename
reaches the ``label_names`` sort key of its leads through a trigger (migration 0005).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from leadbox_tui.services.history import Recorder, chunks, recorded
from leadbox_tui.services.normalize import fold
from leadbox_tui.store.models import Label, Lead, LeadLabel

DEFAULT_LABELS = (("Hot", "red"), ("Warm", "orange"), ("Cold", "blue"))
LABEL_COLOURS = ("red", "orange", "yellow", "green", "blue", "purple", "pink", "grey")
MAX_NAME = 50


class LabelError(ValueError):
    """A label cannot be changed as asked; the message is for the seller."""


@dataclass(frozen=True)
class LabelInfo:
    id: int
    name: str
    colour: str


def _live():
    return Label.select().where(Label.deleted_at.is_null())


def ensure_default_labels() -> None:
    if not Label.select().exists():
        Label.insert_many([{"name": n, "colour": c} for n, c in DEFAULT_LABELS]).execute()


def list_labels() -> list[LabelInfo]:
    return [LabelInfo(lb.id, lb.name, lb.colour) for lb in _live().order_by(Label.name)]


def colours_by_name() -> dict[str, str]:
    return dict(_live().select(Label.name, Label.colour).tuples())


def resolve_labels(names: list[str], create: bool = False) -> list[int]:
    """Label ids for names typed by the seller (case and accents ignored).

    With ``create``, unknown names become labels (a removed one of that name comes back).
    """
    known = {fold(lb.name): lb.id for lb in _live()}
    ids = []
    for name in names:
        key = fold(name)
        if key in known:
            ids.append(known[key])
        elif create:
            removed = _removed_named(name)
            if removed is not None:
                Label.update(deleted_at=None).where(Label.id == removed.id).execute()
                known[key] = removed.id
            else:
                known[key] = Label.create(name=name.strip()).id
            ids.append(known[key])
        else:
            raise ValueError(f"no label named {name!r}")
    return ids


# -- managing the list -------------------------------------------------------------------------


def _clean_name(name: str) -> str:
    clean = " ".join((name or "").split())
    if not clean:
        raise LabelError("a label needs a name")
    if len(clean) > MAX_NAME or "," in clean:
        raise LabelError(f"a label name is at most {MAX_NAME} characters, without commas")
    return clean


def _colour(colour: str) -> str:
    key = (colour or "").strip().lower().replace("gray", "grey")
    if key not in LABEL_COLOURS:
        raise LabelError(f"unknown colour {colour!r}; one of: {', '.join(LABEL_COLOURS)}")
    return key


def _label(label_id: int) -> Label:
    label = _live().where(Label.id == label_id).first()
    if label is None:
        raise LabelError(f"no label #{label_id}")
    return label


def _removed_named(name: str) -> Label | None:
    """A removed label of that name (the same spelling first, else ignoring case and accents)."""
    removed = list(Label.select().where(Label.deleted_at.is_null(False)))
    exact = [lb for lb in removed if lb.name == name.strip()]
    return next(iter(exact or [lb for lb in removed if fold(lb.name) == fold(name)]), None)


def _check_free(name: str, keep: int | None = None) -> None:
    for label in _live():
        if label.id != keep and fold(label.name) == fold(name):
            raise LabelError(f"a label is already named {label.name!r}")


def create_label(name: str, colour: str = "grey") -> int:
    """Add a label to the list; returns its id."""
    name, colour = _clean_name(name), _colour(colour)
    _check_free(name)
    with recorded("label", f"Created label {name!r}") as rec:
        removed = _removed_named(name)
        if removed is not None:  # the same label again: its id (and history) come back
            rec.set(Label, removed.id, "deleted_at", None)
            rec.set(Label, removed.id, "name", name)
            rec.set(Label, removed.id, "colour", colour)
            return removed.id
        label = Label.create(
            name=name, colour=colour, created_at=rec.action.at, updated_at=rec.action.at
        )
        rec.created(Label, label.id)
    return label.id


def _free_removed_name(rec: Recorder, name: str) -> None:
    """A removed label still holds its name (names are unique): give it a name of its own."""
    removed = Label.select().where(Label.name == name, Label.deleted_at.is_null(False)).first()
    if removed is not None:
        rec.set(Label, removed.id, "name", f"{name} (removed #{removed.id})")


def rename_label(label_id: int, name: str) -> None:
    """Rename a label; every lead's label column follows."""
    label = _label(label_id)
    name = _clean_name(name)
    _check_free(name, keep=label.id)
    with recorded("label", f"Renamed label {label.name!r} to {name!r}") as rec:
        _free_removed_name(rec, name)
        rec.set(Label, label.id, "name", name)


def recolour_label(label_id: int, colour: str) -> None:
    label = _label(label_id)
    colour = _colour(colour)
    with recorded("label", f"Recoloured label {label.name!r} {colour}") as rec:
        rec.set(Label, label.id, "colour", colour)


def delete_label(label_id: int) -> int:
    """Take a label off every lead and remove it from the list; returns the leads it was on."""
    label = _label(label_id)
    leads = [
        row[0]
        for row in LeadLabel.select(LeadLabel.lead).where(LeadLabel.label == label.id).tuples()
    ]
    with recorded("label", f"Deleted label {label.name!r}") as rec:
        changed = sum(rec.set_labels(part, remove=[label.id]) for part in chunks(leads))
        rec.set(Label, label.id, "deleted_at", rec.action.at)
    return changed


# -- labels on leads ---------------------------------------------------------------------------


def _lead_title(lead_id: int) -> str:
    title = Lead.select(Lead.title).where(Lead.id == lead_id).scalar()
    if title is None:
        raise LabelError(f"no lead #{lead_id}")
    return title


def toggle_label(lead_id: int, label_id: int) -> bool:
    """Put the label on the lead, or take it off; returns whether the lead now has it."""
    title, label = _lead_title(lead_id), _label(label_id)
    has = LeadLabel.select().where(LeadLabel.lead == lead_id, LeadLabel.label == label.id).exists()
    verb = "Removed" if has else "Added"
    with recorded("labels", f"{verb} label {label.name!r} on {title!r}") as rec:
        if has:
            rec.set_labels([lead_id], remove=[label.id])
        else:
            rec.set_labels([lead_id], add=[label.id])
    return not has


def set_lead_labels(lead_id: int, label_ids: Iterable[int]) -> bool:
    """Give the lead exactly these labels (what the picker confirms); returns whether it changed."""
    title = _lead_title(lead_id)
    wanted = [_label(i).id for i in dict.fromkeys(label_ids)]
    with recorded("labels", f"Changed the labels of {title!r}") as rec:
        return bool(rec.set_labels([lead_id], exactly=wanted))


def label_ids_of(lead_id: int) -> list[int]:
    return [
        r[0] for r in LeadLabel.select(LeadLabel.label).where(LeadLabel.lead == lead_id).tuples()
    ]
