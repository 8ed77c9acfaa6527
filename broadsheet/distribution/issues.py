"""Making issues: the daily digest of each list and an editor's "send this story now".

An issue's body is rendered once, here, from the edition's build (its language, direction and
public URLs); :mod:`broadsheet.content.distribution.sending` adds each recipient's unsubscribe
link. Both parts carry the same stories: headline, standfirst and the story's own URL (never
rewritten for click tracking), and the HTML part has no image, so it reads the same with
images off.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from broadsheet.content import mailing
from broadsheet.content.distribution import conf
from broadsheet.content.distribution.models import Issue, NewsletterList
from broadsheet.content.distribution.tasks import send_issue
from broadsheet.content.newsroom.models import StoryPage
from broadsheet.site import editions
from broadsheet.site.build import Build, make_build
from broadsheet.site.context import NoSite


def build_for(newsletter: NewsletterList) -> Build:
    """The build of the list's edition (``NoSite`` if the edition has no front page)."""
    edition = editions.by_language(newsletter.language)
    if edition is None:
        raise NoSite(f"no edition for {newsletter.language!r}")
    return make_build(edition=edition)


def stories_of(newsletter: NewsletterList, build: Build):
    """The live stories a list carries: its edition's, and only its section's (and the
    subsections') for a section list."""
    stories = StoryPage.objects.live().filter(path__startswith=build.ctx.root_path)
    if newsletter.section_id:
        stories = stories.filter(path__startswith=newsletter.section.path)
    return stories


def render_body(build: Build, intro: str, stories: Sequence[StoryPage]) -> tuple[str, str]:
    """The plain-text and HTML bodies (the HTML without ``<html>``: see
    :func:`broadsheet.content.mailing.html_document`) for ``stories``, each with headline,
    standfirst and link; ``intro`` is a first line."""
    read_more = gettext("Read the story")
    text = [mailing.plain_text(intro), ""]
    html = [f"<p>{escape(mailing.plain_text(intro))}</p>"]
    for story in stories:
        url = build.absolute(build.urls.page(story.url_path))
        headline = mailing.header_text(story.title, 1000)
        standfirst = mailing.plain_text(story.standfirst).strip()
        text += [headline, "=" * min(len(headline), 72)]
        if standfirst:
            text.append(standfirst)
        text += [f"{read_more}: {url}", ""]
        html.append(
            f'<h2 dir="auto"><a href="{escape(url)}">{escape(headline)}</a></h2>'
            + (f'\n<p dir="auto">{escape(standfirst)}</p>' if standfirst else "")
        )
    return "\n".join(text), "\n".join(html)


def _issue(
    newsletter: NewsletterList,
    build: Build,
    kind: str,
    key: str,
    subject: str,
    stories: Sequence[StoryPage],
    intro: str,
    **extra: object,
) -> Issue | None:
    text, html = render_body(build, intro, stories)
    try:
        with transaction.atomic():
            issue = Issue.objects.create(
                list=newsletter,
                kind=kind,
                key=key,
                subject=mailing.header_text(subject, 250),
                text=text,
                html=html,
                language=build.ctx.language,
                direction=build.ctx.direction,
                unsubscribe_url=build.absolute(build.urls.live("newsletter-unsubscribe")),
                **extra,
            )
    except IntegrityError:
        return None  # made already (a digest run twice, a story sent twice)
    transaction.on_commit(lambda: send_issue.enqueue(issue.pk))
    return issue


def make_digest(newsletter: NewsletterList, now: dt.datetime | None = None) -> Issue | None:
    """The list's digest for the newsroom's day of ``now``: every story published since the
    list's previous digest (or in the 24 hours before ``now`` for its first), newest first, at
    most ``DIGEST_MAX_STORIES``. None when there is no story, or the day's digest exists."""
    now = now or timezone.now()
    build = build_for(newsletter)
    last = (
        Issue.objects.filter(list=newsletter, kind=Issue.Kind.DIGEST)
        .exclude(window_end=None)
        .order_by("-window_end")
        .values_list("window_end", flat=True)
        .first()
    )
    start = last or now - dt.timedelta(days=1)
    stories = list(
        stories_of(newsletter, build)
        .filter(published_at__gt=start, published_at__lte=now)
        .order_by("-published_at")[: conf.get("DIGEST_MAX_STORIES")]
    )
    if not stories:
        return None
    day = timezone.localtime(now).date()
    with build.activated(), translation.override(build.ctx.language):
        site = build.read.site_info().name
        subject = gettext("%(site)s: the day's stories, %(count)d") % {
            "site": site,
            "count": len(stories),
        }
        intro = gettext("The stories %(site)s published today.") % {"site": site}
        return _issue(
            newsletter,
            build,
            Issue.Kind.DIGEST,
            f"digest:{newsletter.pk}:{day.isoformat()}",
            subject,
            stories,
            intro,
            window_end=now,
        )


def make_story_issue(newsletter: NewsletterList, story: StoryPage) -> Issue | None:
    """An issue of one story for the list, sent now ("send this story now"); None when the
    story was sent to this list before. ``ValueError`` if the story is not live or not in the
    list's edition or section."""
    build = build_for(newsletter)
    if not stories_of(newsletter, build).filter(pk=story.pk).exists():
        raise ValueError("the story is not live in this list's edition or section")
    with build.activated(), translation.override(build.ctx.language):
        intro = gettext("%(site)s has just published:") % {"site": build.read.site_info().name}
        return _issue(
            newsletter,
            build,
            Issue.Kind.STORY,
            f"story:{newsletter.pk}:{story.pk}",
            story.title,
            [story],
            intro,
            story=story,
        )


def make_digests(now: dt.datetime | None = None) -> list[Issue]:
    """The digest of every list that sends one (see :func:`make_digest`)."""
    made = []
    for newsletter in NewsletterList.objects.filter(digest=True).select_related("section"):
        try:
            issue = make_digest(newsletter, now)
        except NoSite:
            continue
        if issue is not None:
            made.append(issue)
    return made
