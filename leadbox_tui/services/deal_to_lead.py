"""Deals back to leads: a selection of up to 100, or every deal a filter shows (up to 100 too,
as in Pipedrive's list view). One transaction and one undo step.

Each deal becomes a new lead (source "Deal", owned by the seller converting it, the deal's title,
value, currency, expected close, person and organisation) with copies of its notes (their
mentions too), e-mails and labels; the deal's activities stay with it. The deal is deleted, so
it can be restored from the deleted deals (the lead stays), and the lead's change log records
``origin_deal``: when the conversion happened and which deal to open.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from playhouse.shortcuts import model_to_dict

from leadbox_tui.services.convert import BATCH, Progress, no_progress
from leadbox_tui.services.deals import DealQuery, live_deals
from leadbox_tui.services.history import Recorder, recorded
from leadbox_tui.services.pipelines import DealError
from leadbox_tui.services.users import ensure_me
from leadbox_tui.store.models import Deal, DealLabel, EmailMessage, Lead, Note, NoteMention

MAX_DEALS_AT_ONCE = 100
DEAL_SOURCE = "Deal"


def deals_to_leads(deal_ids: Sequence[int], progress: Progress = no_progress) -> list[int]:
    """Convert a selection of deals (at most 100) back to leads; returns the new leads' ids."""
    ids = list(dict.fromkeys(deal_ids))
    if len(ids) > MAX_DEALS_AT_ONCE:
        raise DealError(
            f"{len(ids):,} deals selected: at most {MAX_DEALS_AT_ONCE} convert at once; "
            "select fewer"
        )
    return _deals_to_leads(ids, progress)


def filtered_deals_to_leads(query: DealQuery, progress: Progress = no_progress) -> list[int]:
    """Convert every deal a filtered deals list shows back to leads ("convert filtered").

    The limit of a selection holds here too (as in Pipedrive's list view): a filter that
    matches more is refused before anything is written, with the way out said.
    """
    if query.filter.deleted:
        raise DealError("deleted deals cannot be converted; restore them first")
    check_filtered_count(query.total)
    return _deals_to_leads(query.all_ids(), progress)


def check_filtered_count(total: int) -> None:
    """Refuse a filter that matches more deals than convert at once (before asking the seller)."""
    if total > MAX_DEALS_AT_ONCE:
        raise DealError(
            f"{total:,} deals match the filter: at most {MAX_DEALS_AT_ONCE} convert at "
            "once; narrow the filter (a pipeline, a stage, a status, an owner)"
        )


def _lead_row(deal: Deal, owner_id: int, at: dt.datetime) -> dict:
    """The lead a deal goes back to: its fields and contacts, the seller as owner, source Deal."""
    return {
        "title": deal.title,
        "person": deal.person_id,
        "organization": deal.organization_id,
        "value_minor": deal.value_minor,
        "currency": deal.currency,
        "expected_close": deal.expected_close,
        "visible_to": deal.visible_to,
        "owner": owner_id,
        "source": DEAL_SOURCE,
        "origin": f"Deal {deal.id}",
        "created_at": at,
        "updated_at": at,
    }


def _copy_to_leads(
    rec: Recorder, model: type[Note] | type[EmailMessage], lead_of: dict[int, int]
) -> dict[int, int]:
    """Copy the deals' notes or e-mails to their new leads (same times and authors); returns
    each original's copy. Undo removes the copies, the originals stay with the deal."""
    copies: dict[int, int] = {}
    for record in model.select().where(model.deal.in_(list(lead_of))).order_by(model.id):
        row = model_to_dict(record, recurse=False, exclude=[model.id])
        row.update(lead=lead_of[record.deal_id], deal=None)
        copies[record.id] = model.insert(**row).execute()
    rec.created_many(model, list(copies.values()))
    return copies


def _copy_labels(rec: Recorder, lead_of: dict[int, int]) -> None:
    labels: dict[int, set[int]] = defaultdict(set)
    for deal_id, label_id in (
        DealLabel.select(DealLabel.deal, DealLabel.label)
        .where(DealLabel.deal.in_(list(lead_of)))
        .tuples()
    ):
        labels[lead_of[deal_id]].add(label_id)
    alike: dict[frozenset[int], list[int]] = defaultdict(list)
    for lead_id, label_ids in labels.items():
        alike[frozenset(label_ids)].append(lead_id)
    for label_ids, lead_ids in alike.items():
        rec.set_labels(lead_ids, exactly=label_ids)


def _deals_to_leads(deal_ids: list[int], progress: Progress) -> list[int]:
    if not deal_ids:
        raise DealError("no deals to convert")
    ids = live_deals(deal_ids)
    me = ensure_me()
    deals = {d.id: d for d in Deal.select().where(Deal.id.in_(ids))}
    what = (
        f"Converted deal {deals[ids[0]].title!r} to a lead"
        if len(ids) == 1
        else f"Converted {len(ids):,} deals to leads"
    )
    made: dict[int, int] = {}
    with recorded("convert", what) as rec:
        for start in range(0, len(ids), BATCH):
            batch = ids[start : start + BATCH]
            lead_of = {
                deal_id: Lead.insert(**_lead_row(deals[deal_id], me.id, rec.action.at)).execute()
                for deal_id in batch
            }
            rec.created_many(Lead, list(lead_of.values()))
            # the lead's change log: when it came back, and the deal to open
            rec.set_each(Lead, "origin_deal", {lead: deal for deal, lead in lead_of.items()})
            _copy_labels(rec, lead_of)
            notes = _copy_to_leads(rec, Note, lead_of)
            mentions = NoteMention.select(NoteMention.note, NoteMention.user).where(
                NoteMention.note.in_(list(notes))
            )
            copied = [{"note": notes[note], "user": user} for note, user in mentions.tuples()]
            if copied:
                NoteMention.insert_many(copied).execute()
            _copy_to_leads(rec, EmailMessage, lead_of)
            made.update(lead_of)
            progress(start + len(batch), len(ids))
        rec.set_many(Deal, ids, "deleted_at", rec.action.at)
    return [made[deal_id] for deal_id in ids]
