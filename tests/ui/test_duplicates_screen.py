"""The duplicates screen and the merge flow, driven from the keyboard on real inboxes: the scan and
its reasons, "not duplicates" remembered, merging leads and people from the screen or with ``m``,
and undo taking a merge back entirely."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from leadbox_tui.services.contacts import add_contact_points
from leadbox_tui.services.detail import lead_detail
from leadbox_tui.services.history import recorded
from leadbox_tui.services.merge import OTHER
from leadbox_tui.store.models import Activity, EmailMessage, Lead, Note, Person
from leadbox_tui.ui import keymap
from leadbox_tui.ui.app import LeadboxApp
from leadbox_tui.ui.modals.merge_pick import CandidateList, MergePickModal
from leadbox_tui.ui.modals.merge_view import MergeModal
from leadbox_tui.ui.modals.pick_two import PickTwoModal
from leadbox_tui.ui.screens.duplicates import DuplicatesScreen
from leadbox_tui.ui.screens.inbox import InboxScreen
from leadbox_tui.ui.widgets.duplicate_groups import DuplicateGroupsView, MemberList
from tests.services.test_merge import snapshot
from tests.services.test_scan_process import PROC, running_children
from tests.ui.conftest import SIZE, add_lead, loaded, wait_until, workers_done

DAY = dt.datetime(2024, 3, 5, 9, 30)


def note(lead_id: int, body: str) -> None:
    Note.create(body=body, lead=lead_id, created_at=DAY)


def activity(lead_id: int, subject: str, due: dt.date) -> None:
    Activity.create(type="call", subject=subject, due_date=due, lead=lead_id)


def email(lead_id: int, subject: str) -> None:
    EmailMessage.create(direction="in", sender="zoe@brunet.fr", subject=subject, lead=lead_id)


def same_phone(lead_id: int, phone: str) -> None:
    """Give a lead's person a phone another person has (the add-lead form would link them)."""
    with recorded("test", "a phone typed later") as rec:
        add_contact_points(rec, Lead[lead_id].person_id, [], [phone])


def build_twins() -> dict[str, int]:
    """Twin leads with notes, activities, e-mails and labels of their own; two people alike
    (same phone, a typo in the name); two organisations alike (same website, a typo)."""
    ids = {
        "keep": add_lead(
            "Website redesign",
            created=DAY,
            person="Zoé Brunet",
            organization="Atelier Brunet SARL",
            emails=["zoe@brunet.fr"],
            value="1200",
            currency="EUR",
            labels=["Hot"],
        ),
        "other": add_lead(
            "Website redesign",
            created=DAY + dt.timedelta(days=1),
            person="Zoe Brunet",
            emails=["Zoe@Brunet.fr"],
            value="5000",
            currency="EUR",
            labels=["Warm", "Cold"],
            source="Web forms",
        ),
        "ute": add_lead(
            "CRM roll-out",
            created=DAY - dt.timedelta(days=2),
            person="Ute Weber",
            organization="Böhm Brauerei KG",
            phones=["+49 30 1234567"],
        ),
        "ute_typo": add_lead(
            "Spare parts",
            created=DAY - dt.timedelta(days=3),
            person="Ute Wrber",
            organization="Böhm Brauerei KG",
        ),
        "sato": add_lead(
            "Office move",
            created=DAY - dt.timedelta(days=4),
            person="Kenji Sato",
            organization="Sato Holdings KK",
            website="sato-holdings.jp",
        ),
        "sato_typo": add_lead(
            "Trade fair stand",
            created=DAY - dt.timedelta(days=5),
            person="Aiko Tanaka",
            organization="Sato Holdngs KK",
            website="sato-holdings.jp",
        ),
    }
    same_phone(ids["ute_typo"], "+49 30 1234567")
    note(ids["keep"], "Called, wants a quote")
    note(ids["other"], "Sent the brochure")
    note(ids["other"], "Asked for a demo")
    activity(ids["keep"], "Follow up", dt.date(2030, 5, 1))
    activity(ids["other"], "Demo", dt.date(2030, 3, 1))
    email(ids["keep"], "Quote")
    email(ids["other"], "Brochure")
    return ids


@pytest.fixture
def twins(inbox_path: Path) -> dict[str, int]:
    return build_twins()


