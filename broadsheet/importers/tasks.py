"""Background tasks of the importers: Wagtail's search and reference indexes for a whole batch
of new pages (:mod:`.bulk`), one task instead of two per page.

Wagtail's own tasks (``modelsearch.tasks.insert_or_update_object_task``,
``wagtail.tasks.update_reference_index_task``) take one object each; a bulk import of 10,000
stories would queue 20,000 task rows. This task does the same work for a list of ids: for
each object, ``modelsearch.index.insert_or_update_object`` (every search backend with
auto-update) and ``ReferenceIndex.create_or_update_for_object``, exactly what the two tasks
do. Our own code only because no library offers a batched variant.
"""

from __future__ import annotations

from django.apps import apps
from django.db import transaction
from django_tasks import task
from modelsearch import index
from wagtail.models import ReferenceIndex


@task()
def index_objects_task(app_label: str, model_name: str, pks: list[str]) -> int:
    """Put the objects ``pks`` (primary keys as strings) of ``app_label.model_name`` into the
    search backends and the reference index. Objects gone since are skipped. Returns how
    many objects were indexed."""
    model = apps.get_model(app_label, model_name)
    objects = list(model.objects.filter(pk__in=pks).order_by("pk"))
    for obj in objects:
        index.insert_or_update_object(obj)
        if ReferenceIndex.is_indexed(model):
            with transaction.atomic():
                ReferenceIndex.create_or_update_for_object(obj)
    return len(objects)
