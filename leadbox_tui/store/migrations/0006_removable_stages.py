"""Pipelines and stages are removed softly, so that removing one can be undone like any write.

A removed pipeline keeps its name, so the name is unique among the live pipelines only (the
services check it); the index on ``lead.origin_deal_id`` finds the leads a deal was turned into.
"""

from peewee import DateTimeField


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("pipeline", "deleted_at", DateTimeField(null=True)),
        migrator.add_column("stage", "deleted_at", DateTimeField(null=True)),
        migrator.drop_index("pipeline", "pipeline_name"),
    )
    db.execute_sql(
        'CREATE INDEX "lead_origin_deal" ON "lead" ("origin_deal_id") '
        "WHERE origin_deal_id IS NOT NULL"
    )


def down(migrator, db):
    db.execute_sql('DROP INDEX "lead_origin_deal"')
    migrator.migrate(
        migrator.drop_column("stage", "deleted_at"),
        migrator.drop_column("pipeline", "deleted_at"),
        migrator.add_index("pipeline", ("name",), unique=True),
    )
