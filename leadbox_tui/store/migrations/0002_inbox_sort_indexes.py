"""Indexes that let the inbox sort a million leads on any default column without a sort step.

Each is partial over the leads that are in the inbox (not archived, deleted, converted or
merged) and ends in the id, so ties always come out in the same order. The activity and label
indexes put the leads with no activity or no label last, as the inbox shows them. The leads
outside the inbox get a small index of their own: the inbox is counted as all leads (a count
SQLite takes from the b-tree at once) less those, instead of walking a million index entries.
"""

INBOX = (
    "archived_at IS NULL AND deleted_at IS NULL AND converted_at IS NULL AND merged_into_id IS NULL"
)

OUTSIDE = (
    "archived_at IS NOT NULL OR deleted_at IS NOT NULL OR converted_at IS NOT NULL "
    "OR merged_into_id IS NOT NULL"
)

INDEXES = {
    "lead_inbox_title": "title, id",
    "lead_inbox_activity": "next_activity_at IS NULL, next_activity_at, id",
    "lead_inbox_labels": "label_names = '', label_names, id",
    "lead_inbox_source": "source, id",
    "lead_inbox_created": "created_at, id",
    "lead_inbox_owner": "owner_id, id",
}


def up(migrator, db):
    for name, columns in INDEXES.items():
        db.execute_sql(f'CREATE INDEX "{name}" ON "lead" ({columns}) WHERE {INBOX}')
    db.execute_sql(f'CREATE INDEX "lead_outside_inbox" ON "lead" (id) WHERE {OUTSIDE}')


def down(migrator, db):
    for name in (*INDEXES, "lead_outside_inbox"):
        db.execute_sql(f'DROP INDEX "{name}"')
