"""Notes on a lead or a deal: as many as wanted, multi-line, newest first, one pinned on top.

``@handle`` in a note mentions that user; the mentions are stored as ``NoteMention`` links. The
rule is SQL (the same as the trigger of migration 0005 that follows an edited body, or an edit
undone): ``@`` after a space or punctuation, the handle, then anything that cannot continue a
handle, so "@jose.garcia." mentions jose.garcia and "bob@jose.fr" mentions nobody.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import JOIN

from leadbox_tui.services.history import Recorder, recorded
from leadbox_tui.services.leads import clean_text
from leadbox_tui.services.normalize import fold
from leadbox_tui.services.users import UserInfo
from leadbox_tui.store.models import Deal, Lead, Note, NoteMention, User, database_proxy

MAX_NOTE = 20_000
MENTIONS_SQL = """
INSERT OR IGNORE INTO note_mention (note_id, user_id)
SELECT n.id, u.id FROM note n, user u
WHERE n.id = ? AND (
    (' ' || lower(n.body) || ' ') GLOB ('*[^a-z0-9_]@' || u.handle || '[^a-z0-9_.-]*')
    OR (' ' || lower(n.body) || ' ') GLOB ('*[^a-z0-9_]@' || u.handle || '[.-][^a-z0-9_]*'))
"""


class NoteError(ValueError):
    """A note cannot be written as asked; the message is for the seller."""


@dataclass(frozen=True)
class NoteView:
    """A note as the detail panel shows it."""

    id: int
    body: str
    author: str | None
    created_at: dt.datetime
    updated_at: dt.datetime
    pinned: bool
    mentions: tuple[UserInfo, ...]


def _body(text: str) -> str:
    body = clean_text(text, "A note", MAX_NOTE)
    if not body:
        raise NoteError("a note cannot be empty")
    return body


def _lead(lead_id: int) -> Lead:
    lead = Lead.get_or_none(Lead.id == lead_id)
    if lead is None:
        raise NoteError(f"no lead #{lead_id}")
    return lead


def _note(note_id: int) -> Note:
    note = Note.get_or_none(Note.id == note_id, Note.deleted_at.is_null())
    if note is None:
        raise NoteError(f"no note #{note_id}")
    return note


def _deal(deal_id: int) -> Deal:
    deal = Deal.get_or_none(Deal.id == deal_id)
    if deal is None:
        raise NoteError(f"no deal #{deal_id}")
    return deal


def _unpin_others(rec: Recorder, note: Note) -> None:
    """One pinned note per lead, or per deal."""
    same = Note.lead == note.lead_id if note.lead_id is not None else Note.deal == note.deal_id
    others = Note.select(Note.id).where(same, Note.id != note.id)
    pinned = others.where(Note.pinned == True)  # noqa: E712 -- SQL, not Python
    rec.set_many(Note, [n.id for n in pinned], "pinned", False)


def _pin(rec: Recorder, note: Note) -> None:
    _unpin_others(rec, note)
    rec.set(Note, note.id, "pinned", True)


def add_note(lead_id: int, text: str, pinned: bool = False) -> int:
    """Add a note to a lead, by the seller, linking the users it mentions; returns its id."""
    body = _body(text)
    return _add(_lead(lead_id), body, pinned)


def add_deal_note(deal_id: int, text: str, pinned: bool = False) -> int:
    """Add a note to a deal, as to a lead; returns its id."""
    body = _body(text)
    return _add(_deal(deal_id), body, pinned)


def _add(record: Lead | Deal, body: str, pinned: bool) -> int:
    owner = "lead" if isinstance(record, Lead) else "deal"
    with recorded("note", f"Added a note to {record.title!r}") as rec:
        note = Note.create(
            body=body,
            author=rec.by,
            created_at=rec.action.at,
            updated_at=rec.action.at,
            **{owner: record.id},
        )
        rec.created(Note, note.id)
        database_proxy.execute_sql(MENTIONS_SQL, (note.id,))
        if pinned:
            _pin(rec, note)
    return note.id


def edit_note(note_id: int, text: str) -> bool:
    """Change a note's text (its mentions follow); returns whether it changed."""
    body = _body(text)
    note = _note(note_id)
    with recorded("note", "Edited a note") as rec:
        return rec.set(Note, note.id, "body", body)


def delete_note(note_id: int) -> None:
    """Remove a note; undo brings it back."""
    note = _note(note_id)
    with recorded("note", "Deleted a note") as rec:
        rec.set(Note, note.id, "deleted_at", rec.action.at)


def pin_note(note_id: int, pinned: bool = True) -> None:
    """Pin a note to the top of its lead's (or deal's) notes, unpinning the one that was; or
    unpin it."""
    note = _note(note_id)
    with recorded("note", "Pinned a note" if pinned else "Unpinned a note") as rec:
        if pinned:
            _pin(rec, note)
        else:
            rec.set(Note, note.id, "pinned", False)


def notes_of(lead_id: int) -> list[NoteView]:
    """A lead's notes: the pinned one first, then the newest first."""
    author = User.alias()
    rows = list(
        Note.select(Note, author.name)
        .join_from(Note, author, JOIN.LEFT_OUTER, on=(Note.author == author.id))
        .where(Note.lead == lead_id, Note.deleted_at.is_null())
        .order_by(Note.pinned.desc(), Note.created_at.desc(), Note.id.desc())
        .objects()
    )
    mentions: dict[int, tuple[UserInfo, ...]] = {}
    query = (
        NoteMention.select(NoteMention.note, User)
        .join(User)
        .where(NoteMention.note.in_([n.id for n in rows]))
        .order_by(User.name)
    )
    for link in query:
        user = link.user
        info = UserInfo(user.id, user.name, user.handle, user.email, user.is_me)
        mentions[link.note_id] = (*mentions.get(link.note_id, ()), info)
    return [
        NoteView(
            n.id,
            n.body,
            n.name,
            n.created_at,
            n.updated_at,
            n.pinned,
            tuple(mentions.get(n.id, ())),
        )
        for n in rows
    ]


def mention_candidates(prefix: str, limit: int = 8) -> list[UserInfo]:
    """Users to offer while the seller types ``@prefix``: by handle, then by any name word."""
    typed = fold(prefix.lstrip("@"))
    found: list[tuple[int, str, UserInfo]] = []
    for user in User.select().order_by(User.name, User.id):
        info = UserInfo(user.id, user.name, user.handle, user.email, user.is_me)
        if user.handle.startswith(typed):
            found.append((0, fold(user.name), info))
        elif any(word.startswith(typed) for word in fold(user.name).split()):
            found.append((1, fold(user.name), info))
    found.sort(key=lambda item: (item[0], item[2].is_me, item[1]))
    return [info for _, _, info in found[:limit]]
