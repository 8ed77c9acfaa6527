"""URLs of the discussion: reader pages (baked) and the live endpoints forms post to."""

from django.urls import path

from . import views

urlpatterns = [
    path("guestbook/", views.guestbook, name="guestbook"),
    path("guestbook/page/<int:number>/", views.guestbook, name="guestbook_page"),
    path("contact/", views.contact, name="contact"),
    path("discussion/comments/", views.post_comment, name="discussion_comment"),
    path("discussion/comments/<int:comment_id>/reply/", views.reply_form, name="discussion_reply"),
    path("discussion/guestbook/", views.post_guestbook, name="discussion_guestbook"),
    path("discussion/letters/", views.post_letter, name="discussion_letter"),
    path("discussion/authors/<str:slug>/", views.post_author_message, name="discussion_author"),
]
