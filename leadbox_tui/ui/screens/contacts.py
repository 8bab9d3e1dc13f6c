"""The contacts screen (``3``): people and organisations found by name as you type, each with
how many leads and deals it has; the one under the cursor shows its leads and deals beside.

``1`` goes back to the leads, ``2`` to the deals. Every read runs in a worker, the newest
search wins; names are shown literally.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from leadbox_tui.services.contact_list import ContactRow, find_contacts, records_of
from leadbox_tui.services.session import close_database
from leadbox_tui.ui import keymap
from leadbox_tui.ui.literal import one_line
from leadbox_tui.ui.widgets.key_bar import KeyBar

KIND_NAMES = {"person": "Person", "organization": "Organisation"}


def contact_prompt(row: ContactRow) -> Text:
    where = f" · {one_line(row.organization)}" if row.organization else ""
    text = Text(f"{KIND_NAMES[row.kind]:<13}", style="dim")
    text.append(one_line(row.name) + where)
    text.append(f"  {row.leads} lead(s), {row.deals} deal(s)", style="dim")
    return text


def records_text(row: ContactRow, leads: list, deals: list) -> Text:
    text = Text(one_line(row.name) + "\n", style="bold")
    text.append(f"{KIND_NAMES[row.kind]}\n", style="dim")
    text.append(f"\nLeads ({len(leads)})\n", style="bold")
    for lead in leads:
        text.append(f"• {one_line(lead.title)}", style="")
        text.append(f"  {lead.state}\n", style="dim")
    text.append(f"\nDeals ({len(deals)})\n", style="bold")
    for deal in deals:
        text.append(f"• {one_line(deal.title)}")
        text.append(f"  {deal.status}{', deleted' if deal.deleted else ''}\n", style="dim")
    return text


class ContactsScreen(Screen[str | None], inherit_bindings=False):
    """Dismisses the view to go to next ("deals"), or None for the leads."""
    CSS_PATH = "../convert.tcss"  # loaded when first opened, not with the inbox

    BINDINGS = keymap.bindings("contacts")

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[ContactRow] = []

    def compose(self) -> ComposeResult:
        yield Input(placeholder="a name, or part of one", id="contact-search")
        with Horizontal(id="contact-panes"):
            yield OptionList(id="contact-list")
            with VerticalScroll(id="contact-detail"):
                yield Static(id="contact-records")
        yield KeyBar()

    def on_mount(self) -> None:
        self._search("")
        self.query_one("#contact-search", Input).focus()

    @on(Input.Changed, "#contact-search")
    def searched(self, event: Input.Changed) -> None:
        self._search(event.value)

    @on(Input.Submitted, "#contact-search")
    def to_list(self) -> None:
        self.query_one(OptionList).focus()

    @work(thread=True, exclusive=True, group="contact-search")
    def _search(self, text: str) -> None:
        try:
            found: list[ContactRow] | str = find_contacts(text)
        except Exception as error:
            found = str(error)
        finally:
            close_database()
        self.app.call_from_thread(self._found, found)

    def _found(self, found: list[ContactRow] | str) -> None:
        if isinstance(found, str):
            self.notify(f"Could not search: {found}", severity="error", markup=False)
            return
        self.rows = found
        listing = self.query_one(OptionList)
        listing.clear_options()
        listing.add_options(Option(contact_prompt(row)) for row in found)
        if found:
            listing.highlighted = 0
        else:
            self.query_one("#contact-records", Static).update("No contact found.")

    @on(OptionList.OptionHighlighted, "#contact-list")
    def highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if 0 <= event.option_index < len(self.rows):
            self._records(self.rows[event.option_index])

    @work(thread=True, exclusive=True, group="contact-records")
    def _records(self, row: ContactRow) -> None:
        try:
            shown: Text = records_text(row, *records_of(row.kind, row.id))
        except Exception as error:
            shown = Text(f"Could not read: {error}")
        finally:
            close_database()
        self.app.call_from_thread(self.query_one("#contact-records", Static).update, shown)

    def action_search(self) -> None:
        self.query_one("#contact-search", Input).focus()

    def action_leads(self) -> None:
        self.dismiss(None)

    def action_deals(self) -> None:
        self.dismiss("deals")
