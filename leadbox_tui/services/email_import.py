"""Leads from e-mails: an .eml file (or a message piped in by a mail client) becomes a lead.

The sender becomes the person (RFC 2047 and raw UTF-8 names decoded), the subject the title,
the text (or the HTML turned into text) the lead's first note, and the message is logged among
the lead's e-mails with its Message-ID, so importing it again adds nothing. Phone numbers in the
signature join the person; the organisation is guessed from the sender's domain unless it is a
free mail provider. Source: E-mail.
"""

from __future__ import annotations

import datetime as dt
import email
import hashlib
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage as MimeMessage
from html.parser import HTMLParser

import phonenumbers

from leadbox_tui.services.contacts import find_or_create_organization, find_or_create_person
from leadbox_tui.services.history import recorded
from leadbox_tui.services.importer import ImportReport, RowNote, forget_if_empty
from leadbox_tui.services.leads import MAX_TEXT, clean_text, default_title
from leadbox_tui.services.matching import is_free_mail
from leadbox_tui.services.normalize import default_phone_region, phone_key
from leadbox_tui.services.spreadsheet import ImportFileError
from leadbox_tui.services.users import ensure_me
from leadbox_tui.store.models import EmailMessage, Lead, Note

SIGNATURE_LINES = 10  # without a "-- " line, the signature is looked for in the last lines
_REPLY_PREFIX = re.compile(r"^\s*((re|fwd?|tr|aw|wg|rif|sv|antw)\s*(\[\d+\])?\s*:\s*)+", re.I)
_QUOTE_START = re.compile(
    r"^(>|-{2,}\s*(original message|message d'origine|forwarded message|message transféré)"
    r"|on .+ wrote:$|le .+ a écrit\s?:$)",
    re.I,
)
SECOND_LEVEL = frozenset("co com net org gov gouv ac edu ltd plc asso".split())
BLOCK_TAGS = frozenset(
    "p div br tr li ul ol table h1 h2 h3 h4 h5 h6 blockquote pre hr section article header "
    "footer address dt dd".split()
)
SKIPPED_TAGS = frozenset(("script", "style", "head", "title"))


@dataclass(frozen=True)
class ParsedEmail:
    message_id: str
    sender_name: str
    sender_address: str
    to: str
    cc: str
    subject: str
    sent_at: dt.datetime | None  # naive UTC
    body: str
    phones: tuple[str, ...]  # found in the signature
    organization: str | None  # guessed from the sender's domain
    website: str | None


class _TextFromHtml(HTMLParser):
    """HTML as the text a reader sees: blocks on their own lines, scripts and styles dropped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED_TAGS:
            self._skipping += 1
        elif tag in BLOCK_TAGS:
            self.parts.append("\n- " if tag == "li" else "\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED_TAGS:
            self._skipping = max(0, self._skipping - 1)
        elif tag in BLOCK_TAGS and tag != "li":  # the next item starts its own line
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(re.sub(r"\s+", " ", data))


def html_to_text(html: str) -> str:
    parser = _TextFromHtml()
    parser.feed(html)
    parser.close()
    lines = (line.strip() for line in "".join(parser.parts).splitlines())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _fixed(text: str) -> str:
    """Header text with raw UTF-8 bytes (kept by the parser as surrogates) decoded."""
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8")
    except UnicodeError:
        return text.encode("utf-8", "surrogateescape").decode("cp1252", "replace")


def _payload_text(part: MimeMessage) -> str:
    raw = part.get_payload(decode=True) or b""
    for charset in (part.get_content_charset(), "utf-8"):
        if charset:
            try:
                return raw.decode(charset)
            except (LookupError, UnicodeDecodeError):
                continue
    return raw.decode("cp1252", "replace")


def _body(message: MimeMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    text = _payload_text(part)
    if part.get_content_type() == "text/html":
        return html_to_text(text)
    return text.replace("\r\n", "\n").strip()


def _without_quotes(body: str) -> str:
    """The message's own words: the quoted or forwarded message below them is cut off."""
    lines = body.splitlines()
    for index, line in enumerate(lines):
        if _QUOTE_START.match(line.strip()):
            return "\n".join(lines[:index]).rstrip()
    return body


def signature_phones(body: str) -> tuple[str, ...]:
    """Phone numbers in the signature: below a "-- " line, else in the last lines."""
    own = _without_quotes(body)
    lines = own.splitlines()
    marks = [i for i, line in enumerate(lines) if line.rstrip() == "--"]
    signature = lines[marks[-1] + 1 :] if marks else lines[-SIGNATURE_LINES:]
    found: dict[str, str] = {}
    matcher = phonenumbers.PhoneNumberMatcher(
        "\n".join(signature), default_phone_region(), leniency=phonenumbers.Leniency.VALID
    )
    for match in matcher:
        found.setdefault(phone_key(match.raw_string), match.raw_string)
    return tuple(found.values())


