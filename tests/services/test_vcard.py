"""vCards 2.1, 3.0 and 4.0 in, 3.0 and 4.0 out: files written here as address books write them."""

from __future__ import annotations

from pathlib import Path

import pytest

from leadbox_tui.services.detail import person_info
from leadbox_tui.services.history import undo_last
from leadbox_tui.services.leads import NewLead, create_lead
from leadbox_tui.services.vcard import (
    export_lead_people,
    export_people,
    import_vcards,
    parse_vcards,
    vcard_text,
)
from leadbox_tui.store.models import ContactPoint, Note, Organization, Person

V21 = (
    b"BEGIN:VCARD\r\n"
    b"VERSION:2.1\r\n"
    b"N;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:M=FCller;J=FCrgen\r\n"
    b"FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:J=C3=BCrgen M=C3=BCller von der Gro=C3=9Fen=\r\n"
    b"stadt\r\n"
    b"TEL;WORK;VOICE:+49 30 1234567\r\n"
    b"TEL;CELL:0170 1234567\r\n"
    b"EMAIL;INTERNET:jm@firma.de\r\n"
    b"ORG:Firma GmbH;Vertrieb\r\n"
    b"ADR;WORK:;;Hauptstr. 1;Berlin;;10115;Germany\r\n"
    b"PHOTO;ENCODING=BASE64;TYPE=JPEG:/9j/4AAQSkZJRgABAQEASABIAAD\r\n"
    b" /2wBDAAMCAgMCAgMDAwMEAwMEBQgFBQQEBQoHBwYIDAoMDAsKCwsNDhIQDQ4RDgsLEBYQERMU\r\n"
    b"\r\n"
    b"END:VCARD\r\n"
)
V30 = (
    b"BEGIN:VCARD\r\n"
    b"VERSION:3.0\r\n"
    b"FN:Ann Lee\\, PhD\r\n"
    b"N:Lee;Ann;;;PhD\r\n"
    b"ORG:Globex\\; Sons\r\n"
    b"item1.EMAIL;TYPE=INTERNET,WORK:ann@globex.com\r\n"
    b"item1.X-ABLabel:work\r\n"
    b"TEL;TYPE=CELL:06 12 34 \r\n"
    b" 56 78\r\n"
    b"URL:https://globex.com\r\n"
    b"NOTE:Met at the fair\\nWants a demo\r\n"
    b"END:VCARD\r\n"
    b"BEGIN:VCARD\r\n"
    b"VERSION:3.0\r\n"
    b"N:Stone;Bob;;;\r\n"
    b"EMAIL:bob@stone.io\r\n"
    b"END:VCARD\r\n"
)
V40 = (
    "BEGIN:VCARD\r\n"
    "VERSION:4.0\r\n"
    "FN:Kim Nguyễn\r\n"
    'TEL;VALUE=uri;TYPE="voice,cell":tel:+33-6-99-88-77-66\r\n'
    "EMAIL;PREF=1:kim@example.vn\r\n"
    "END:VCARD\r\n"
    "BEGIN:VCARD\r\n"
    "VERSION:4.0\r\n"
    "KIND:org\r\n"
    "FN:Initech\r\n"
    "ORG:Initech\r\n"
    "URL:https://initech.fr\r\n"
    "END:VCARD\r\n"
    "BEGIN:VCARD\r\n"
    "VERSION:4.0\r\n"
    "NOTE:nothing to know who this is\r\n"
    "END:VCARD\r\n"
).encode()


def test_version_2_1_quoted_printable_charsets_folds_and_photos_are_read() -> None:
    [card] = parse_vcards(V21)
    assert card.name == "Jürgen Müller von der Großenstadt"
    assert card.phones == ("+49 30 1234567", "0170 1234567")
    assert card.emails == ("jm@firma.de",)
    assert card.organization == "Firma GmbH"
    assert card.address == "Hauptstr. 1, Berlin, 10115, Germany"


def test_version_3_0_escapes_groups_and_folded_lines_are_read() -> None:
    ann, bob = parse_vcards(V30)
    assert (ann.name, ann.organization, ann.emails) == (
        "Ann Lee, PhD",
        "Globex; Sons",
        ("ann@globex.com",),
    )
    assert ann.phones == ("06 12 34 56 78",)
    assert (ann.website, ann.note) == ("https://globex.com", "Met at the fair\nWants a demo")
    assert (bob.name, bob.emails, bob.line) == ("Bob Stone", ("bob@stone.io",), 13)


