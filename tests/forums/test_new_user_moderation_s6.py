"""A new user's findings in the forums' moderation admin, sixth session (issue 13): counts in
the singular or plural as the language wants."""

from __future__ import annotations

import lxml.html
import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from wagtail.users.models import UserProfile

from .factories import ReaderUserFactory, TopicFactory, post


@pytest.fixture
def chief(settings):
    settings.BROADSHEET_SECOND_FACTOR_REQUIRED = False
    return get_user_model().objects.create_superuser("chief", "chief@newsroom.example", "x" * 16)


@pytest.fixture
def moderator(chief):
    client = Client()
    client.force_login(chief)
    return client


def held_posts(n: int) -> list:
    author = ReaderUserFactory(reader__display_name="Sara Reads")
    topic = TopicFactory(opened=True)
    return [post(topic, author, text=f"held {i}", status="held") for i in range(n)]


def title(client, url: str) -> str:
    return lxml.html.fromstring(client.get(url).content).findtext(".//title").strip()


def approve_url(posts: list) -> str:
    ids = "&".join(f"id={p.pk}" for p in posts)
    return f"/admin/bulk/forums/post/approve/?{ids}"


def test_the_confirmation_counts_one_forum_post_in_the_singular(moderator):
    one = title(moderator, approve_url(held_posts(1)))
    assert "Approve — 1 forum post" in one and "1 forum posts" not in one
    two = held_posts(2)
    assert "Approve — 2 forum posts" in title(moderator, approve_url(two))


def test_the_topic_confirmation_counts_in_the_singular_too(moderator):
    topic = TopicFactory(opened=True)
    assert "— 1 forum topic" in title(
        moderator, f"/admin/bulk/forums/topic/forum-lock/?id={topic.pk}"
    )
    assert "forum topics" not in title(
        moderator, f"/admin/bulk/forums/topic/forum-lock/?id={topic.pk}"
    )


def test_the_persian_confirmation_keeps_the_noun_singular_after_a_number(moderator, chief):
    profile = UserProfile.get_for_user(chief)
    profile.preferred_language = "fa"
    profile.save()
    two = held_posts(2)
    text = title(moderator, approve_url(two))
    assert "2 نوشتهٔ تالار" in text
    assert "نوشته‌های تالار" not in text


# --- a ban and the banned reader's posts in the queue ------------------------------------


def ban_form(moderator, **fields):
    data = {"user": "", "network": "", "reason": "", "expires_at": "", **fields}
    return moderator.post("/admin/snippets/forums/ban/add/", data)


def test_a_ban_removes_the_readers_held_posts_logged(moderator, chief):
    from wagtail.models import ModelLogEntry

    spammer = ReaderUserFactory(reader__display_name="Spammer")
    topic = TopicFactory(opened=True)
    theirs = post(topic, spammer, text="buy now", status="held")
    other = post(topic, ReaderUserFactory(), text="a fair point", status="held")
    answer = ban_form(moderator, user=spammer.pk, reason="spam", remove_held="on")
    assert answer.status_code == 302
    theirs.refresh_from_db()
    other.refresh_from_db()
    assert (theirs.status, other.status) == ("removed", "held")
    entry = ModelLogEntry.objects.get(action="broadsheet.forums.moderate", object_id=theirs.pk)
    assert entry.user_id == chief.pk


def test_an_address_range_ban_removes_the_held_posts_sent_from_it(moderator):
    topic = TopicFactory(opened=True)
    inside = post(topic, ReaderUserFactory(), status="held", ip_address="192.0.2.7")
    outside = post(topic, ReaderUserFactory(), status="held", ip_address="198.51.100.7")
    assert ban_form(moderator, network="192.0.2.0/24", remove_held="on").status_code == 302
    inside.refresh_from_db()
    outside.refresh_from_db()
    assert (inside.status, outside.status) == ("removed", "held")


def test_the_queue_marks_the_held_posts_of_banned_readers(moderator):
    from broadsheet.content.forums.models import Ban

    spammer = ReaderUserFactory(reader__display_name="Spammer")
    topic = TopicFactory(opened=True)
    theirs = post(topic, spammer, text="buy now", status="held")
    other = post(topic, ReaderUserFactory(), text="a fair point", status="held")
    # unticked "remove": the post stays in the queue, marked
    assert ban_form(moderator, user=spammer.pk, reason="spam").status_code == 302
    assert Ban.objects.count() == 1
    doc = lxml.html.fromstring(moderator.get("/admin/snippets/forums/post/?status=held").content)

    def row(item) -> str:
        (tr,) = doc.xpath(f"//tbody/tr[.//a[contains(@href, 'id={item.pk}&')]]")
        return " ".join(tr.text_content().split())

    assert "banned: spam" in row(theirs) and "Approve despite the ban" in row(theirs)
    assert "banned" not in row(other) and "Approve despite" not in row(other)
    theirs.refresh_from_db()
    assert theirs.status == "held"


def test_an_expired_ban_marks_nothing(moderator):
    import datetime as dt

    from django.utils import timezone

    from broadsheet.content.forums.models import Ban

    spammer = ReaderUserFactory()
    theirs = post(TopicFactory(opened=True), spammer, text="old news", status="held")
    Ban.objects.create(user=spammer, expires_at=timezone.now() - dt.timedelta(days=1))
    html = moderator.get("/admin/snippets/forums/post/?status=held").content.decode()
    assert "old news" in html and "banned" not in html and "despite the ban" not in html
    assert theirs.status == "held"


