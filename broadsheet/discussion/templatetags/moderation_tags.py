"""Template tags of the moderation admin's pages."""

from __future__ import annotations

from typing import Any

from django import template

from ..counts import count_of

register = template.Library()


@register.simple_tag(name="count_of")
def count_of_tag(model: Any, count: int) -> str:
    """``{% count_of model_opts.model items|length %}``: "1 forum post", "2 forum posts"
    (:func:`broadsheet.discussion.counts.count_of`)."""
    return count_of(model, int(count or 0))
