"""``broadsheet demo``: set up and serve the demo newsroom.

Creates the database if missing (migrations), loads the demo stories from ``demo/stories/``
(story files) into a new site, sets the seed's site-wide notice, creates an ``admin`` account and
prints its login, bakes the site to ``var/site/``, then serves the baked site (falling back to
the live views) and the Wagtail admin on ``--host``:``--port``, with a task worker that re-bakes
what each publish touches (docs/baking.md).
"""

from __future__ import annotations

import ipaddress
import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from broadsheet.demo.serve import bake_site, base_url_for, start_worker

DEMO_DIR = settings.BASE_DIR / "demo"
SEED_NOTICE = (
    "As of January 2009, this site is definitely closed, but you can follow Safa Haeri on his "
    "new blog: DAMAVAND at"
)
# The seed page's notice ends "…DAMAVAND at" and its link was lost with the page; the blog's
# real address is not in the seed, so the demo links to an address of the domain reserved for
# examples (RFC 2606) rather than guess one. A newsroom sets its own in Settings → Newsroom.
SEED_NOTICE_LINK = ("https://damavand.example/", "damavand.example")
SEED_SLUG = "iran-national-solidarity-to-create-an-alternative"
DEMO_TIPS = [
    (
        "About this demo",
        "This is a Broadsheet demo newsroom. The Iran Press Service story of 18 June 2007 is real; "
        "every other story is sample content written for the demo.",
        "",
        "",
    ),
    (
        "Browse the archive",
        "Every story is filed by year, month and day.",
        "/archives/",
        "Archives",
    ),
]

# The Persian edition's own masthead, notice and tips (sample content written for the demo);
# the other editions fall back to the site's.
DEMO_EDITION_SETTINGS = {
    "fa": {
        "site_name": "ایران پرس سرویس",
        "tagline": "تحریریهٔ نمونهٔ برادشیت",
        "notice_text": "از دی‌ماه ۱۳۸۷ این سایت بسته شده است؛ نوشته‌های صفا حائری را در وبلاگ "
        "تازه‌اش، دماوند، بخوانید:",
        "notice_link_url": "https://damavand.example/",
        "notice_link_text": "damavand.example",
    }
}
DEMO_EDITION_TIPS = {
    "fa": [
        (
            "دربارهٔ این نمونه",
            "این تحریریهٔ نمونهٔ برادشیت است. خبرهای فارسی آن برای این نمونه نوشته شده‌اند.",
            "",
            "",
        ),
        (
            "مرور بایگانی",
            "هر خبر بر پایهٔ سال، ماه و روز خورشیدی بایگانی شده است.",
            "/fa/archives/",
            "بایگانی",
        ),
    ]
}
# The demo's writers (fictional, written for the demo): bio, and the portrait drawn for the demo
# in demo/authors/<slug>.jpg (demo/draw_images.py; CC0, demo/IMAGES.md).
DEMO_AUTHOR_BIOS = {
    "Karim Nouri": "Karim Nouri covers Iran's economy and energy from Paris. A fictional writer "
    "of the Broadsheet demo.",
    "Maryam Sadeghi": "Maryam Sadeghi reports on human rights and the Iranian diaspora in "
    "Europe. A fictional writer of the Broadsheet demo.",
    "Leila Farahani": "Leila Farahani writes about culture, books and film in exile. A "
    "fictional writer of the Broadsheet demo.",
    "Daniel Roux": "Daniel Roux follows the Gulf and the Levant from Beirut. A fictional "
    "writer of the Broadsheet demo.",
}
# Authors' names in the Persian edition.
DEMO_AUTHOR_NAMES = {
    "Karim Nouri": "کریم نوری",
    "Maryam Sadeghi": "مریم صادقی",
    "Leila Farahani": "لیلا فراهانی",
    "Daniel Roux": "دانیل رو",
}


