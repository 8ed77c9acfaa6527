"""URL configuration: reader views, the Wagtail admin at /admin/, then Wagtail's page tree."""

from django.conf import settings
from django.urls import include, path, re_path
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from broadsheet.newsroom import views
from broadsheet.search import views as search_views

handler404 = "broadsheet.newsroom.views.not_found"
handler500 = "broadsheet.newsroom.views.server_error"

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("latest/", views.latest, name="latest"),
    path("archives/", views.archive_index, name="archive_index"),
    path("archives/<int:year>/", views.archive_year, name="archive_year"),
    path("archives/<int:year>/<int:month>/", views.archive_month, name="archive_month"),
    path("archives/<int:year>/<int:month>/<int:day>/", views.archive_day, name="archive_day"),
    path("authors/", views.authors_index, name="authors_index"),
    path("authors/<str:slug>/", views.author, name="author"),
    path("authors/<str:slug>/page/<int:number>/", views.author, name="author_page"),
    path("tags/", views.tags_index, name="tags_index"),
    path("tags/<str:slug>/", views.tag, name="tag"),
    path("tags/<str:slug>/page/<int:number>/", views.tag, name="tag_page"),
    path("", include("broadsheet.syndication.urls")),
    path("", include("broadsheet.discussion.urls")),
    path("search/", search_views.search, name="search"),
]

if getattr(settings, "BROADSHEET_SERVE_MEDIA", False):
    urlpatterns.append(
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})
    )

urlpatterns.append(path("", include(wagtail_urls)))