async def scanned(pilot: Pilot) -> DuplicatesScreen:
    """Open the duplicates screen from the inbox and wait for its scan to end."""
    await loaded(pilot)
    await pilot.press("D")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, DuplicatesScreen))
    screen = pilot.app.screen
    assert isinstance(screen, DuplicatesScreen)
    await wait_until(pilot, lambda: not screen.scanning)
    await pilot.pause()
    return screen


def shown(screen: DuplicatesScreen) -> str:
    view = screen.view
    return "\n".join(strip.text for strip in view.render_lines(view.size.region))


async def merge_view(pilot: Pilot) -> MergeModal:
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, MergeModal))
    modal = pilot.app.screen
    assert isinstance(modal, MergeModal)
    await wait_until(pilot, lambda: modal.plan is not None)
    await pilot.pause()
    return modal


def everything_of(lead_id: int) -> dict[str, list[str]]:
    detail = lead_detail(lead_id)
    return {
        "notes": sorted(n.body for n in detail.notes),
        "activities": sorted(a.subject for a in detail.activities),
        "emails": sorted(e.subject or "" for e in detail.emails),
        "labels": sorted(t.name for t in detail.labels),
    }


async def test_the_scan_shows_groups_of_each_kind_with_their_reasons(
    twins: dict[str, int], app_on: Callable[[], LeadboxApp]
) -> None:
    async with app_on().run_test(size=SIZE) as pilot:
        screen = await scanned(pilot)
        assert [(g.kind, g.ids) for g in screen.groups] == [
            ("lead", (twins["keep"], twins["other"])),
            ("person", (Lead[twins["ute"]].person_id, Lead[twins["ute_typo"]].person_id)),
            (
                "organization",
                (Lead[twins["sato"]].organization_id, Lead[twins["sato_typo"]].organization_id),
            ),
        ]
        text = shown(screen)
        assert "Leads · 100  same person, same title" in text
        assert "People · 100  same phone, name 88%, same organisation" in text
        assert "Organisations · 100  same website, name 96%" in text
        for name in ("Website redesign", "Ute Weber", "Ute Wrber", "Sato Holdngs KK"):
            assert name in text
        summary = screen.query_one("#dup-summary").render()
        assert "3 groups of likely duplicates: 1 of leads, 1 of people, 1 of organisations" in str(
            summary
        )
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, InboxScreen))


@pytest.mark.skipif(not PROC.exists(), reason="reads the processes from /proc")
async def test_esc_during_the_scan_goes_back_and_ends_the_scan_at_once(
    twins: dict[str, int], app_on: Callable[[], LeadboxApp]
) -> None:
    async with app_on().run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("D", "escape")  # before the scan's process has read anything
        assert isinstance(pilot.app.screen, InboxScreen)
        pressed = time.perf_counter()
        await wait_until(pilot, lambda: not running_children())
        assert time.perf_counter() - pressed < 1.0


async def test_not_duplicates_is_remembered_across_a_rescan_and_the_next_run(
    twins: dict[str, int], app_on: Callable[[], LeadboxApp]
) -> None:
    people = (Lead[twins["ute"]].person_id, Lead[twins["ute_typo"]].person_id)
    async with app_on().run_test(size=SIZE) as pilot:
        screen = await scanned(pilot)
        await pilot.press("j")  # the people's group
        assert screen.current is not None and screen.current.ids == people
        await pilot.press("x")
        await workers_done(pilot, "duplicates-writes")
        assert [g.kind for g in screen.groups] == ["lead", "organization"]
        assert "Ute Wrber" not in shown(screen)
        await pilot.press("r")
        await wait_until(pilot, lambda: not screen.scanning)
        assert [g.kind for g in screen.groups] == ["lead", "organization"]
    async with app_on().run_test(size=SIZE) as pilot:
        screen = await scanned(pilot)
        assert [g.kind for g in screen.groups] == ["lead", "organization"]
        await pilot.press("u")  # the "not duplicates" taken back: the group is offered again
        await workers_done(pilot, "duplicates-writes")
        await wait_until(pilot, lambda: not screen.scanning and len(screen.groups) == 3)
        assert screen.groups[1].ids == people