def test_version_4_0_uris_and_organisation_cards_are_read() -> None:
    kim, initech, nobody = parse_vcards(V40)
    assert (kim.name, kim.phones, kim.emails) == (
        "Kim Nguyễn",
        ("+33-6-99-88-77-66",),
        ("kim@example.vn",),
    )
    assert (initech.name, initech.organization, initech.website) == (
        "",
        "Initech",
        "https://initech.fr",
    )
    assert (nobody.name, nobody.emails, nobody.phones) == ("", (), ())


def test_cards_become_people_and_organisations_and_a_known_person_is_merged(
    inbox_path: Path,
) -> None:
    create_lead(NewLead(person="Bob Stone", emails=["BOB@stone.io"]))
    report = import_vcards([("a.vcf", V21), ("b.vcf", V30), ("c.vcf", V40)])
    assert (report.what, report.added, report.merged) == ("contacts", 4, 1)
    assert [(r.where, r.message) for r in report.rejected] == [
        ("c.vcf, card at line 14", "no name, organisation, e-mail or phone")
    ]
    jurgen = Person.get(Person.name == "Jürgen Müller von der Großenstadt")
    assert jurgen.organization.name == "Firma GmbH"
    assert jurgen.organization.address == "Hauptstr. 1, Berlin, 10115, Germany"
    assert person_info(jurgen.id).phones == ("+49 30 1234567", "0170 1234567")
    ann = Person.get(Person.name == "Ann Lee, PhD")
    assert Note.get(Note.person == ann.id).body == "Met at the fair\nWants a demo"
    assert Organization.get(Organization.name == "Initech").website == "https://initech.fr"
    assert Person.select().count() == 4  # Bob was merged, not added
    assert undo_last().description == "Imported a.vcf, b.vcf, c.vcf"
    assert Person.select().where(Person.deleted_at.is_null()).count() == 1


def test_a_file_with_no_card_is_refused(inbox_path: Path) -> None:
    from leadbox_tui.services.spreadsheet import ImportFileError

    with pytest.raises(ImportFileError, match="notes.vcf holds no vCard"):
        import_vcards([("notes.vcf", b"just some text\r\n")])


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_people_exported_as_vcards_read_back_the_same(
    inbox_path: Path, tmp_path: Path, version: str
) -> None:
    create_lead(
        NewLead(
            person="Zoë Martin-Dupont",
            organization="Initech; Sons, Ltd",
            emails=["zoe@initech.fr", "z@gmail.com"],
            phones=["+33 6 12 34 56 78"],
            address="12 rue de la Paix, 75002 Paris",
            website="https://initech.fr",
        )
    )
    create_lead(NewLead(person="Bob"))
    path = tmp_path / "people.vcf"
    assert export_lead_people(path, version=version) == 2
    text = path.read_bytes().decode("utf-8")
    assert f"VERSION:{version}\r\n" in text
    cards = {c.name: c for c in parse_vcards(path.read_bytes())}
    zoe = cards["Zoë Martin-Dupont"]
    assert (zoe.emails, zoe.organization) == (
        ("zoe@initech.fr", "z@gmail.com"),
        "Initech; Sons, Ltd",
    )
    assert zoe.address == "12 rue de la Paix, 75002 Paris"
    assert zoe.phones == (("+33 6 12 34 56 78",) if version == "3.0" else ("+33612345678",))
    assert cards["Bob"].emails == ()


def test_long_lines_are_folded_at_75_octets_without_cutting_a_character(inbox_path: Path) -> None:
    create_lead(NewLead(person="Zoë " + "é" * 80))
    text = vcard_text(person_info(Person.get().id), None)
    lines = text.split("\r\n")
    assert all(len(line.encode()) <= 75 for line in lines)
    assert any(line.startswith(" ") for line in lines)
    [card] = parse_vcards(text.encode())
    assert card.name == "Zoë " + "é" * 80


def test_selected_people_are_exported_in_the_order_given(inbox_path: Path, tmp_path: Path) -> None:
    for name in ("Ann", "Bob", "Cid"):
        create_lead(NewLead(person=name))
    ids = [p.id for p in Person.select().order_by(Person.name.desc())]
    assert export_people(ids[:2], tmp_path / "two.vcf") == 2
    assert [c.name for c in parse_vcards((tmp_path / "two.vcf").read_bytes())] == ["Cid", "Bob"]
    assert ContactPoint.select().count() == 0
