from pathlib import Path

from django.apps import AppConfig
from markupsafe import Markup


class DiscussionConfig(AppConfig):
    """Readers write back: the guestbook and letters pages, comments on story pages, the form on
    author pages, the live endpoints forms post to, and the moderation screens of the admin.

    Label ``readers``: ``discussion`` is the content app holding the models."""

    name = "broadsheet.discussion"
    label = "readers"
    verbose_name = "Discussion (reader side)"

    def ready(self) -> None:
        from django.utils.translation import gettext, gettext_noop

        from broadsheet.site.registry import Endpoint, PageKind, Rule, registry

        from . import formtoken, pages, views
        from .accounts import notices
        from .accounts import views as account_views

        reads = frozenset({"guestbook", "discussion-settings", "sections", "site", "tips"})
        for kind in (
            PageKind(
                "guestbook", "guestbook/", pages.guestbook, pages.one, reads, feature=self.label
            ),
            PageKind(
                "guestbook-page",
                "guestbook/page/<n:number>/",
                pages.guestbook,
                pages.guestbook_paths,
                reads,
                feature=self.label,
            ),
            PageKind("contact", "contact/", pages.letters, pages.one, reads, feature=self.label),
            # before the tree route: the Letters section's front (where published letters are
            # filed) is this page, with the form
            PageKind(
                "letters-page",
                "letters/",
                pages.letters_page,
                pages.one,
                reads | {"story"},
                feature=self.label,
            ),
        ):
            registry.page(kind)
        for endpoint in (
            Endpoint("discussion-comment", "discussion/comments/", views.post_comment),
            Endpoint(
                "discussion-reply", "discussion/comments/<int:comment_id>/reply/", views.reply_form
            ),
            Endpoint("discussion-token", "discussion/token/", formtoken.fresh_token),
            Endpoint("discussion-guestbook", "discussion/guestbook/", views.post_guestbook),
            Endpoint("discussion-letter", "discussion/letters/", views.post_letter),
            Endpoint(
                "discussion-author", "discussion/authors/<seg:slug>/", views.post_author_message
            ),
            Endpoint("reader_profile", "accounts/profile/", account_views.profile),
            Endpoint("reader_delete", "accounts/delete/", account_views.delete),
        ):
            registry.endpoint(endpoint)
        self._forums(registry, PageKind, Endpoint)
        registry.rule(Rule(frozenset({"guestbook"}), pages.on_guestbook, self.label))
        registry.rule(Rule(frozenset({"story"}), pages.on_letter, self.label))
        registry.slot("story_end", pages.story_discussion)
        registry.slot("author_end", pages.author_discussion)
        registry.filter("plain_text", pages.plain_text)
        registry.filter("notice_lang", notices.language_attrs)
        registry.templates(str(Path(__file__).resolve().parent / "templates" / "reader"))

        def link(kind: str, text: str):
            def slot(build, context):
                return Markup('<li><a href="%s">%s</a></li>') % (build.url(kind), gettext(text))

            return slot

        gettext_noop("Guestbook"), gettext_noop("Letters to the editor"), gettext_noop("Contact")
        registry.slot("footer_nav", link("guestbook", "Guestbook"), 50, True)
        registry.slot("footer_nav", link("letters-page", "Letters to the editor"), 51, True)
        # the utility links after the sections: Forums (a feature's entry at the default
        # order, 100) · RSS (syndication, 101) · Guestbook · Contact
        registry.slot("nav_end", link("guestbook", "Guestbook"), 102, True)
        registry.slot("nav_end", link("contact", "Contact"), 103, True)
        registry.slot("footer_prompts", pages.forums_prompt, 10)
        registry.slot("footer_prompts", pages.guestbook_prompt, 20, True)
        registry.slot("footer_prompts", pages.letters_prompt, 30, True)

    def _forums(self, registry, PageKind, Endpoint) -> None:
        """The forums (docs/forums.md): live pages, baked read-only only by a frozen site."""
        from broadsheet.content.forums.services import post_published

        from .forums import follow, mail, own
        from .forums import pages as fp
        from .forums import views as fv

        reads = frozenset({"forums", "site", "sections", "tips"})
        for name, route, render, paths, view, order in (
            ("forums", "forums/", fp.index, fp.index_paths, fv.index, 40),
            ("forum-latest", "forums/latest/", fp.latest, fp.index_paths, fv.latest, 40),
            ("forum-search", "forums/search/", fp.search, None, fv.search, 40),
            ("forum-board", "forums/<seg:board>/", fp.board, fp.board_paths, fv.board, 60),
            (
                "forum-board-page",
                "forums/<seg:board>/page/<n:number>/",
                fp.board,
                fp.board_page_paths,
                fv.board,
                60,
            ),
            (
                "forum-topic",
                "forums/<seg:board>/<int:topic>/",
                fp.topic,
                fp.topic_paths,
                fv.topic,
                60,
            ),
            (
                "forum-topic-page",
                "forums/<seg:board>/<int:topic>/page/<n:number>/",
                fp.topic,
                fp.topic_page_paths,
                fv.topic,
                60,
            ),
        ):
            registry.page(
                PageKind(
                    name,
                    route,
                    render,
                    paths,
                    reads,
                    order=order,
                    live_view=view,
                    feature=self.label,
                )
            )
        for endpoint in (
            Endpoint("forum-reply", "forums/post/<int:topic>/", fv.reply, order=30),
            Endpoint("forum-quote", "forums/quote/<int:post>/", fv.quote, order=30),
            Endpoint("forum-report", "forums/report/<int:post>/", fv.report, order=30),
            Endpoint("forum-discuss", "forums/discuss/<int:story>/", fv.discuss, order=30),
            Endpoint("forum-new-topic", "forums/<seg:board>/new/", fv.new_topic, order=30),
            Endpoint("forum-follow", "forums/follow/<int:topic>/", follow.follow, order=30),
            Endpoint("forum-unsubscribe", "forums/unsubscribe/", follow.unsubscribe, order=30),
            Endpoint("forum-edit", "forums/edit/<int:post>/", own.edit, order=30),
            Endpoint("forum-delete", "forums/delete/<int:post>/", own.delete, order=30),
        ):
            registry.endpoint(endpoint)
        # mail to a topic's subscribers, through the worker, once a post is first shown
        post_published.connect(mail.on_post_published, dispatch_uid="broadsheet.forums.mail")
        registry.slot("nav_end", fp.nav_link, 100, True)
        registry.slot("story_end", fp.story_link, 50)