async def test_merging_from_the_screen_keeps_every_note_activity_email_and_label_of_both(
    twins: dict[str, int], app_on: Callable[[], LeadboxApp]
) -> None:
    keep, other = twins["keep"], twins["other"]
    both = {
        key: sorted(everything_of(keep)[key] + everything_of(other)[key])
        for key in ("notes", "activities", "emails", "labels")
    }
    async with app_on().run_test(size=SIZE) as pilot:
        screen = await scanned(pilot)
        await pilot.press("m")
        modal = await merge_view(pilot)
        assert (modal.plan.keep_id, modal.plan.other_id) == (keep, other)  # type: ignore[union-attr]
        await pilot.press("enter")
        await workers_done(pilot, "merge")
        await wait_until(pilot, lambda: screen.changed)
        assert [g.kind for g in screen.groups] == ["person", "organization"]
        await pilot.press("escape")
        table = await loaded(pilot)
        await wait_until(pilot, lambda: table.total == 5)
    assert Lead[other].merged_into_id == keep
    assert everything_of(keep) == both
    assert both["labels"] == ["Cold", "Hot", "Warm"] and len(both["notes"]) == 3


async def test_undo_on_the_screen_restores_both_leads_exactly(
    twins: dict[str, int], app_on: Callable[[], LeadboxApp]
) -> None:
    before = snapshot()
    async with app_on().run_test(size=SIZE) as pilot:
        screen = await scanned(pilot)
        await pilot.press("m")
        await merge_view(pilot)
        await pilot.press("l", "enter")  # the title is the same: l takes nothing here
        await workers_done(pilot, "merge")
        await wait_until(pilot, lambda: screen.changed)
        assert Lead[twins["other"]].merged_into_id == twins["keep"]
        assert snapshot() != before
        await pilot.press("u")
        await workers_done(pilot, "duplicates-writes")
        await wait_until(pilot, lambda: not screen.scanning and len(screen.groups) == 3)
    assert snapshot() == before


async def test_the_merge_view_takes_the_value_chosen_for_each_field(
    twins: dict[str, int], app_on: Callable[[], LeadboxApp]
) -> None:
    keep, other = twins["keep"], twins["other"]
    async with app_on().run_test(size=SIZE) as pilot:
        await scanned(pilot)
        await pilot.press("m")
        modal = await merge_view(pilot)
        plan = modal.plan
        assert plan is not None
        differing = [f.field for f in plan.fields if f.differs]
        assert differing[:2] == ["organization", "value"]
        assert modal.sides["value"] == OTHER  # the higher amount, by default
        await pilot.press("j", "h")  # the value: keep the left one
        await pilot.press("k", "l")  # the organisation: take the right one (none)
        assert modal.sides["value"] != OTHER and modal.sides["organization"] == OTHER
        await pilot.press("enter")
        await workers_done(pilot, "merge")
    lead = Lead[keep]
    assert lead.value_minor == 120000 and lead.organization_id is None
    assert Lead[other].merged_into_id == keep


async def test_merging_two_people_from_a_group_relinks_their_leads(
    twins: dict[str, int], app_on: Callable[[], LeadboxApp]
) -> None:
    ute, typo = Lead[twins["ute"]].person_id, Lead[twins["ute_typo"]].person_id
    async with app_on().run_test(size=SIZE) as pilot:
        screen = await scanned(pilot)
        await pilot.press("j", "m")
        modal = await merge_view(pilot)
        assert modal.plan is not None and modal.plan.kind == "person"
        await pilot.press("enter")
        await workers_done(pilot, "merge")
        await wait_until(pilot, lambda: screen.changed)
    assert Person[typo].merged_into_id == ute
    assert Lead[twins["ute_typo"]].person_id == ute


async def test_a_group_of_three_asks_which_two_to_merge(
    inbox_path: Path, app_on: Callable[[], LeadboxApp]
) -> None:
    ids = [
        add_lead("Support renewal", created=DAY + dt.timedelta(hours=h), person="Hassan Aziz")
        for h in range(3)
    ]
    async with app_on().run_test(size=SIZE) as pilot:
        screen = await scanned(pilot)
        assert screen.groups[0].ids == tuple(ids)
        await pilot.press("m")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, PickTwoModal))
        await pilot.press("j", "j", "space", "k", "k")  # the third stays, the first is merged
        await pilot.press("enter")
        modal = await merge_view(pilot)
        assert modal.plan is not None
        assert (modal.plan.keep_id, modal.plan.other_id) == (ids[2], ids[0])
        await pilot.press("enter")
        await workers_done(pilot, "merge")
        await wait_until(pilot, lambda: screen.changed)
        assert screen.groups[0].ids == (ids[1], ids[2])  # the group goes on without it
    assert Lead[ids[0]].merged_into_id == ids[2]


