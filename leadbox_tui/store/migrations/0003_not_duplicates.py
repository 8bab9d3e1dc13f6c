"""Pairs the seller marked as "not duplicates", so the duplicate scan does not offer them again."""

from peewee import *  # noqa: F403 -- the form playhouse.migrations generates


def up(migrator, db):
    class NotDuplicate(Model):
        kind = CharField()
        first_id = IntegerField()
        second_id = IntegerField()
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = "not_duplicate"
            indexes = ((("kind", "first_id", "second_id"), True),)

    db.create_tables([NotDuplicate])


def down(migrator, db):
    migrator.migrate(migrator.drop_table("not_duplicate"))
