"""URL configuration: the Wagtail admin, then every reader URL from the site model's registry
(page kinds and live endpoints of every feature; docs/design.md)."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from broadsheet.site import routes

handler404 = "broadsheet.site.views.not_found"
handler500 = "broadsheet.site.views.server_error"

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # reader accounts: allauth's sign-up, sign-in, password reset… (docs/forums.md)
    path("accounts/", include("allauth.urls")),
]

if getattr(settings, "BROADSHEET_SERVE_MEDIA", False):
    urlpatterns.append(
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})
    )

urlpatterns += routes.urlpatterns()
# Last, and never reached by a reader's request (the tree route above answers every page): Wagtail
# builds page URLs (``Page.url``, "View live" in the admin) by reversing its ``wagtail_serve``,
# in the page's language: with the language prefix, a Persian page's URL is /fa/… like ours.
urlpatterns += i18n_patterns(path("", include(wagtail_urls)), prefix_default_language=False)
