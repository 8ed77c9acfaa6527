"""Index the stories that are already live (sites that ran before the index existed). It uses
the current code (broadsheet.search.index.rebuild), not historical models: the index is derived
data, rebuilt the same way by ``broadsheet update_index``."""

from django.db import migrations


def fill(apps, schema_editor):
    from broadsheet.search.index import rebuild

    rebuild()


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom_search", "0001_initial"),
        ("newsroom", "0002_front_page_top_stories"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
