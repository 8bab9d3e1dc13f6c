"""Leads from e-mails: messages written here as a mail client would, imported for real."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from leadbox_tui.services.detail import lead_detail
from leadbox_tui.services.email_import import (
    html_to_text,
    import_emails,
    organization_of,
    parse_email,
    signature_phones,
)
from leadbox_tui.services.history import undo_last
from leadbox_tui.services.inbox import InboxQuery
from leadbox_tui.services.leads import NewLead, create_lead
from leadbox_tui.services.records import lead_records
from leadbox_tui.store.models import EmailMessage, Lead, Organization, Person

ENCODED = (
    "From: =?UTF-8?Q?Zo=C3=AB_M=C3=BCller?= <zoe@initech-industries.co.uk>\r\n"
    "To: Me <me@example.com>\r\n"
    "Subject: =?ISO-8859-1?Q?RE:_Demande_de_devis_=E9t=E9?=\r\n"
    "Date: Tue, 3 Mar 2026 10:15:00 +0100\r\n"
    "Message-ID: <abc123@initech>\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "\r\n"
    "Bonjour,\r\nNous voudrions un devis pour 40 postes.\r\n\r\n-- \r\nZoë Müller\r\n"
    "Directrice des achats\r\nTél : +44 20 7946 0958 | Fax: n/a\r\nPortable 06 12 34 56 78\r\n"
).encode()

HTML_ONLY = (
    b"From: =?utf-8?b?w4lsb2RpZSBEdXBvbnQ=?= <elodie.dupont@gmail.com>\r\n"
    b"Subject: Prix\r\n"
    b"Message-ID: <html-1@mail.gmail.com>\r\n"
    b"Content-Type: text/html; charset=utf-8\r\n"
    b"\r\n"
    b"<html><head><style>p {color: red}</style><script>alert(1)</script></head><body>"
    b"<p>Bonjour,</p><p>Quel est le prix&nbsp;?</p><ul><li>10 postes</li><li>20 postes</li></ul>"
    b"<div>&Eacute;lodie<br>01 23 45 67 89</div></body></html>\r\n"
)


def test_an_email_becomes_a_lead_with_its_person_organisation_note_and_message(
    inbox_path: Path,
) -> None:
    report = import_emails([("devis.eml", ENCODED)])
    assert (report.added, report.skipped, report.rejected) == (1, (), ())
    [record] = lead_records(InboxQuery().ids(0, 10))
    assert record.title == "Demande de devis été"
    assert (record.source, record.origin) == ("E-mail", "devis.eml")
    assert record.person.name == "Zoë Müller"
    assert record.person.emails == ("zoe@initech-industries.co.uk",)
    assert record.person.phones == ("+44 20 7946 0958", "06 12 34 56 78")
    assert (record.organization.name, record.organization.website) == (
        "Initech Industries",
        "initech-industries.co.uk",
    )
    detail = lead_detail(record.id)
    assert detail.notes[0].body.startswith("Bonjour,\nNous voudrions un devis pour 40 postes.")
    [mail] = detail.emails
    assert (mail.direction, mail.sender, mail.subject) == (
        "in",
        "Zoë Müller <zoe@initech-industries.co.uk>",
        "RE: Demande de devis été",
    )
    assert mail.sent_at == dt.datetime(2026, 3, 3, 9, 15)  # stored in UTC
    assert EmailMessage.get().message_id == "<abc123@initech>"


def test_importing_the_same_message_twice_adds_one_lead(inbox_path: Path) -> None:
    import_emails([("devis.eml", ENCODED)])
    again = import_emails([("devis.eml", ENCODED), ("copy.eml", ENCODED)])
    assert again.added == 0
    assert [s.message for s in again.skipped] == ["already imported (lead #1)"] * 2
    assert Lead.select().count() == 1


def test_a_message_without_message_id_is_still_found_again(inbox_path: Path) -> None:
    message = b"From: Bob <bob@example.org>\r\nSubject: Hi\r\n\r\nCall me.\r\n"
    assert import_emails([("-", message)]).added == 1
    assert import_emails([("-", message)]).added == 0
    assert EmailMessage.get().message_id.endswith("@leadbox.invalid>")


def test_an_html_only_message_gives_its_text_and_free_mail_gives_no_organisation(
    inbox_path: Path,
) -> None:
    import_emails([("prix.eml", HTML_ONLY)])
    [record] = lead_records(InboxQuery().ids(0, 10))
    assert record.person.name == "Élodie Dupont"
    assert record.organization is None
    assert lead_detail(record.id).notes[0].body == (
        "Bonjour,\n\nQuel est le prix ?\n\n- 10 postes\n- 20 postes\n\nÉlodie\n01 23 45 67 89"
    )
    assert record.person.phones == ("01 23 45 67 89",)


def test_raw_utf8_headers_are_decoded() -> None:
    raw = "From: Zoë Ñúñez <zoe@acme.es>\r\nSubject: Precio especial\r\n\r\nHola\r\n"
    parsed = parse_email(raw.encode("utf-8"))
    assert (parsed.sender_name, parsed.subject, parsed.body) == (
        "Zoë Ñúñez",
        "Precio especial",
        "Hola",
    )


def test_a_plain_part_is_preferred_and_the_quoted_reply_is_not_the_signature() -> None:
    raw = (
        b'From: Ann <ann@globex.com>\r\nContent-Type: multipart/alternative; boundary="b"\r\n\r\n'
        b"--b\r\nContent-Type: text/html\r\n\r\n<p>HTML version</p>\r\n"
        b"--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        b"Yes please.\r\nAnn\r\n\r\nOn Mon, 2 Mar 2026, Bob wrote:\r\n> call 01 23 45 67 89\r\n"
        b"--b--\r\n"
    )
    parsed = parse_email(raw)
    assert parsed.body.startswith("Yes please.")
    assert parsed.phones == ()


def test_a_person_already_known_by_email_gets_the_new_lead(inbox_path: Path) -> None:
    create_lead(NewLead(person="Zoë Müller", emails=["ZOE@initech-industries.co.uk"]))
    import_emails([("devis.eml", ENCODED)])
    assert Person.select().count() == 1
    assert Lead.select().count() == 2


def test_a_message_without_sender_is_rejected_and_the_others_imported(inbox_path: Path) -> None:
    report = import_emails(
        [("junk.eml", b"Subject: no sender\r\n\r\nhello"), ("ok.eml", HTML_ONLY)]
    )
    assert report.added == 1
    assert [(r.where, r.message) for r in report.rejected] == [
        ("junk.eml", "junk.eml is not an e-mail with a sender address (no From:)")
    ]


def test_an_email_import_is_undone_in_one_step(inbox_path: Path) -> None:
    import_emails([("a.eml", ENCODED), ("b.eml", HTML_ONLY)])
    assert undo_last().description == "Imported a.eml, b.eml"
    assert InboxQuery().total == 0
    assert Organization.select().where(Organization.deleted_at.is_null()).count() == 0


@pytest.mark.parametrize(
    ("address", "guess"),
    [
        ("zoe@initech.fr", ("Initech", "initech.fr")),
        ("a@mail.acme-industries.com", ("Acme Industries", "mail.acme-industries.com")),
        ("a@globex.co.uk", ("Globex", "globex.co.uk")),
        ("a@gmail.com", None),
        ("a@yahoo.fr", None),
        ("a@orange.fr", None),
    ],
)
def test_the_organisation_is_guessed_from_the_domain_unless_free_mail(
    address: str, guess: tuple[str, str] | None
) -> None:
    assert organization_of(address) == guess


def test_html_is_turned_into_readable_text() -> None:
    assert html_to_text("<p>A&amp;B</p><p>C<br>D</p><style>x{}</style>") == "A&B\n\nC\nD"


def test_signature_phones_come_from_below_the_dashes_else_the_last_lines() -> None:
    assert signature_phones("Call 01 23 45 67 89 now\n-- \nBob\n06 12 34 56 78") == (
        "06 12 34 56 78",
    )
    assert signature_phones("Hello\nBob Stone\nAcme\nT. +33 1 23 45 67 89") == (
        "+33 1 23 45 67 89",
    )
