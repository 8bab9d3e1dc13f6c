"""Applying a merge the seller confirmed, from whichever screen asked, off the UI thread.

The merge view only chooses (it dismisses a ``MergeChoice``); the screen that opened it calls
``start_merge``, and gets ``Merged`` back when the service is done, to reload and tell the seller.
"""

from __future__ import annotations

from collections.abc import Collection, Container, Mapping
from dataclasses import dataclass

from textual.dom import DOMNode

from leadbox_tui.services.merge import KINDS, MergeError, MergePlan, MergeResult, apply_merge
from leadbox_tui.services.session import close_database
from leadbox_tui.ui.dedupe_messages import Merged
from leadbox_tui.ui.literal import one_line

SINGULAR = {
    "notes": "note",
    "activities": "activity",
    "e-mails": "e-mail",
    "leads": "lead",
    "deals": "deal",
    "people": "person",
    "e-mails and phones": "e-mail or phone",
}


def counted(count: int, what: str) -> str:
    """ "2 notes", "1 activity": the merge service names what moves in the plural."""
    return f"{count} {SINGULAR.get(what, what) if count == 1 else what}"


@dataclass(frozen=True)
class MergeChoice:
    """The plan the seller saw and the side they took for each field."""

    plan: MergePlan
    take: Mapping[str, str]


def selected_pair(marked: Container[int], current: int | None) -> tuple[int, int] | None:
    """The two selected leads, the one under the cursor first (it stays); None when nothing is
    selected. A selection of another size (or of all the filtered leads) raises MergeError."""
    if isinstance(marked, Collection):
        chosen = sorted(marked)
        if not chosen:
            return None
        if len(chosen) == 2:
            return (chosen[1], chosen[0]) if current == chosen[1] else (chosen[0], chosen[1])
    raise MergeError("select exactly two leads to merge them, or none to pick the other one")


def start_merge(node: DOMNode, choice: MergeChoice) -> None:
    """Merge in a thread worker of ``node``, which gets ``Merged`` when it is done."""

    def apply() -> None:
        try:
            node.post_message(Merged(choice.plan, apply_merge(choice.plan, choice.take)))
        except Exception as error:  # refused, or a locked file: the screen says so
            node.post_message(Merged(choice.plan, None, str(error)))
        finally:
            close_database()  # this worker thread's connection

    node.run_worker(apply, thread=True, group="merge", name="merge")


def merged_text(plan: MergePlan, result: MergeResult) -> str:
    """What the notification says: who went into whom, what was taken, what moved."""
    noun = KINDS[plan.kind].noun
    text = (
        f"Merged {noun} {plan.other_id} “{one_line(plan.other_name)}” "
        f"into {plan.keep_id} “{one_line(plan.keep_name)}”"
    )
    labels = {f.field: f.label.lower() for f in plan.fields}
    if result.changed:
        text += f"; took its {', '.join(labels[name] for name in result.changed)}"
    if result.moved:
        text += "; moved " + ", ".join(counted(count, what) for what, count in result.moved)
    return text + ". u undoes it."
