"""What each newsroom role may do, tried through the Wagtail admin as the person would: a writer
writes and submits but cannot publish nor touch another section; an editor edits, reviews and
moderates but cannot publish; a publisher publishes; a webmaster cannot edit stories."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.models import Page

from broadsheet.content.editorial.roles import PUBLISH_TASK, REVIEW_TASK, ROLES, roles_of
from broadsheet.content.newsroom.models import StoryPage
from broadsheet.publishing.models import BakeRequest
from tests.content.factories import SectionFactory, StoryFactory

from .admin import errors, post_editor
from .factories import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(front_page):
    """Two sections with a published story each, and one person per role (in Iran)."""
    iran = SectionFactory(title="Iran", slug="iran")
    sport = SectionFactory(title="Sport", slug="sport")
    return {
        "iran": iran,
        "sport": sport,
        "iran_story": StoryFactory(parent=iran, title="Oil strike"),
        "sport_story": StoryFactory(parent=sport, title="Cup final"),
        "writer": StaffFactory(roles=[("writer", iran)]),
        "editor": StaffFactory(roles=[("editor", iran)]),
        "publisher": StaffFactory(roles=[("publisher", iran)]),
        "webmaster": StaffFactory(roles=[("webmaster", None)]),
    }


def add_url(section) -> str:
    return f"/admin/pages/add/newsroom/storypage/{section.id}/"


def edit_url(page) -> str:
    return f"/admin/pages/{page.id}/edit/"


def as_(client, user):
    client.force_login(user)
    return client


def write_and_submit(client, desk) -> StoryPage:
    """The Iran writer writes a story and submits it for review."""
    as_(client, desk["writer"])
    response = post_editor(client, add_url(desk["iran"]), "submit", title="Embassy protest")
    assert response.status_code == 302, response.content[:2000]
    return StoryPage.objects.get(title="Embassy protest")


def approve(client, story: StoryPage):
    state = story.current_workflow_task_state
    return client.post(
        f"/admin/pages/workflow/action/{story.id}/approve/{state.id}/", {"comment": ""}
    )


def test_the_roles_exist_as_groups_with_the_review_workflow_at_the_root():
    from django.contrib.auth.models import Group
    from wagtail.models import WorkflowPage

    assert {r.name for r in ROLES.values()} <= set(Group.objects.values_list("name", flat=True))
    root = WorkflowPage.objects.get(page=Page.get_first_root_node())
    tasks = [t.name for t in root.workflow.tasks]
    assert tasks == [REVIEW_TASK, PUBLISH_TASK]


def test_a_writer_writes_and_submits_but_cannot_publish(client, desk):
    as_(client, desk["writer"])
    response = post_editor(client, add_url(desk["iran"]), "publish", title="Night raid")
    assert response.status_code == 302, errors(response)
    story = StoryPage.objects.get(title="Night raid")
    assert not story.live, "a writer's Publish only saves a draft"
    assert not story.permissions_for_user(desk["writer"]).can_publish()

    story = write_and_submit(client, desk)
    assert not story.live
    assert story.workflow_in_progress
    assert story.current_workflow_task.name == REVIEW_TASK


def test_a_writer_cannot_touch_another_section(client, desk):
    as_(client, desk["writer"])
    assert client.get(add_url(desk["sport"])).status_code == 302  # refused, sent home
    client.post(add_url(desk["sport"]), {"title": "Smuggled in", "action-publish": "1"})
    assert not StoryPage.objects.filter(title="Smuggled in").exists()
    story = desk["sport_story"]
    assert client.get(edit_url(story)).status_code == 302
    client.post(edit_url(story), {"title": "Defaced", "slug": story.slug})
    story.refresh_from_db()
    assert story.title == "Cup final"
    assert story.get_latest_revision().content["title"] == "Cup final"


def test_a_writer_cannot_edit_a_colleagues_story_in_their_section(client, desk):
    as_(client, desk["writer"])
    assert client.get(edit_url(desk["iran_story"])).status_code == 302


def test_an_editor_edits_and_reviews_but_cannot_publish(client, desk):
    story = write_and_submit(client, desk)
    as_(client, desk["editor"])
    response = post_editor(client, edit_url(story), "publish", title="Embassy protest, 300 held")
    assert response.status_code == 302, errors(response)
    story.refresh_from_db()
    assert not story.live
    assert story.get_latest_revision().content["title"] == "Embassy protest, 300 held"

    assert approve(client, story).status_code == 302
    story.refresh_from_db()
    assert story.current_workflow_task.name == PUBLISH_TASK
    assert not story.live

    approve(client, story)  # the publisher's step: not theirs
    story.refresh_from_db()
    assert not story.live
    assert story.current_workflow_task.name == PUBLISH_TASK

    published = desk["iran_story"]
    post_editor(client, edit_url(published), "publish", title="Oil strike spreads")
    published.refresh_from_db()
    assert published.title == "Oil strike", "the live story is unchanged"
    assert published.has_unpublished_changes


def test_an_editor_reviews_only_their_sections(client, desk):
    sport_writer = StaffFactory(roles=[("writer", desk["sport"])])
    as_(client, sport_writer)
    post_editor(client, add_url(desk["sport"]), "submit", title="Transfer news")
    story = StoryPage.objects.get(title="Transfer news")
    as_(client, desk["editor"])
    task = story.current_workflow_task.specific
    assert task.get_actions(story, desk["editor"]) == []
    approve(client, story)
    story.refresh_from_db()
    assert story.current_workflow_task.name == REVIEW_TASK
    assert client.get(edit_url(story)).status_code == 302


def test_an_editor_moderates_comments(client, desk):
    from broadsheet.content.discussion.models import CommentStatus
    from tests.discussion.factories import CommentFactory

    comment = CommentFactory(story=desk["iran_story"], status=CommentStatus.HELD)
    as_(client, desk["editor"])
    assert client.get("/admin/snippets/discussion/comment/").status_code == 200
    response = client.post(f"/admin/bulk/discussion/comment/approve/?id={comment.id}&next=/admin/")
    assert response.status_code == 302, errors(response)
    comment.refresh_from_db()
    assert comment.status == CommentStatus.APPROVED


def test_a_writer_does_not_moderate(client, desk):
    as_(client, desk["writer"])
    assert client.get("/admin/snippets/discussion/comment/").status_code in (302, 403)


def test_a_publisher_publishes_and_approves_the_last_step(client, desk):
    story = write_and_submit(client, desk)
    as_(client, desk["editor"])
    approve(client, story)
    as_(client, desk["publisher"])
    assert approve(client, story).status_code == 302
    story.refresh_from_db()
    assert story.live
    assert not story.workflow_in_progress

    response = post_editor(client, add_url(desk["iran"]), "publish", title="Direct")
    assert response.status_code == 302, errors(response)
    assert StoryPage.objects.get(title="Direct").live


def test_a_publisher_of_one_section_cannot_publish_in_another(client, desk):
    as_(client, desk["publisher"])
    assert client.get(add_url(desk["sport"])).status_code == 302
    assert not desk["sport_story"].permissions_for_user(desk["publisher"]).can_publish()


def test_a_webmaster_cannot_edit_stories_but_runs_the_site(client, desk):
    as_(client, desk["webmaster"])
    story = desk["iran_story"]
    assert client.get(edit_url(story)).status_code == 302
    client.post(edit_url(story), {"title": "Defaced", "slug": story.slug, "action-publish": "1"})
    story.refresh_from_db()
    assert story.title == "Oil strike"
    assert client.get(add_url(desk["iran"])).status_code == 302
    assert client.get("/admin/redirects/").status_code == 200
    assert client.get("/admin/baking/").status_code == 200
    assert client.post("/admin/baking/").status_code == 302
    assert BakeRequest.objects.filter(kind="all").exists()


def test_a_writer_or_editor_cannot_rebake_the_site(client, desk):
    for person in ("writer", "editor", "publisher"):
        as_(client, desk[person])
        response = client.post("/admin/baking/")
        assert (response.status_code, response.url) == (302, "/admin/")  # Wagtail's refusal
    assert not BakeRequest.objects.exists()


def test_role_command_grants_lists_and_revokes(desk):
    from io import StringIO

    user = StaffFactory(username="ana")
    call_command("role", "grant", "ana", "editor", "--section", "iran", stdout=StringIO())
    assert roles_of(user) == ["Editor", "Editor · iran"]
    assert desk["iran_story"].permissions_for_user(user).can_edit()
    assert not desk["sport_story"].permissions_for_user(user).can_edit()
    out = StringIO()
    call_command("role", "list", "ana", stdout=out)
    assert out.getvalue().strip() == "ana: Editor, Editor · iran"
    call_command("role", "revoke", "ana", "editor", "--section", "iran", stdout=StringIO())
    user = type(user).objects.get(pk=user.pk)  # permissions are cached on the user object
    assert roles_of(user) == []
    assert not desk["iran_story"].permissions_for_user(user).can_edit()


def test_role_command_refuses_bad_input(desk):
    StaffFactory(username="ben")
    with pytest.raises(CommandError, match="no section"):
        call_command("role", "grant", "ben", "writer", "--section", "nowhere")
    with pytest.raises(CommandError, match="site-wide"):
        call_command("role", "grant", "ben", "webmaster", "--section", "iran")
    with pytest.raises(CommandError, match="no user"):
        call_command("role", "grant", "nobody", "writer")


@pytest.mark.django_db
def test_every_role_permission_belongs_to_a_real_model():
    """The roles' migration names permissions by codename; each must be the model's own
    (``bulk_delete_page`` is ``wagtailcore.page``'s), never one on an invented content type,
    which a backup could not restore."""
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupPagePermission

    granted = Permission.objects.filter(group__in=Group.objects.all()).distinct()
    on_pages = Permission.objects.filter(
        pk__in=GroupPagePermission.objects.values("permission")
    ).distinct()
    assert on_pages.filter(codename="bulk_delete_page").exists()
    for permission in [*granted, *on_pages]:
        assert permission.content_type.model_class() is not None, permission