async def test_m_picks_the_other_lead_by_typing_and_merges_it(
    twins: dict[str, int], app_on: Callable[[], LeadboxApp]
) -> None:
    keep, other = twins["keep"], twins["other"]
    async with app_on().run_test(size=SIZE) as pilot:
        table = await loaded(pilot)
        assert table.current_lead_id == other  # the newest first
        await pilot.press("m")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, MergePickModal))
        found = pilot.app.screen.query_one(CandidateList)
        await wait_until(pilot, lambda: found.option_count == 1)  # its twin, before typing
        assert found.get_option_at_index(0).id == str(keep)
        await pilot.press(*"spare")
        await wait_until(
            pilot, lambda: found.option_count == 1 and found.get_option_at_index(0).id != str(keep)
        )
        assert found.get_option_at_index(0).id == str(twins["ute_typo"])
        await pilot.press(*["backspace"] * 5, *"web")
        await wait_until(
            pilot, lambda: found.option_count and found.get_option_at_index(0).id == str(keep)
        )
        await pilot.press("enter")
        modal = await merge_view(pilot)
        assert modal.plan is not None and (modal.plan.keep_id, modal.plan.other_id) == (other, keep)
        await pilot.press("enter")
        await workers_done(pilot, "merge")
        await wait_until(pilot, lambda: table.total == 5)
        assert Lead[keep].merged_into_id == other
        notes = pilot.app._notifications  # what the seller was told
        assert any("Merged lead" in n.message and "u undoes it" in n.message for n in notes)


async def open_picker_and_take_the_twin(pilot: Pilot) -> MergeModal:
    await pilot.press("m")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, MergePickModal))
    found = pilot.app.screen.query_one(CandidateList)
    await wait_until(pilot, lambda: found.option_count == 1)
    await pilot.press("enter")
    return await merge_view(pilot)


async def test_u_in_the_inbox_undoes_the_merge_completely(
    twins: dict[str, int], app_on: Callable[[], LeadboxApp]
) -> None:
    before = snapshot()
    async with app_on().run_test(size=SIZE) as pilot:
        table = await loaded(pilot)
        await open_picker_and_take_the_twin(pilot)
        await pilot.press("enter")
        await workers_done(pilot, "merge")
        await wait_until(pilot, lambda: table.total == 5)
        assert Lead[twins["keep"]].merged_into_id == twins["other"]
        await pilot.press("u")
        await workers_done(pilot, "inbox-writes")
        await wait_until(pilot, lambda: table.total == 6)
    assert snapshot() == before


async def test_m_with_two_leads_selected_merges_those_two(
    twins: dict[str, int], app_on: Callable[[], LeadboxApp]
) -> None:
    async with app_on().run_test(size=SIZE) as pilot:
        table = await loaded(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, InboxScreen)
        assert table.current_lead_id == twins["other"]
        await pilot.press("space", "j", "space", "k")  # "other" and "ute" (space moves on)
        assert table.current_lead_id == twins["ute"]
        await pilot.press("m")
        modal = await merge_view(pilot)
        assert modal.plan is not None  # the one under the cursor stays
        assert (modal.plan.keep_id, modal.plan.other_id) == (twins["ute"], twins["other"])
        await pilot.press("escape")
        await wait_until(pilot, lambda: pilot.app.screen is screen)
        await pilot.press("k", "space", "m")  # "keep" too: nothing opens, it says why
        assert pilot.app.screen is screen
        assert any("exactly two" in n.message for n in pilot.app._notifications)
        await pilot.press("k", "space", "m")  # "keep" unselected: two again
        await merge_view(pilot)
        await pilot.press("enter")
        await workers_done(pilot, "merge")
        await wait_until(pilot, lambda: table.total == 5)
        assert Lead[twins["other"]].merged_into_id == twins["ute"]
        assert not screen.selection  # the merged lead no longer in it


def test_every_key_of_these_screens_is_in_the_registry_with_one_meaning() -> None:
    for cls in (DuplicatesScreen, MergeModal, MergePickModal, PickTwoModal):
        bound = [b for bs in cls._merge_bindings().key_to_bindings.values() for b in bs]
        assert bound and all(b.id in keymap.BY_ID and b.description for b in bound), cls
        keys = [key for binding in cls.BINDINGS for key in binding.key.split(",")]
        assert len(keys) == len(set(keys)), cls
    for cls in (DuplicateGroupsView, MemberList, CandidateList):  # moved by their screens' keys
        assert not cls._merge_bindings().key_to_bindings, cls