def organization_of(address: str) -> tuple[str, str] | None:
    """(a name, the website) guessed from an address's domain; ``None`` for free mail."""
    domain = address.rpartition("@")[2].lower().strip(".")
    if not domain or "." not in domain or is_free_mail(domain):
        return None
    labels = domain.removeprefix("www.").split(".")
    core = labels[-3] if len(labels) >= 3 and labels[-2] in SECOND_LEVEL else labels[-2]
    name = " ".join(word.capitalize() for word in re.split(r"[-_]+", core) if word)
    return (name, domain) if name else None


def parse_email(data: bytes, name: str = "message") -> ParsedEmail:
    """An e-mail's bytes as the lead it makes; ``ImportFileError`` when it has no sender."""
    message = email.message_from_bytes(data, policy=policy.default)
    sender = message["From"]
    addresses = getattr(sender, "addresses", ()) if sender is not None else ()
    found = next((a for a in addresses if a.username and a.domain), None)
    if found is None:
        raise ImportFileError(f"{name} is not an e-mail with a sender address (no From:)")
    address = _fixed(found.addr_spec)
    body = _body(message)
    date = message["Date"]
    sent = getattr(date, "datetime", None) if date is not None else None
    if sent is not None and sent.tzinfo is not None:
        sent = sent.astimezone(dt.UTC).replace(tzinfo=None)
    message_id = str(message["Message-ID"] or "").strip()
    if not message_id:  # the same file imported twice must still be found again
        message_id = f"<sha256.{hashlib.sha256(data).hexdigest()[:32]}@leadbox.invalid>"
    organization = organization_of(address)
    return ParsedEmail(
        message_id=message_id,
        sender_name=_fixed(found.display_name).strip(),
        sender_address=address,
        to=_fixed(str(message["To"] or "")),
        cc=_fixed(str(message["Cc"] or "")),
        subject=_fixed(str(message["Subject"] or "")).strip(),
        sent_at=sent,
        body=body,
        phones=signature_phones(body),
        organization=organization[0] if organization else None,
        website=organization[1] if organization else None,
    )


def _title(parsed: ParsedEmail) -> str:
    subject = _REPLY_PREFIX.sub("", parsed.subject).strip()
    return subject or default_title(parsed.sender_name or parsed.sender_address, "")


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def import_emails(messages: Sequence[tuple[str, bytes]], origin: str | None = None) -> ImportReport:
    """A lead from each (name, bytes) message, all in one action; a message already imported
    (same Message-ID) is skipped. ``origin`` defaults to each message's file name."""
    started = time.perf_counter()
    parsed: list[tuple[str, ParsedEmail]] = []
    rejected: list[RowNote] = []
    for name, data in messages:
        try:
            parsed.append((name, parse_email(data, name)))
        except ImportFileError as error:
            rejected.append(RowNote(name, str(error)))
    skipped: list[RowNote] = []
    added = 0
    seen: set[str] = set()
    me = ensure_me().id
    label = ", ".join(name for name, _ in messages)
    with recorded("import", f"Imported {label}") as rec:
        for name, mail in parsed:
            logged = EmailMessage.get_or_none(EmailMessage.message_id == mail.message_id)
            if logged is not None or mail.message_id in seen:
                where = (
                    f"lead #{logged.lead_id}"
                    if logged is not None and logged.lead_id
                    else "this import"
                )
                skipped.append(RowNote(name, f"already imported ({where})"))
                continue
            seen.add(mail.message_id)
            org_id = (
                find_or_create_organization(rec, mail.organization, website=mail.website)
                if mail.organization
                else None
            )
            person_name = clean_text(mail.sender_name, "The sender's name", 500)
            person_id = find_or_create_person(
                rec, person_name, [mail.sender_address], list(mail.phones), org_id
            )
            lead = Lead.create(
                title=_short(clean_text(_title(mail), "The title", 10_000), 500),
                person=person_id,
                organization=org_id,
                owner=me,
                source="E-mail",
                origin=_short(origin or name, 500),
                created_at=rec.action.at,
                updated_at=rec.action.at,
            )
            rec.created(Lead, lead.id)
            if mail.body:
                note = Note.create(
                    body=_short(
                        clean_text(mail.body[: MAX_TEXT * 2], "The body", MAX_TEXT * 2), MAX_TEXT
                    ),
                    author=me,
                    lead=lead.id,
                    created_at=rec.action.at,
                    updated_at=rec.action.at,
                )
                rec.created(Note, note.id)
            logged = EmailMessage.create(
                direction="in",
                sender=str(Address(mail.sender_name, addr_spec=mail.sender_address)),
                to=mail.to,
                cc=mail.cc,
                subject=_short(mail.subject, 500),
                sent_at=mail.sent_at,
                body=mail.body,
                message_id=mail.message_id,
                lead=lead.id,
                created_at=rec.action.at,
                updated_at=rec.action.at,
            )
            rec.created(EmailMessage, logged.id)
            added += 1
        forget_if_empty(rec)
    return ImportReport(
        file=label,
        what="leads",
        added=added,
        merged=0,
        skipped=tuple(skipped),
        rejected=tuple(rejected),
        seconds=time.perf_counter() - started,
    )
