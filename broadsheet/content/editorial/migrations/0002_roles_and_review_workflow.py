"""The newsroom's roles as groups, and the "Newsroom review" workflow at the root of the tree
(broadsheet.content.editorial.roles)."""

from django.db import migrations


def install_roles(apps, schema_editor):
    from broadsheet.content.editorial.roles import install

    install(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(install_roles, migrations.RunPython.noop)]
