"""The matching engine: how alike two people, organisations or leads are, and why. No database.

Names are compared in a canonical form (folded, nicknames read as the full first name, words also
sorted so that "Dupont Jean" is "Jean Dupont"); e-mails, phones and website domains count only
when they are exactly the same, and a free mail domain says nothing about an organisation.
Blocking keeps a scan linear: two records are compared only when they sit close together in one
of a few sort orders of their names, or share an exact e-mail, phone or domain.

One job per module: ``vocabulary`` (free mail, shared mailboxes, nicknames), ``forms`` (records
and the forms of their names), ``scores`` (scores and reasons), ``blocking`` (the pairs worth
scoring) and ``matches`` (scored pairs, leads through their contacts, groups). What the rest of
the app uses is importable from here.
"""

from leadbox_tui.services.matching.blocking import Tick
from leadbox_tui.services.matching.forms import (
    UNKNOWN_NAME,
    LeadRecord,
    NameForm,
    OrganizationRecord,
    PersonRecord,
    company_domains,
    lead_record,
    organization_name_form,
    person_name_form,
    person_record,
    website_domain,
)
from leadbox_tui.services.matching.matches import (
    group_matches,
    match_leads,
    match_organizations,
    match_people,
)
from leadbox_tui.services.matching.scores import (
    SAME_ORGANIZATION,
    SAME_PERSON,
    Match,
    PeopleScorer,
    Score,
    Thresholds,
    name_similarity,
    score_leads,
    score_organizations,
    score_people,
)
from leadbox_tui.services.matching.vocabulary import aliases_of, is_free_mail

__all__ = [
    "SAME_ORGANIZATION",
    "SAME_PERSON",
    "UNKNOWN_NAME",
    "LeadRecord",
    "Match",
    "NameForm",
    "OrganizationRecord",
    "PeopleScorer",
    "PersonRecord",
    "Score",
    "Thresholds",
    "Tick",
    "aliases_of",
    "company_domains",
    "group_matches",
    "is_free_mail",
    "lead_record",
    "match_leads",
    "match_organizations",
    "match_people",
    "name_similarity",
    "organization_name_form",
    "person_name_form",
    "person_record",
    "score_leads",
    "score_organizations",
    "score_people",
    "website_domain",
]
