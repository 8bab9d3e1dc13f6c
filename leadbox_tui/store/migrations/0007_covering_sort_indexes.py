"""Sort indexes that also answer the creation-date filters, so a filter's first rows never wait
for a million table rows.

A filter the first rows of a sort meet rarely ("added more than three months ago" sorted by the
latest activity, "created in the last 7 days" sorted by labels) is either checked row by row
down the sort index, or its leads are found through the creation index and then sorted. Both
read some 100,000 leads at a million, and each read of a lead's row took 100 to 300 ms in all.
With ``created_at`` at the end of the activity, label and source indexes, and the activity and
label keys at the end of the creation index, SQLite reads either way from the index alone.

The index names stay those of migration 0002; only their columns grow. An inbox whose indexes
had planner statistics (a demo inbox is analysed) gets them again for the rebuilt ones: without
them SQLite sorts "without activity" by activity instead of reading its index.
"""

INBOX = (
    "archived_at IS NULL AND deleted_at IS NULL AND converted_at IS NULL AND merged_into_id IS NULL"
)

BEFORE = {
    "lead_inbox_activity": "next_activity_at IS NULL, next_activity_at, id",
    "lead_inbox_labels": "label_names = '', label_names, id",
    "lead_inbox_source": "source, id",
    "lead_inbox_created": "created_at, id",
}

AFTER = {
    "lead_inbox_activity": "next_activity_at IS NULL, next_activity_at, id, created_at",
    "lead_inbox_labels": "label_names = '', label_names, id, created_at",
    "lead_inbox_source": "source, id, created_at",
    "lead_inbox_created": "created_at, id, next_activity_at, label_names",
}


ANALYSIS_LIMIT = 1000  # rows sampled per index, as the demo does: a second at a million leads


def _rebuild(db, indexes):
    for name, columns in indexes.items():
        db.execute_sql(f'DROP INDEX IF EXISTS "{name}"')
        db.execute_sql(f'CREATE INDEX "{name}" ON "lead" ({columns}) WHERE {INBOX}')
    analysed = db.execute_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'"
    ).fetchone()
    if analysed:
        previous = db.execute_sql("PRAGMA analysis_limit").fetchone()[0]
        db.execute_sql(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT}")
        for name in indexes:
            db.execute_sql(f'ANALYZE "{name}"')
        db.execute_sql(f"PRAGMA analysis_limit = {previous}")


def up(migrator, db):
    _rebuild(db, AFTER)


def down(migrator, db):
    _rebuild(db, BEFORE)