def is_loopback(host: str) -> bool:
    """Whether ``host`` (a name or an address) is this machine only."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class Command(BaseCommand):
    help = "Set up and serve the demo newsroom (SQLite under var/)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="address to serve on")
        parser.add_argument("--port", type=int, default=8000, help="port to serve on")
        parser.add_argument("--no-serve", action="store_true", help="set up, then exit")
        parser.add_argument(
            "--reload",
            action="store_true",
            help="import the demo story files again even if stories exist",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        host, port = options["host"], options["port"]
        if not is_loopback(host):
            self.stderr.write(
                self.style.WARNING(
                    f"Warning: the demo server listens on {host}, reachable from other machines. "
                    "It is Django's development server with the demo's settings and not for "
                    "production: see docs/deploy.md for a newsroom's own server."
                )
            )
        call_command("migrate", interactive=False, verbosity=0)
        self.setup_newsroom(reload=options["reload"])
        password = self.admin_password()
        from broadsheet.demo.forums import setup_forums

        reader_email, reader_password = setup_forums()
        base_url = settings.BROADSHEET_BASE_URL or base_url_for(host, port)
        self.stdout.write(self.style.SUCCESS("The demo newsroom is ready."))
        self.stdout.write(f"  Site:  {base_url}/")
        self.stdout.write(f"  Admin: {base_url}/admin/   user: admin   password: {password}")
        self.stdout.write(
            f"  Forums: {base_url}/forums/   reader: {reader_email}   password: {reader_password}"
            "   (sign-up and reset mails are printed here, on the console)"
        )
        bake_site(self.stdout, base_url)
        if options["no_serve"]:
            return
        # WhiteNoise warns at start when STATIC_ROOT is missing (the demo serves from finders)
        Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
        stop_worker = start_worker(self.stdout)
        try:
            call_command(
                "runserver",
                f"{host}:{port}" if ":" not in host else f"[{host}]:{port}",
                use_reloader=False,
            )
        finally:
            stop_worker()

    def setup_newsroom(self, reload: bool) -> None:
        from wagtail.models import Site

        from broadsheet.content.newsroom.models import (
            FrontPage,
            FrontPageTopStory,
            NewsroomSettings,
            StoryPage,
            Tip,
        )
        from broadsheet.content.newsroom.tree import ensure_front_page
        from broadsheet.importers.storyfiles import import_story_files

        front = ensure_front_page("Iran Press Service")
        site = Site.objects.get(is_default_site=True)
        newsroom = NewsroomSettings.for_site(site)
        fresh = not StoryPage.objects.exists()
        if fresh:
            newsroom.site_name = "Iran Press Service"
            newsroom.tagline = "A Broadsheet demo newsroom"
            newsroom.notice_text = SEED_NOTICE
            newsroom.notice_link_url, newsroom.notice_link_text = SEED_NOTICE_LINK
            newsroom.save()
        elif newsroom.notice_text == SEED_NOTICE and not newsroom.notice_link_url:
            # a demo set up before the notice had its link
            newsroom.notice_link_url, newsroom.notice_link_text = SEED_NOTICE_LINK
            newsroom.save()
            for i, (title, text, url, link_text) in enumerate(DEMO_TIPS):
                Tip.objects.get_or_create(
                    title=title,
                    defaults={
                        "text": text,
                        "link_url": url,
                        "link_text": link_text,
                        "sort_order": i,
                    },
                )
            if front.title != "Iran Press Service":
                front.title = "Iran Press Service"
                front.save_revision().publish()
        if fresh or reload:
            stories = DEMO_DIR / "stories"
            if not stories.is_dir():
                raise CommandError(f"demo stories not found at {stories}")
            report = import_story_files([stories])
            for failure in report.failures:
                self.stderr.write(str(failure))
            self.stdout.write(f"Demo stories: {report.summary()}")
            self.setup_editions(site)
            seed = StoryPage.objects.filter(slug=SEED_SLUG).first()
            if seed and not FrontPageTopStory.objects.filter(story=seed).exists():
                front = FrontPage.objects.get(id=front.id)
                front.top_stories.add(FrontPageTopStory(story=seed, sort_order=0))
                front.save_revision().publish()

    def setup_editions(self, site: Any) -> None:
        """The Persian edition's masthead, notice, tips and authors' names."""
        from broadsheet.content.newsroom.models import Author, AuthorName, EditionSettings, Tip

        for language, values in DEMO_EDITION_SETTINGS.items():
            EditionSettings.objects.update_or_create(site=site, language=language, defaults=values)
        for language, tips in DEMO_EDITION_TIPS.items():
            for i, (title, text, url, link_text) in enumerate(tips):
                Tip.objects.get_or_create(
                    title=title,
                    language=language,
                    defaults={
                        "text": text,
                        "link_url": url,
                        "link_text": link_text,
                        "sort_order": i,
                    },
                )
        for author in Author.objects.filter(name__in=list(DEMO_AUTHOR_NAMES)):
            AuthorName.objects.update_or_create(
                author=author, language="fa", defaults={"name": DEMO_AUTHOR_NAMES[author.name]}
            )
        self.setup_authors()

    def setup_authors(self) -> None:
        """The demo writers' bios and portraits (drawn for the demo, demo/authors/)."""
        from broadsheet.content.newsroom.models import Author
        from broadsheet.importers.storyfiles import import_image

        for author in Author.objects.filter(name__in=list(DEMO_AUTHOR_BIOS)):
            photo = DEMO_DIR / "authors" / f"{author.slug}.jpg"
            author.bio = DEMO_AUTHOR_BIOS[author.name]
            if photo.is_file():
                author.photo = import_image(
                    photo, f"Portrait of {author.name} (drawn for the demo)"
                )
            author.save()

    def admin_password(self) -> str:
        """The demo admin's password: made once, kept in ``var/demo-admin-password.txt``."""
        user_model = get_user_model()
        secret_file = Path(settings.VAR_DIR) / "demo-admin-password.txt"
        user = user_model.objects.filter(username="admin").first()
        if secret_file.exists() and user is not None:
            return secret_file.read_text().strip()
        password = secrets.token_urlsafe(12)
        if user is None:
            user = user_model.objects.create_superuser("admin", "admin@localhost", password)
        else:
            user.set_password(password)
            user.save()
        secret_file.parent.mkdir(parents=True, exist_ok=True)
        secret_file.write_text(password + "\n")
        secret_file.chmod(0o600)
        return password
