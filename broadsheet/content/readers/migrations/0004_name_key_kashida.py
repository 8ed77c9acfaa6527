"""Refill ``Reader.name_key`` where the skeleton changed: it now drops the kashida (``ـ``)
and reads the Cherokee ``Ꮖ`` and ``Ꮑ`` as ``I`` and ``N`` (``content.readers.names``)."""

from django.db import migrations


def refill_name_keys(apps, schema_editor):
    from broadsheet.content.readers.names import skeleton

    Reader = apps.get_model("reader_accounts", "Reader")
    for reader in Reader.objects.only("pk", "display_name", "name_key").iterator():
        key = skeleton(reader.display_name)
        if key != reader.name_key:
            Reader.objects.filter(pk=reader.pk).update(name_key=key)


class Migration(migrations.Migration):
    dependencies = [("reader_accounts", "0003_forum_mail")]

    operations = [migrations.RunPython(refill_name_keys, migrations.RunPython.noop)]
