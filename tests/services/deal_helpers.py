"""Deals for tests, made the way a seller makes them: leads added, then converted."""

from __future__ import annotations

from leadbox_tui.services.convert import convert_leads
from leadbox_tui.services.leads import NewLead, create_lead


def new_deals(*organizations: str, stage_id: int | None = None, **fields: object) -> list[int]:
    """One deal per organisation name, converted from a new lead, in ``stage_id`` (or the first)."""
    lead_ids = [create_lead(NewLead(organization=name, **fields)) for name in organizations]
    return convert_leads(lead_ids, stage_id=stage_id).deal_ids
