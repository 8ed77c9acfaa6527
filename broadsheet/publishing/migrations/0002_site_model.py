from django.db import migrations, models


def forget_baked_states(apps, schema_editor):
    # states recorded with tag slugs: the next bake (a full one) records them again
    apps.get_model("baking", "BakedStory").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("baking", "0001_initial")]

    operations = [
        migrations.RunPython(forget_baked_states, migrations.RunPython.noop),
        migrations.RemoveField(model_name="bakedstory", name="tag_slugs"),
        migrations.AddField(
            model_name="bakedstory", name="tag_ids", field=models.JSONField(default=list)
        ),
        migrations.AddField(
            model_name="bakedstory", name="lastmod", field=models.DateTimeField(null=True)
        ),
        migrations.AlterField(
            model_name="bakerequest", name="kind", field=models.CharField(max_length=24)
        ),
    ]
