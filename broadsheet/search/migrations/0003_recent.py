"""SQLite: the FTS5 table of the newest stories (broadsheet/search/recent.py), its boundary and
the triggers that copy changes at or above the boundary; then fill it. Nothing on other
databases."""

from django.db import migrations

TABLE = "newsroom_search_storyindexentry"
RECENT = "newsroom_search_storyfts_recent"
BOUNDARY = "newsroom_search_recent"
AT_OR_ABOVE = "{}.key >= (SELECT boundary FROM " + BOUNDARY + ")"
INSERT = f"INSERT INTO {RECENT}(rowid, headline, body, scope) VALUES (new.key, new.headline, new.body, new.scope)"
DELETE = (
    f"INSERT INTO {RECENT}({RECENT}, rowid, headline, body, scope) "
    "VALUES ('delete', old.key, old.headline, old.body, old.scope)"
)

INSERT_SELECT = (
    f"INSERT INTO {RECENT}(rowid, headline, body, scope) "
    "SELECT new.key, new.headline, new.body, new.scope"
)
DELETE_SELECT = (
    f"INSERT INTO {RECENT}({RECENT}, rowid, headline, body, scope) "
    "SELECT 'delete', old.key, old.headline, old.body, old.scope"
)

SQLITE = [
    f"CREATE TABLE {BOUNDARY} (boundary INTEGER NOT NULL)",
    f"INSERT INTO {BOUNDARY} VALUES ({2**63 - 1})",
    f"CREATE VIRTUAL TABLE {RECENT} USING fts5(headline, body, scope, content='{TABLE}', "
    "content_rowid='key', tokenize='unicode61 remove_diacritics 0')",
    f"CREATE TRIGGER {RECENT}_ai AFTER INSERT ON {TABLE} WHEN {AT_OR_ABOVE.format('new')} "
    f"BEGIN {INSERT}; END",
    f"CREATE TRIGGER {RECENT}_ad AFTER DELETE ON {TABLE} WHEN {AT_OR_ABOVE.format('old')} "
    f"BEGIN {DELETE}; END",
    # one trigger for updates: the old row must leave the index before the new one enters
    f"CREATE TRIGGER {RECENT}_au AFTER UPDATE ON {TABLE} BEGIN "
    f"{DELETE_SELECT} WHERE {AT_OR_ABOVE.format('old')}; "
    f"{INSERT_SELECT} WHERE {AT_OR_ABOVE.format('new')}; END",
]
REVERSE = [
    f"DROP TRIGGER IF EXISTS {RECENT}_ai",
    f"DROP TRIGGER IF EXISTS {RECENT}_ad",
    f"DROP TRIGGER IF EXISTS {RECENT}_au",
    f"DROP TABLE IF EXISTS {RECENT}",
    f"DROP TABLE IF EXISTS {BOUNDARY}",
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for sql in SQLITE:
        schema_editor.execute(sql)
    from broadsheet.search.recent import trim

    trim()


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in REVERSE:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("newsroom_search", "0002_fill_index")]

    operations = [migrations.RunPython(create, drop)]
