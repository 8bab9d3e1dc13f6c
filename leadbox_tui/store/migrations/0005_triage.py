"""Triage: the search index, soft removal of notes, labels and saved filters, and filter indexes.

- ``lead_search`` is an FTS5 index of each lead's title, person, organisation, e-mails and phones
  (case and accents folded by the tokenizer). Triggers never index anything themselves: they
  only put the ids of the leads whose text changed in ``lead_search_pending``, which costs a
  write a microsecond, and the search service indexes the pending leads before it searches.
  So every writer keeps the index right, bulk loads stay fast, and nothing can forget it.
- A label renamed renames itself in the ``label_names`` sort key of its leads, by trigger, so
  that undoing a rename (or any other writer) keeps the key right too.
- A note's ``@handle`` mentions follow its body when the body is edited (or an edit undone).
- Notes, labels and saved filters are removed softly (``deleted_at``), so removal can be undone.
- Indexes for the filter bar (a source's or an owner's leads in creation order), for the
  archived view in each sort order, for the trash, and for "with an e-mail" or "a phone".
"""

from peewee import DateTimeField

INBOX = (
    "archived_at IS NULL AND deleted_at IS NULL AND converted_at IS NULL AND merged_into_id IS NULL"
)
ARCHIVED = (
    "archived_at IS NOT NULL AND deleted_at IS NULL AND converted_at IS NULL "
    "AND merged_into_id IS NULL"
)

# The archived view sorts like the inbox (the same keys as migration 0002), over its own leads.
ARCHIVED_SORTS = {
    "lead_archived_title": "title, id",
    "lead_archived_activity": "next_activity_at IS NULL, next_activity_at, id",
    "lead_archived_labels": "label_names = '', label_names, id",
    "lead_archived_source": "source, id",
    "lead_archived_created": "created_at, id",
    "lead_archived_owner": "owner_id, id",
}

INDEXES = {
    "lead_inbox_source_created": f'"lead" (source, created_at, id) WHERE {INBOX}',
    "lead_inbox_owner_created": f'"lead" (owner_id, created_at, id) WHERE {INBOX}',
    "lead_trash": '"lead" (deleted_at, id) WHERE deleted_at IS NOT NULL',
    "contact_point_kind_person": '"contact_point" (kind, person_id)',  # has an e-mail, a phone
    **{name: f'"lead" ({keys}) WHERE {ARCHIVED}' for name, keys in ARCHIVED_SORTS.items()},
}

DIGITS = "cp.value"
for _ch in (" ", ".", "-", "(", ")", "/", "+"):
    DIGITS = f"replace({DIGITS}, '{_ch}', '')"

SEARCH_SOURCE = f"""
CREATE VIEW "lead_search_source" AS
SELECT l.id AS lead_id,
       l.title AS title,
       p.name AS person,
       o.name AS organization,
       (SELECT group_concat(cp.value, ' ') FROM contact_point cp
         WHERE cp.person_id = l.person_id AND cp.kind = 'email') AS emails,
       (SELECT group_concat({DIGITS} || ' ' || cp.key, ' ') FROM contact_point cp
         WHERE cp.person_id = l.person_id AND cp.kind = 'phone') AS phones
FROM lead l
LEFT JOIN person p ON p.id = l.person_id
LEFT JOIN organization o ON o.id = l.organization_id
"""

PENDING = 'INSERT OR IGNORE INTO "lead_search_pending" (lead_id)'

