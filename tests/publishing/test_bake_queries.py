"""A full bake asks the database a bounded number of times, whatever the size of the archive
(apart from tests/publishing/test_full_bake.py, whose tests share one demo newsroom)."""

from __future__ import annotations

import pytest

from broadsheet.publishing.engine import full_bake
from broadsheet.publishing.models import BakeRun


@pytest.mark.django_db
def test_a_full_bake_asks_the_database_a_bounded_number_of_times(front_page, tmp_path):
    """The queries of a full bake do not grow with the stories: three times as many stories
    (and pages, comments, bylines, tags) cost the same handful of bulk queries."""
    import datetime as dt

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from broadsheet.content.discussion.models import Comment, CommentStatus
    from tests.content.factories import AuthorFactory, SectionFactory, StoryFactory

    section = SectionFactory(title="Iran", slug="iran")
    authors = [AuthorFactory(), AuthorFactory()]
    start = timezone.make_aware(dt.datetime(2007, 6, 1, 12))

    def add(n: int, offset: int) -> None:
        for i in range(offset, offset + n):
            story = StoryFactory(
                parent=section,
                published_at=start + dt.timedelta(days=i % 20, hours=i),
                authors=[authors[i % 2]],
                tags=["Oil", "Exile"],
            )
            Comment.objects.create(
                story=story, name="R", text=f"c{i}", status=CommentStatus.APPROVED
            )

    def queries(output) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert full_bake(output).status == BakeRun.Status.DONE
        return len(ctx.captured_queries)

    add(8, 0)
    queries(tmp_path / "warm")  # renditions, settings rows, static files: made once
    few = queries(tmp_path / "a")
    add(16, 8)
    many = queries(tmp_path / "b")
    assert many <= few + 2, (few, many)