# --- the bans' listing ---------------------------------------------------------------------


@pytest.fixture
def two_bans():
    import datetime as dt

    from django.utils import timezone

    from broadsheet.content.forums.models import Ban

    now = timezone.now()
    active = Ban.objects.create(
        user=ReaderUserFactory(), reason="still on", expires_at=now + dt.timedelta(days=3)
    )
    old = Ban.objects.create(network="192.0.2.7", reason="long over")
    Ban.objects.filter(pk=old.pk).update(
        expires_at=now - dt.timedelta(days=2), created_at=now - dt.timedelta(days=9)
    )
    old.refresh_from_db()
    return active, old


def ban_rows(client, url: str) -> dict[str, list[str]]:
    doc = lxml.html.fromstring(client.get(url).content)
    rows = {}
    for tr in doc.xpath("//tbody/tr"):
        cells = [" ".join(td.text_content().split()) for td in tr.xpath("./td|./th")]
        for reason in {"still on", "long over"} & set(cells):
            rows[reason] = cells
    return rows


def test_the_ban_list_marks_expired_bans(moderator, two_bans):
    rows = ban_rows(moderator, "/admin/snippets/forums/ban/")
    assert any("(expired)" in cell for cell in rows["long over"])
    assert not any("expired" in cell for cell in rows["still on"])


def test_the_ban_list_opens_on_the_bans_in_force_and_filters_the_expired(moderator, two_bans):
    page = moderator.get("/admin/snippets/forums/ban/").content.decode()
    assert "/admin/snippets/forums/ban/?state=active" in page  # the Bans menu
    assert set(ban_rows(moderator, "/admin/snippets/forums/ban/?state=active")) == {"still on"}
    assert set(ban_rows(moderator, "/admin/snippets/forums/ban/?state=expired")) == {"long over"}


def test_the_ban_list_writes_every_time_in_one_localised_format(moderator, two_bans):
    from django.utils.formats import date_format
    from django.utils.timezone import localtime

    _active, old = two_bans
    cells = ban_rows(moderator, "/admin/snippets/forums/ban/")["long over"]
    until = date_format(localtime(old.expires_at), "DATETIME_FORMAT")
    banned = date_format(localtime(old.created_at), "DATETIME_FORMAT")
    assert f"{until} (expired)" in cells and banned in cells
    assert not any("ago" in cell for cell in cells)  # no "1 week ago" beside a full date


# --- the Ban form's reader chooser -------------------------------------------------------

CHOOSER = "/admin/forums/readers/"


def test_the_ban_form_picks_the_reader_with_a_chooser_not_a_select(moderator):
    ReaderUserFactory.create_batch(3)
    form = lxml.html.fromstring(moderator.get("/admin/snippets/forums/ban/add/").content)
    assert not form.xpath("//select[@name='user']")  # no list of every reader in the page
    (field,) = form.xpath("//input[@name='user']")
    assert field.get("type") == "hidden"
    assert CHOOSER in moderator.get("/admin/snippets/forums/ban/add/").content.decode()


def results(moderator, query: str) -> str:
    answer = moderator.get(f"{CHOOSER}results/", {"q": query})
    assert answer.status_code == 200
    return html_text(answer.content.decode())


def html_text(markup: str) -> str:
    return " ".join(lxml.html.fromstring(f"<div>{markup}</div>").text_content().split())


def test_the_chooser_finds_readers_by_display_name_or_address_never_editors(moderator):
    sara = ReaderUserFactory(username="s1", reader__display_name="Sara Reads")
    ReaderUserFactory(username="ali", reader__display_name="Ali Writes")
    get_user_model().objects.create_user("sara.editor", "sara@newsroom.example", "y" * 16)
    by_name = results(moderator, "sara")
    assert "\u2068Sara Reads\u2069 <s1@readers.example>" in by_name
    assert "Ali Writes" not in by_name and "newsroom.example" not in by_name
    assert "Ali Writes" in results(moderator, "ali@readers")
    assert "Sara Reads" not in results(moderator, "ali@readers")
    chosen = moderator.get(f"{CHOOSER}chosen/{sara.pk}/").content.decode()
    assert "Sara Reads" in chosen
    editor = get_user_model().objects.get(username="sara.editor")
    assert moderator.get(f"{CHOOSER}chosen/{editor.pk}/").status_code == 404


def test_the_chooser_pages_through_many_readers(moderator):
    ReaderUserFactory.create_batch(25)
    page = moderator.get(f"{CHOOSER}results/").content.decode()
    assert html_text(page).count("@readers.example") == 20  # one page, not every reader


def test_the_chooser_is_for_those_who_may_ban(settings):
    from django.contrib.auth.models import Group, Permission

    settings.BROADSHEET_SECOND_FACTOR_REQUIRED = False
    ReaderUserFactory(reader__display_name="Sara Reads")
    editor = get_user_model().objects.create_user("writer", "writer@newsroom.example", "z" * 16)
    group = Group.objects.create(name="Writers")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    editor.groups.add(group)
    client = Client()
    client.force_login(editor)
    answer = client.get(f"{CHOOSER}results/", {"q": "sara"})
    assert answer.status_code in (302, 403) and "Sara" not in answer.content.decode()
    assert client.get("/admin/").status_code == 200  # an editor, just not one who bans