TRIGGERS = {
    "lead_search_on_insert": f"AFTER INSERT ON lead BEGIN {PENDING} VALUES (NEW.id); END",
    "lead_search_on_update": (
        "AFTER UPDATE OF title, person_id, organization_id ON lead "
        f"BEGIN {PENDING} VALUES (NEW.id); END"
    ),
    "lead_search_on_delete": f"AFTER DELETE ON lead BEGIN {PENDING} VALUES (OLD.id); END",
    "lead_search_on_person": (
        "AFTER UPDATE OF name ON person "
        f"BEGIN {PENDING} SELECT id FROM lead WHERE person_id = NEW.id; END"
    ),
    "lead_search_on_organization": (
        "AFTER UPDATE OF name ON organization "
        f"BEGIN {PENDING} SELECT id FROM lead WHERE organization_id = NEW.id; END"
    ),
    "lead_search_on_contact_insert": (
        "AFTER INSERT ON contact_point "
        f"BEGIN {PENDING} SELECT id FROM lead WHERE person_id = NEW.person_id; END"
    ),
    "lead_search_on_contact_delete": (
        "AFTER DELETE ON contact_point "
        f"BEGIN {PENDING} SELECT id FROM lead WHERE person_id = OLD.person_id; END"
    ),
    "lead_search_on_contact_update": (
        "AFTER UPDATE OF value, kind, key, person_id ON contact_point BEGIN "
        f"{PENDING} SELECT id FROM lead WHERE person_id IN (OLD.person_id, NEW.person_id); END"
    ),
    "label_names_on_rename": """AFTER UPDATE OF name ON label BEGIN
        UPDATE lead SET label_names = (
            SELECT coalesce(group_concat(name, ', '), '') FROM (
                SELECT l.name AS name FROM lead_label ll JOIN label l ON l.id = ll.label_id
                WHERE ll.lead_id = lead.id ORDER BY l.name))
        WHERE id IN (SELECT lead_id FROM lead_label WHERE label_id = NEW.id);
    END""",
    "note_mentions_on_edit": """AFTER UPDATE OF body ON note BEGIN
        DELETE FROM note_mention WHERE note_id = NEW.id;
        INSERT OR IGNORE INTO note_mention (note_id, user_id)
        SELECT NEW.id, u.id FROM user u
        WHERE (' ' || lower(NEW.body) || ' ') GLOB ('*[^a-z0-9_]@' || u.handle || '[^a-z0-9_.-]*')
           OR (' ' || lower(NEW.body) || ' ') GLOB ('*[^a-z0-9_]@' || u.handle || '[.-][^a-z0-9_]*');
    END""",
}


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("note", "deleted_at", DateTimeField(null=True)),
        migrator.add_column("label", "deleted_at", DateTimeField(null=True)),
        migrator.add_column("saved_filter", "deleted_at", DateTimeField(null=True)),
    )
    for name, target in INDEXES.items():
        db.execute_sql(f'CREATE INDEX "{name}" ON {target}')
    db.execute_sql(
        'CREATE VIRTUAL TABLE "lead_search" USING fts5 (title, person, organization, emails, '
        "phones, tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3', detail = none, "
        "columnsize = 0)"
    )
    db.execute_sql(
        "CREATE VIRTUAL TABLE \"lead_search_vocab\" USING fts5vocab('lead_search', 'row')"
    )
    db.execute_sql('CREATE TABLE "lead_search_pending" ("lead_id" INTEGER NOT NULL PRIMARY KEY)')
    db.execute_sql(SEARCH_SOURCE)
    for name, body in TRIGGERS.items():
        db.execute_sql(f'CREATE TRIGGER "{name}" {body}')
    db.execute_sql(f"{PENDING} SELECT id FROM lead")  # an older inbox: index all its leads


def down(migrator, db):
    for name in TRIGGERS:
        db.execute_sql(f'DROP TRIGGER "{name}"')
    for name in ("lead_search_source",):
        db.execute_sql(f'DROP VIEW "{name}"')
    for name in ("lead_search_pending", "lead_search_vocab", "lead_search"):
        db.execute_sql(f'DROP TABLE "{name}"')
    for name in INDEXES:
        db.execute_sql(f'DROP INDEX "{name}"')
    migrator.migrate(
        migrator.drop_column("saved_filter", "deleted_at"),
        migrator.drop_column("label", "deleted_at"),
        migrator.drop_column("note", "deleted_at"),
    )
