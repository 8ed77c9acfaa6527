"""The story search index (broadsheet/search/models.py) and, per database, its full-text part:
an FTS5 table kept by triggers on SQLite, a generated weighted tsvector (and one of the filter
tokens) with GIN indexes on PostgreSQL. Other databases get the plain table (search then goes through Wagtail's API)."""

from django.db import migrations, models

TABLE = "newsroom_search_storyindexentry"
FTS = "newsroom_search_storyfts"

SQLITE = [
    f"CREATE VIRTUAL TABLE {FTS} USING fts5(headline, body, scope, content='{TABLE}', "
    "content_rowid='key', tokenize='unicode61 remove_diacritics 0')",
    f"CREATE TRIGGER {FTS}_ai AFTER INSERT ON {TABLE} BEGIN "
    f"INSERT INTO {FTS}(rowid, headline, body, scope) "
    "VALUES (new.key, new.headline, new.body, new.scope); END",
    f"CREATE TRIGGER {FTS}_ad AFTER DELETE ON {TABLE} BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, headline, body, scope) "
    "VALUES ('delete', old.key, old.headline, old.body, old.scope); END",
    f"CREATE TRIGGER {FTS}_au AFTER UPDATE ON {TABLE} BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, headline, body, scope) "
    "VALUES ('delete', old.key, old.headline, old.body, old.scope); "
    f"INSERT INTO {FTS}(rowid, headline, body, scope) "
    "VALUES (new.key, new.headline, new.body, new.scope); END",
]
SQLITE_REVERSE = [
    f"DROP TRIGGER IF EXISTS {FTS}_ai",
    f"DROP TRIGGER IF EXISTS {FTS}_ad",
    f"DROP TRIGGER IF EXISTS {FTS}_au",
    f"DROP TABLE IF EXISTS {FTS}",
]
# Narrow heap rows (text and vectors moved out of line past 128 bytes): a bitmap scan visits
# every matching row to read its key, so the fewer pages the rows take, the faster.
POSTGRES = [
    f"ALTER TABLE {TABLE} SET (toast_tuple_target = 128)",
    f"ALTER TABLE {TABLE} ADD COLUMN document tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple'::regconfig, headline), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, body), 'B')) STORED",
    f"ALTER TABLE {TABLE} ADD COLUMN scope_vector tsvector GENERATED ALWAYS AS ("
    "to_tsvector('simple'::regconfig, scope)) STORED",
    # One GIN index over both: words and filter tokens are matched in the same index scan.
    f"CREATE INDEX {TABLE}_search ON {TABLE} USING gin (document, scope_vector)",
]
POSTGRES_REVERSE = [
    f"DROP INDEX IF EXISTS {TABLE}_search",
    f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS scope_vector",
    f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS document",
]


def _run(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in statements.get(vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="StoryIndexEntry",
            fields=[
                ("key", models.BigIntegerField(primary_key=True, serialize=False)),
                ("story_id", models.BigIntegerField(unique=True)),
                ("published_at", models.DateTimeField()),
                ("headline", models.TextField()),
                ("body", models.TextField()),
                ("scope", models.TextField()),
            ],
            options={
                "verbose_name": "story index entry",
                "verbose_name_plural": "story index entries",
            },
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        ),
    ]
