"""Peewee models for every entity of the domain (DESIGN.md section 1).

All models bind to ``database_proxy``; ``store.database.open_database`` points it at a real
database. Times are naive UTC datetimes. Money is kept in integer minor units (cents) next to
its ISO currency code, never as a float.
"""

from __future__ import annotations

import datetime as dt

from peewee import (
    SQL,
    AutoField,
    BigIntegerField,
    BooleanField,
    CharField,
    CompositeKey,
    DatabaseProxy,
    DateField,
    DateTimeField,
    DeferredForeignKey,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
    TimeField,
)
from playhouse.sqlite_ext import FTS5Model, RowIDField, SearchField

database_proxy = DatabaseProxy()


def utcnow() -> dt.datetime:
    """The current time as a naive UTC datetime, the way every timestamp is stored."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class BaseModel(Model):
    class Meta:
        database = database_proxy
        legacy_table_names = False


class TimestampedModel(BaseModel):
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)


class User(TimestampedModel):
    """The seller (``is_me``) and teammates: owners, assignees, mention targets."""

    id = AutoField()
    name = CharField()
    handle = CharField(unique=True)
    email = CharField(null=True)
    is_me = BooleanField(default=False)


class Organization(TimestampedModel):
    id = AutoField()
    name = CharField()
    name_key = CharField(index=True)
    address = TextField(null=True)
    website = CharField(null=True)
    merged_into = ForeignKeyField(
        "self", null=True, backref="absorbed", on_delete="SET NULL", index=False
    )
    deleted_at = DateTimeField(null=True)


NAME_KEY_ROTATED = (
    "CASE WHEN instr(name_key, ' ') > 0 THEN substr(name_key, instr(name_key, ' ') + 1) || ' ' "
    "|| substr(name_key, 1, instr(name_key, ' ') - 1) END"
)
"""``name_key`` with its first word moved to the end ("jean dupont" is "dupont jean"), indexed for
people and organisations (migration 0008): live suggestions find a name from its second word
when the first has a slip. A query must write the expression exactly so for SQLite to use it."""


def _rotated_name_key_index(table: str) -> SQL:
    return SQL(
        f'CREATE INDEX IF NOT EXISTS "{table}_name_key_rotated" ON "{table}" ({NAME_KEY_ROTATED})'
    )


Organization.add_index(_rotated_name_key_index("organization"))


class Person(TimestampedModel):
    id = AutoField()
    name = CharField()
    name_key = CharField(index=True)
    organization = ForeignKeyField(Organization, null=True, backref="people", on_delete="SET NULL")
    merged_into = ForeignKeyField(
        "self", null=True, backref="absorbed", on_delete="SET NULL", index=False
    )
    deleted_at = DateTimeField(null=True)


Person.add_index(_rotated_name_key_index("person"))


class ContactPoint(BaseModel):
    """One e-mail address or phone number of a person, with its normalised key for look-ups."""

    id = AutoField()
    person = ForeignKeyField(Person, backref="contact_points", on_delete="CASCADE")
    kind = CharField()  # "email" or "phone"
    value = CharField()  # as the seller typed it
    key = CharField()  # lower-case e-mail, or digits with country code
    position = IntegerField(default=0)

    class Meta:
        indexes = ((("kind", "key"), False),)


class Pipeline(TimestampedModel):
    """A removed pipeline keeps its row (``deleted_at``); names are unique among live ones."""

    id = AutoField()
    name = CharField()
    position = IntegerField(default=0)
    deleted_at = DateTimeField(null=True)


class Stage(TimestampedModel):
    id = AutoField()
    pipeline = ForeignKeyField(Pipeline, backref="stages", on_delete="CASCADE")
    name = CharField()
    position = IntegerField(default=0)
    deleted_at = DateTimeField(null=True)


class Lead(TimestampedModel):
    """A not-yet-deal. Linked to a person, an organisation or both.

    ``next_activity_at`` (the earliest open activity) and ``label_names`` are kept by the
    services so the inbox can sort on them through an index at a million rows.
    """

    id = AutoField()
    title = CharField()
    person = ForeignKeyField(Person, null=True, backref="leads", on_delete="SET NULL")
    organization = ForeignKeyField(Organization, null=True, backref="leads", on_delete="SET NULL")
    value_minor = BigIntegerField(null=True)
    currency = CharField(null=True)
    expected_close = DateField(null=True)
    owner = ForeignKeyField(User, null=True, backref="leads", on_delete="SET NULL")
    source = CharField(default="Manually created")
    origin = CharField(null=True)
    stage = CharField(null=True)
    score = IntegerField(null=True)
    score_mode = CharField(default="auto")  # "auto" or "manual"
    visible_to = CharField(default="everyone")  # "owner" or "everyone"
    was_seen = BooleanField(default=False)
    archived_at = DateTimeField(null=True)
    deleted_at = DateTimeField(null=True)
    converted_at = DateTimeField(null=True)
    converted_deal = DeferredForeignKey("Deal", null=True, on_delete="SET NULL")
    origin_deal = DeferredForeignKey("Deal", null=True, on_delete="SET NULL")
    merged_into = ForeignKeyField(
        "self", null=True, backref="absorbed", on_delete="SET NULL", index=False
    )
    next_activity_at = DateTimeField(null=True)
    label_names = CharField(default="")


class Deal(TimestampedModel):
    id = AutoField()
    title = CharField()
    value_minor = BigIntegerField(null=True)
    currency = CharField(null=True)
    pipeline = ForeignKeyField(Pipeline, null=True, backref="deals", on_delete="SET NULL")
    stage = ForeignKeyField(Stage, null=True, backref="deals", on_delete="SET NULL")
    status = CharField(default="open")  # open, won, lost
    lost_reason = CharField(null=True)
    person = ForeignKeyField(Person, null=True, backref="deals", on_delete="SET NULL")
    organization = ForeignKeyField(Organization, null=True, backref="deals", on_delete="SET NULL")
    owner = ForeignKeyField(User, null=True, backref="deals", on_delete="SET NULL")
    visible_to = CharField(default="everyone")
    expected_close = DateField(null=True)
    lead_origin = ForeignKeyField(Lead, null=True, backref="deals", on_delete="SET NULL")
    deleted_at = DateTimeField(null=True)


class Label(TimestampedModel):
    """A removed label keeps its row (``deleted_at``) so removing it can be undone."""

    id = AutoField()
    name = CharField(unique=True)
    colour = CharField(default="grey")
    deleted_at = DateTimeField(null=True)


class LeadLabel(BaseModel):
    lead = ForeignKeyField(Lead, backref="lead_labels", on_delete="CASCADE")
    label = ForeignKeyField(Label, backref="lead_labels", on_delete="CASCADE")

    class Meta:
        primary_key = CompositeKey("lead", "label")
        indexes = ((("label", "lead"), False),)


class DealLabel(BaseModel):
    deal = ForeignKeyField(Deal, backref="deal_labels", on_delete="CASCADE")
    label = ForeignKeyField(Label, backref="deal_labels", on_delete="CASCADE")

    class Meta:
        primary_key = CompositeKey("deal", "label")


class Note(TimestampedModel):
    id = AutoField()
    body = TextField()
    author = ForeignKeyField(User, null=True, backref="notes", on_delete="SET NULL")
    lead = ForeignKeyField(Lead, null=True, backref="notes", on_delete="CASCADE")
    deal = ForeignKeyField(Deal, null=True, backref="notes", on_delete="CASCADE")
    person = ForeignKeyField(Person, null=True, backref="notes", on_delete="CASCADE")
    pinned = BooleanField(default=False)
    deleted_at = DateTimeField(null=True)


class NoteMention(BaseModel):
    note = ForeignKeyField(Note, backref="mentions", on_delete="CASCADE")
    user = ForeignKeyField(User, backref="mentions", on_delete="CASCADE")

    class Meta:
        primary_key = CompositeKey("note", "user")


class Activity(TimestampedModel):
    id = AutoField()
    type = CharField()  # call, meeting, task, deadline, email, lunch
    subject = CharField()
    due_date = DateField()
    due_time = TimeField(null=True)
    done_at = DateTimeField(null=True)
    owner = ForeignKeyField(User, null=True, backref="activities", on_delete="SET NULL")
    lead = ForeignKeyField(Lead, null=True, backref="activities", on_delete="CASCADE")
    deal = ForeignKeyField(Deal, null=True, backref="activities", on_delete="CASCADE")


class EmailMessage(TimestampedModel):
    id = AutoField()
    direction = CharField()  # "in" or "out"
    sender = CharField()
    to = TextField(default="")
    cc = TextField(default="")
    subject = CharField(default="")
    sent_at = DateTimeField(null=True)
    body = TextField(default="")
    message_id = CharField(null=True, index=True)
    lead = ForeignKeyField(Lead, null=True, backref="emails", on_delete="CASCADE")
    deal = ForeignKeyField(Deal, null=True, backref="emails", on_delete="CASCADE")


class Action(BaseModel):
    """One thing the seller did: the unit of undo. Its ``Change`` rows say what it changed."""

    id = AutoField()
    kind = CharField()
    description = CharField()
    at = DateTimeField(default=utcnow)
    by = ForeignKeyField(User, null=True, backref="actions", on_delete="SET NULL")
    undone_at = DateTimeField(null=True)


class Change(BaseModel):
    """One field of one record changed: the change log, and what undo reverses.

    ``old`` and ``new`` are JSON. ``field`` is a column name, or ``"@created"`` when the record
    was created by the action, or ``"labels"`` for a lead's label set.
    """

    id = AutoField()
    action = ForeignKeyField(Action, null=True, backref="changes", on_delete="CASCADE")
    record_type = CharField()
    record_id = IntegerField()
    field = CharField()
    old = TextField(null=True)
    new = TextField(null=True)
    at = DateTimeField(default=utcnow)
    by = ForeignKeyField(User, null=True, backref="changes", on_delete="SET NULL")

    class Meta:
        indexes = ((("record_type", "record_id", "at"), False),)


class SavedFilter(TimestampedModel):
    id = AutoField()
    name = CharField(unique=True)
    conditions = TextField(default="{}")  # JSON
    favourite = BooleanField(default=False)
    owner = ForeignKeyField(User, null=True, backref="filters", on_delete="SET NULL")
    deleted_at = DateTimeField(null=True)


class ScoringCriterion(TimestampedModel):
    id = AutoField()
    description = CharField()
    weight = IntegerField(default=2)  # low 1, normal 2, high 3
    position = IntegerField(default=0)


class LeadCriterion(BaseModel):
    """A scoring criterion ticked for a lead."""

    lead = ForeignKeyField(Lead, backref="criteria", on_delete="CASCADE")
    criterion = ForeignKeyField(ScoringCriterion, backref="leads", on_delete="CASCADE")

    class Meta:
        primary_key = CompositeKey("lead", "criterion")


class Setting(BaseModel):
    """Per-inbox preferences the UI remembers between runs (sort, columns)."""

    key = CharField(primary_key=True)
    value = TextField()  # JSON


class DemoTwin(BaseModel):
    """Ground truth of the demo generator: ``twin_id`` is a near-duplicate of ``original_id``."""

    id = AutoField()
    kind = CharField()  # "person" or "organization"
    original_id = IntegerField()
    twin_id = IntegerField()
    variation = CharField()


class NotDuplicate(BaseModel):
    """Two records the seller said are not duplicates, so the duplicate scan stops offering them.

    ``kind`` is "lead", "person" or "organization"; ``first_id`` is the smaller id of the pair.
    """

    id = AutoField()
    kind = CharField()
    first_id = IntegerField()
    second_id = IntegerField()
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("kind", "first_id", "second_id"), True),)


class LeadSearch(FTS5Model):
    """The search index (migration 0005): one row per lead, ``rowid`` = the lead's id.

    Written only by ``services.search``, from the leads that triggers list in
    ``LeadSearchPending``; the tokenizer folds case and accents.
    """

    rowid = RowIDField()
    title = SearchField()
    person = SearchField()
    organization = SearchField()
    emails = SearchField()
    phones = SearchField()

    class Meta:
        database = database_proxy
        table_name = "lead_search"


class LeadSearchPending(BaseModel):
    """Leads whose searchable text changed since they were last indexed (filled by triggers)."""

    lead_id = IntegerField(primary_key=True)


ALL_MODELS: tuple[type[BaseModel], ...] = (
    User,
    Organization,
    Person,
    ContactPoint,
    Pipeline,
    Stage,
    Lead,
    Deal,
    Label,
    LeadLabel,
    DealLabel,
    Note,
    NoteMention,
    Activity,
    EmailMessage,
    Action,
    Change,
    SavedFilter,
    ScoringCriterion,
    LeadCriterion,
    Setting,
    DemoTwin,
    NotDuplicate,
)
