"""The reader's profile and the deletion of their account (live, signed-in, CSRF-protected).

allauth serves everything else under ``/accounts/`` (sign-up, confirmation, sign-in and -out,
password reset and change, e-mail addresses). These two are endpoints of the site registry
(:mod:`broadsheet.discussion.apps`), rendered with the reader site's look
(:mod:`.shell`) and never cached (``private, no-store``).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from broadsheet.content.readers.models import Reader, is_reader
from broadsheet.content.readers.services import delete_account

from . import notices
from .forms import DeleteAccountForm, ProfileForm


def _not_a_reader() -> HttpResponse:
    return HttpResponseForbidden(_("This page is for readers' accounts.").encode())


@never_cache
@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """``GET``/``POST /accounts/profile/``: the signed-in reader's display name, bio and
    language. A refused form comes back with the reader's values and the reasons (400)."""
    if not is_reader(request.user):
        return _not_a_reader()
    reader = Reader.objects.get(user=request.user)
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=reader)
        if form.is_valid():
            form.save()
            language = form.cleaned_data["language"]
            with translation.override(language):  # the page it shows on
                notices.add(request, messages.SUCCESS, _("Your profile is saved."), language)
            return HttpResponseRedirect(reverse("reader_profile"))
        return render(request, "accounts/profile.html", {"form": form}, status=400)
    return render(request, "accounts/profile.html", {"form": ProfileForm(instance=reader)})


@never_cache
@login_required
def delete(request: HttpRequest) -> HttpResponse:
    """``GET``/``POST /accounts/delete/``: delete the signed-in reader's account, keeping their
    posts under "former member" or deleting them (their choice); asks for the password."""
    if not is_reader(request.user):
        return _not_a_reader()
    if request.method == "POST":
        form = DeleteAccountForm(request.user, request.POST)
        if form.is_valid():
            user = request.user
            logout(request)
            delete_account(user, delete_posts=form.cleaned_data["posts"] == form.DELETE)
            return render(request, "accounts/deleted.html")
        return render(request, "accounts/delete.html", {"form": form}, status=400)
    return render(request, "accounts/delete.html", {"form": DeleteAccountForm(request.user)})
