"""The demo's forums: a few boards and sample threads (marked as sample content) and a demo
reader account whose login ``broadsheet demo`` prints."""

from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from broadsheet.content.forums.models import Board, Post, Topic
from broadsheet.content.forums.services import recount
from broadsheet.content.readers.services import make_reader

DEMO_READER_EMAIL = "reader@demo.example"

BOARDS = [
    # slug, title, description, language ("" every edition), for_stories
    # one stories' board per edition: "Discuss this story" on /fa/ opens a Persian topic
    (
        "news",
        "The news",
        "Talk about our stories: every “Discuss this story” opens here.",
        "en",
        True,
    ),
    (
        "khabar",
        "خبرها",
        "گفتگو دربارهٔ خبرهای ما: هر «دربارهٔ این خبر گفتگو کنید» اینجا باز می‌شود.",
        "fa",
        True,
    ),
    ("iran", "Iran and the diaspora", "Politics, society and exile.", "en", False),
    ("site", "About this site", "Questions and suggestions for the newsroom.", "en", False),
    ("goftogu", "گفتگو", "گفتگو دربارهٔ خبرها، به فارسی.", "fa", False),
]

THREADS = [
    # board, title, posts (author: 0 = the sample reader, 1 = the demo reader, 2 = the
    # Persian sample reader: Persian sample content is by a reader with a Persian name)
    (
        "iran",
        "Can an opposition in exile agree on anything?",
        [
            (0, "Reading the Paris story: the groups agree on *secularism* and little else."),
            (
                1,
                "> Sample reader:\n> the groups agree on secularism\n\nAnd on elections, "
                "which is already **something**.",
            ),
            (0, "Fair point. See [the archive](/archives/) for the 2007 coverage."),
        ],
    ),
    ("site", "Welcome to the forums", [(0, "Sign up, confirm your address, and post.")]),
    ("goftogu", "به تالار گفتگو خوش آمدید", [(2, "این یک گفتگوی نمونه است.")]),
]


#: the sample readers' (address, display name, language): the English and the Persian one
SAMPLE_READERS = (
    ("sample.reader@demo.example", "Sample reader", "en"),
    ("sample.reader.fa@demo.example", "خوانندهٔ نمونه", "fa"),
)


def _reader(email: str, name: str, password: str | None, language: str = "en") -> object:
    from allauth.account.models import EmailAddress

    users = get_user_model()
    user = users.objects.filter(email=email).first()
    if user is None:
        # no password: an unusable one (the sample reader never signs in)
        user = users.objects.create_user(email.split("@")[0], email, password)
    elif password is not None:
        user.set_password(password)
        user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    make_reader(user, name, language)
    return user


def reader_password() -> str:
    """The demo reader's password: made once, kept in ``var/demo-reader-password.txt``."""
    path = Path(settings.VAR_DIR) / "demo-reader-password.txt"
    if path.exists():
        return path.read_text().strip()
    password = secrets.token_urlsafe(12)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(password + "\n")
    path.chmod(0o600)
    return password


def setup_forums() -> tuple[str, str]:
    """Create the demo boards, sample threads and the demo reader (once: when boards exist,
    only boards added to :data:`BOARDS` since are made, and the reader's password is set
    again); returns the reader's login."""
    password = reader_password()
    demo = _reader(DEMO_READER_EMAIL, "Demo reader", password)
    fresh = not Board.objects.exists()
    sample, sample_fa = (_reader(email, name, None, lang) for email, name, lang in SAMPLE_READERS)
    authors = [sample, demo, sample_fa]
    # a demo made before the Persian sample reader had its Persian threads by "Sample reader"
    Topic.objects.filter(sample=True, board__language="fa", author=sample).update(author=sample_fa)
    Post.objects.filter(topic__sample=True, topic__board__language="fa", author=sample).update(
        author=sample_fa
    )
    # a demo made before the Persian stories' board had "The news" in every edition
    Board.objects.filter(slug="news", sample=True, language="").update(language="en")
    boards = {}
    for n, (slug, title, description, language, for_stories) in enumerate(BOARDS):
        boards[slug], _made = Board.objects.get_or_create(
            slug=slug,
            defaults={
                "title": title,
                "description": description,
                "language": language,
                "for_stories": for_stories,
                "position": n,
                "sample": True,
            },
        )
    if not fresh:
        return DEMO_READER_EMAIL, password
    start = timezone.now() - dt.timedelta(days=2)
    from broadsheet.content.forums.markup import render
    from broadsheet.content.forums.services import terms_of

    for t, (slug, title, posts) in enumerate(THREADS):
        topic = Topic.objects.create(
            board=boards[slug], title=title, author=authors[posts[0][0]], sample=True
        )
        for p, (author, text) in enumerate(posts):
            Post.objects.create(
                topic=topic,
                author=authors[author],
                text=text,
                html=render(text),
                search_terms=terms_of(text),
                status="approved",
                created_at=start + dt.timedelta(hours=t * 5 + p),
            )
    recount()
    return DEMO_READER_EMAIL, password
