"""People and organisations found from the second word of their name too, for live suggestions.

``name_key`` is indexed in the order the name was typed, so a name was found only from its first
word: "Jaen Dupont" (a slip in the first word) sorts nowhere near "jean dupont". These indexes
hold the key with its first word moved to the end ("dupont jean"); a slip in any one word of a
name leaves its first or its second word whole, and one of the two indexes starts with it.
"""

ROTATED = (
    "CASE WHEN instr(name_key, ' ') > 0 THEN substr(name_key, instr(name_key, ' ') + 1) || ' ' "
    "|| substr(name_key, 1, instr(name_key, ' ') - 1) END"
)
TABLES = ("person", "organization")


def up(migrator, db):
    for table in TABLES:
        db.execute_sql(f'CREATE INDEX "{table}_name_key_rotated" ON "{table}" ({ROTATED})')


def down(migrator, db):
    for table in TABLES:
        db.execute_sql(f'DROP INDEX "{table}_name_key_rotated"')
