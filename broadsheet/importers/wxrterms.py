"""The channel of a WordPress export for :mod:`broadsheet.importers.wxr`: authors (one per
login in any case, matched to existing authors by e-mail, else by name), categories (→
sections, hierarchy kept, merges counted and reported), tags (merged in any case), and each
post's byline (Co-Authors Plus terms, else every ``dc:creator``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.db import transaction
from django.utils.text import slugify

from broadsheet.content.newsroom.hooks import reserved_slugs
from broadsheet.content.newsroom.models import (
    Author,
)
from broadsheet.content.newsroom.tree import ensure_section

from .report import SECTIONS_NOT_IN_MENUS, ImportReport
from .wxrinput import TAG_MAX, Node, _clean_name, _text, _valid_email


@dataclass
class _Category:
    nicename: str
    name: str
    parent: str
    line: int


class ChannelTerms:
    """The channel part of :class:`~broadsheet.importers.wxr.WxrImport` (a mixin: the run's
    ``report``, ``path``, ``dry_run``, ``authors``, ``categories``… are the dataclass's)."""

    report: ImportReport
    path: Path
    dry_run: bool
    site_key: str
    source: str
    authors: dict[str, str]
    author_emails: dict[str, str]
    categories: dict[str, _Category]
    tag_names: dict[str, str]

    def place(self, line: int) -> str:
        return f"{self.path}:{line}"

    def read_channel(self, channel: Node) -> None:
        link = channel["wp:base_blog_url"] or channel["link"] or channel["wp:base_site_url"]
        self.site_key = urlparse(link).netloc or self.path.stem
        site = urlparse(link)
        self.source = (
            f"wxr:{site.netloc.lower()}{site.path.rstrip('/')}"
            if site.netloc
            else f"wxr:{self.path.resolve()}"
        )
        for el in channel.all("wp:author"):
            a = Node(el)
            login = a["wp:author_login"]
            name = _clean_name(a["wp:author_display_name"]) or login
            if not login and not name:
                self.report.warn(self.place(a.line), "author without login or name: skipped")
                continue
            key = (login or name).casefold()
            if key in self.authors:
                self.report.warn(
                    self.place(a.line),
                    f"author login {login!r} repeats another in a different case: one author",
                )
                continue
            self.authors[key] = name
            self.author_emails[key] = _valid_email(a["wp:author_email"])
        for el in channel.all("wp:category"):
            c = Node(el)
            self.add_category(
                c["wp:category_nicename"], c["wp:cat_name"], c["wp:category_parent"], c.line
            )
        for el in channel.all("wp:tag"):
            t = Node(el)
            self.add_tag(t["wp:tag_name"], t.line, declared=True)
        for el in channel.all("wp:term"):
            t = Node(el)
            taxonomy = t["wp:term_taxonomy"]
            if taxonomy == "category":
                self.add_category(t["wp:term_slug"], t["wp:term_name"], t["wp:term_parent"], t.line)
            elif taxonomy == "post_tag":
                self.add_tag(t["wp:term_name"], t.line, declared=True)

    def add_category(self, nicename: str, name: str, parent: str, line: int) -> str:
        name = _clean_name(name)
        nicename = unquote(nicename.strip()) or slugify(name, allow_unicode=True)
        if not name and not nicename:
            self.report.warn(self.place(line), "category without name or slug: skipped")
            return ""
        if nicename in self.categories:
            known = self.categories[nicename]
            if name and known.name != name and known.line != line:
                self.report.warn(
                    self.place(line),
                    f"duplicate category slug {nicename!r} (first at line {known.line}): "
                    "merged with the first",
                )
            return nicename
        self.categories[nicename] = _Category(
            nicename, name or nicename, unquote(parent.strip()), line
        )
        return nicename

    def add_tag(self, name: str, line: int, declared: bool = False) -> str:
        name = _clean_name(name)
        if not name:
            self.report.warn(self.place(line), "empty tag name: skipped")
            return ""
        if len(name) > TAG_MAX:
            self.report.warn(self.place(line), f"tag name longer than {TAG_MAX}: cut")
            name = name[:TAG_MAX].strip()
        key = name.casefold()
        if key in self.tag_names:
            if declared:
                self.report.warn(
                    self.place(line), f"duplicate tag {name!r}: merged with {self.tag_names[key]!r}"
                )
            return self.tag_names[key]
        self.tag_names[key] = name
        return name

    def section_path(self, nicename: str) -> list[str]:
        path: list[str] = []
        seen: set[str] = set()
        while nicename and nicename in self.categories and nicename not in seen:
            seen.add(nicename)
            cat = self.categories[nicename]
            path.insert(0, cat.name)
            nicename = cat.parent
        return path

    def save_categories(self) -> None:
        """Sections for the categories, counted as ``categories`` (in the file), ``sections
        created``, ``sections existing`` (already on the site) and ``categories merged`` (their
        section is another category's of this file: same title path)."""
        from broadsheet.content.newsroom.models import SectionPage

        existing = set(SectionPage.objects.values_list("id", flat=True))
        used: dict[int, str] = {}
        for cat in sorted(
            self.categories.values(), key=lambda c: len(self.section_path(c.nicename))
        ):
            try:
                path = self.section_path(cat.nicename)
                with transaction.atomic():
                    section = ensure_section(path, in_menus=False)
                self.report.count("categories")
                if section.id in used:
                    self.report.count("categories merged")
                    self.report.warn(
                        self.place(cat.line),
                        f"category {cat.nicename!r} merged into the section of "
                        f"{used[section.id]!r} ({' / '.join(path)})",
                    )
                else:
                    self.report.count(
                        "sections existing" if section.id in existing else "sections created"
                    )
                    if section.id not in existing:
                        self.report.note(SECTIONS_NOT_IN_MENUS)
                    used[section.id] = cat.nicename
                wanted = section.slug.removesuffix("-section")
                if len(path) == 1 and wanted in reserved_slugs():
                    self.report.warn(
                        self.place(cat.line),
                        f"section {cat.name!r} is at /{section.slug}/: /{wanted}/ is a path "
                        "the site answers itself",
                    )
            except Exception as exc:  # reported, the rest goes on
                self.report.fail(self.place(cat.line), f"category {cat.name!r}: {exc}", item=False)

    def save_tags(self) -> None:
        from taggit.models import Tag

        for name in self.tag_names.values():
            try:
                with transaction.atomic():
                    if not Tag.objects.filter(name=name).exists():
                        Tag.objects.create(name=name)
                self.report.count("tags")
            except Exception as exc:
                self.report.fail(str(self.path), f"tag {name!r}: {exc}", item=False)

    def save_authors(self) -> None:
        """One :class:`Author` per login (any case): matched to an existing author by e-mail
        (any case), else by name (any case), else created; an existing author is written only
        to add the file's e-mail when it has none."""
        done: dict[str, str] = {}
        for key, name in self.authors.items():
            email = self.author_emails.get(key, "")
            if email.casefold() in done:
                self.authors[key] = done[email.casefold()]
                continue
            author = None
            if email:
                author = Author.objects.filter(email__iexact=email).first()
            author = author or Author.objects.filter(name__iexact=name).first()
            if not self.dry_run or author is not None:
                # Saved when new or given its e-mail only: an author found as the file has it
                # is not written (its pages would be baked again for nothing).
                with transaction.atomic():
                    author = author or Author(name=name)
                    if not author.email and email:
                        author.email = email
                        author.save()
                    elif author.pk is None:
                        author.save()
            self.authors[key] = author.name if author else name
            if email:
                done[email.casefold()] = self.authors[key]
            self.report.count("authors")

    def byline(self, item: Node) -> list[str]:
        """The post's authors in byline order: Co-Authors Plus terms (``<category
        domain="author" nicename="cap-login">``) when there are any, else every
        ``dc:creator``; logins matched in any case."""
        names: list[str] = []
        for el in item.all("category"):
            if el.get("domain") != "author":
                continue
            login = unquote(el.get("nicename") or "").removeprefix("cap-")
            names.append(
                self.authors.get(login.casefold())
                or self.authors.get(_clean_name(_text(el)).casefold())
                or _clean_name(_text(el))
                or login
            )
        if not names:
            for el in item.all("dc:creator"):
                login = _clean_name(_text(el))
                if login:
                    names.append(self.authors.get(login.casefold(), login))
        return [n for n in dict.fromkeys(names) if n]
