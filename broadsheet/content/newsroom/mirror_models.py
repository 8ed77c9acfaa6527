"""Other ways to reach the newsroom: the mirrors, onion address and IPFS copies the newsroom
lists in the admin (*Snippets → Mirrors*). The readers' page "Other ways to reach us" and the
machine-readable ``/mirrors.json`` (Bypass Censorship's mirror list, version 2.0) are made from
them by the mirrors feature (``broadsheet.mirrors``). Kept apart from ``models.py`` for its
size.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet

from .addresses import validate_web_address

__all__ = ["Mirror"]

#: a version 3 onion service's name (56 base32 letters; Tor dropped version 2 in 2021)
ONION_V3 = re.compile(r"(?:[a-z0-9-]+\.)*[a-z2-7]{56}\.onion")


@register_snippet
class Mirror(models.Model):
    """One other address of the site: ``url`` (``http(s)://``; for an onion, its
    ``http(s)://<name>.onion``), ``kind`` (a copy on another host or CDN, the onion service, an
    IPFS gateway address), a ``note`` for readers ("Updated daily"), shown while ``live``, in
    the editors' ``sort_order``. ``created_at``/``updated_at`` (UTC) go into ``mirrors.json``.
    """

    class Kind(models.TextChoices):
        MIRROR = "mirror", _("Mirror (a copy on another host or CDN)")
        ONION = "onion", _("Onion service (Tor)")
        IPFS = "ipfs", _("IPFS (through a gateway address)")

    url = models.URLField(
        _("address"),
        max_length=500,
        unique=True,
        help_text=_(
            "The full address readers open: https://mirror.example/ips/ or http://<name>.onion/"
        ),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.MIRROR)
    note = models.CharField(
        _("note"),
        max_length=300,
        blank=True,
        help_text=_("Shown to readers beside the address (optional)."),
    )
    live = models.BooleanField(_("live"), default=True, help_text=_("Listed on the site."))
    sort_order = models.IntegerField(_("order"), default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, editable=False)

    panels = [
        FieldPanel("url"),
        FieldPanel("kind"),
        FieldPanel("note"),
        FieldPanel("live"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("mirror")
        verbose_name_plural = _("mirrors")

    def __str__(self) -> str:
        return self.url

    def clean(self) -> None:
        """An ``http(s)`` address without credentials; an onion service's host is a version 3
        onion name (``<56 letters>.onion``) and no other kind's ends in ``.onion``. Raises
        ``ValidationError`` on the ``url`` field."""
        try:
            validate_web_address(self.url)
        except ValidationError as error:
            raise ValidationError({"url": error.messages}) from None
        host = (urlsplit(self.url).hostname or "").lower()
        onion = host.endswith(".onion")
        if self.kind == self.Kind.ONION and not ONION_V3.fullmatch(host):
            raise ValidationError(
                {"url": _("An onion service's address is http(s)://<56 letters and digits>.onion")}
            )
        if self.kind != self.Kind.ONION and onion:
            raise ValidationError({"url": _("A .onion address is of the kind “Onion service”.")})
