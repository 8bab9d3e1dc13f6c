"""Picking the lead to merge with: its likely twins first, then whatever the typed text finds.

Before anything is typed the list holds the lead's likely twins (``similar_leads``, with why);
each keystroke looks again in a worker: the twins the text still fits, then the inbox's search
for it. A list that arrives for text the seller has since changed is dropped.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from leadbox_tui.services.duplicates import similar_leads
from leadbox_tui.services.filters import InboxFilter
from leadbox_tui.services.inbox import InboxQuery
from leadbox_tui.services.search import INLINE_BACKLOG, pending_count, words_of
from leadbox_tui.services.session import close_database
from leadbox_tui.ui import keymap
from leadbox_tui.ui.dedupe_messages import Candidate, CandidatesFound
from leadbox_tui.ui.literal import one_line
from leadbox_tui.ui.widgets.key_bar import KeyBar

FOUND = 20  # search results offered under the twins


def _fits(typed: tuple[str, ...], text: str) -> bool:
    """Every typed word starts a word of the text, as the search reads words."""
    words = words_of(text)
    return all(any(word.startswith(t) for word in words) for t in typed)


def likely_twins(lead_id: int) -> list[Candidate]:
    """The lead's likely twins, best first, with why (read once per picker: about 0.1 s)."""
    return [
        Candidate(s.id, s.title, s.name, f"likely twin, {s.score}: {', '.join(s.reasons)}")
        for s in similar_leads(lead_id)
    ]


def find_candidates(lead_id: int, typed: str, twins: list[Candidate]) -> list[Candidate]:
    """The leads to offer for ``typed``: the likely twins that fit it, then search results."""
    typed_words = words_of(typed)
    twins = [c for c in twins if _fits(typed_words, f"{c.title} {c.name}")]
    if not typed_words:
        return twins
    seen = {lead_id, *(c.id for c in twins)}
    rows = InboxQuery(InboxFilter(search=typed)).rows(0, FOUND + len(seen))
    found = [
        Candidate(r.id, r.title, r.person or r.organization or "") for r in rows if r.id not in seen
    ]
    return twins + found[:FOUND]


def candidate_prompt(candidate: Candidate) -> Text:
    text = Text()
    text.append(one_line(candidate.title) or "(no title)", style="bold")
    if candidate.name:
        text.append(f"  {one_line(candidate.name)}")
    text.append(f"  #{candidate.id}", style="dim")
    if candidate.hint:
        text.append(f"\n  {one_line(candidate.hint)}", style="dim italic")
    return text


class CandidateList(OptionList, can_focus=False, inherit_bindings=False):
    """Moved by the modal's keys while the seller types in the box above."""


class MergePickModal(ModalScreen[int | None], inherit_bindings=False):
    """Dismisses the id of the lead to merge with ``lead_id``, or None."""
    CSS_PATH = "../duplicates.tcss"  # loaded when first opened, not with the inbox

    BINDINGS = keymap.bindings("pick")

    def __init__(self, lead_id: int, title: str) -> None:
        super().__init__()
        self.lead_id = lead_id
        self.title_text = title
        self.twins: list[Candidate] | None = None  # read by the first look, kept for the rest

    def compose(self) -> ComposeResult:
        with Vertical(id="pick-box") as box:
            box.border_title = f"Merge “{one_line(self.title_text)}” with…"
            yield Input(
                placeholder="Part of the other lead's title, person or organisation",
                id="pick-input",
            )
            yield CandidateList(id="pick-list")
            yield Static(Text("Looking for likely twins…"), id="pick-status")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self._find("")

    def on_input_changed(self, event: Input.Changed) -> None:
        self._find(event.value, self.twins)

    @work(thread=True, exclusive=True, group="merge-pick")
    def _find(self, typed: str, twins: list[Candidate] | None = None) -> None:
        try:
            read = likely_twins(self.lead_id) if twins is None else None
            found = find_candidates(self.lead_id, typed, twins or read or [])
            behind = pending_count() if typed.strip() else 0
            unindexed = behind if behind > INLINE_BACKLOG else 0  # what a search leaves out
            self.post_message(CandidatesFound(typed, found, unindexed, twins=read))
        except Exception as error:  # a locked or broken file: the modal says so
            self.post_message(CandidatesFound(typed, [], error=str(error)))
        finally:
            close_database()

    def on_candidates_found(self, message: CandidatesFound) -> None:
        if message.twins is not None:
            self.twins = message.twins
        if message.typed != self.query_one(Input).value:
            return  # the seller typed on
        found = self.query_one(CandidateList)
        found.set_options(Option(candidate_prompt(c), id=str(c.id)) for c in message.candidates)
        found.highlighted = 0 if message.candidates else None
        if message.error:
            status = f"Could not look: {message.error}"
        elif message.unindexed:
            status = (
                f"The search has {message.unindexed:,} leads still to index and leaves them "
                "out for now; its likely twins are offered all the same."
            )
        elif message.candidates:
            status = ""
        elif message.typed.strip():
            status = "No lead matches; type less, or another part of its name."
        else:
            status = "No likely twin; type part of the other lead's title, person or organisation."
        self.query_one("#pick-status", Static).update(Text(status))

    def action_cursor_down(self) -> None:
        self.query_one(CandidateList).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one(CandidateList).action_cursor_up()

    def action_choose(self) -> None:
        option = self.query_one(CandidateList).highlighted_option
        if option is not None and option.id is not None:
            self.dismiss(int(option.id))

    def action_cancel(self) -> None:
        self.dismiss(None)
