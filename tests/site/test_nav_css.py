"""On a phone the navigation is one line that scrolls sideways: it fades out at its inline end
(right in English, left in Persian) so a reader sees it goes on."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings


def phone_rules() -> str:
    css = (Path(settings.STATICFILES_DIRS[0]) / "broadsheet" / "site.css").read_text()
    start = css.index("@media (max-width: 40rem)")
    return css[start : css.index("\n}\n", start)]


def mask_of(rules: str, selector: str) -> str:
    block = re.search(re.escape(selector) + r"\s*\{([^}]*)\}", rules)
    assert block, selector
    found = re.search(r"(?<!-)mask-image:\s*([^;]+);", block.group(1))
    assert found, selector
    return found.group(1)


def test_the_phone_navigation_fades_at_its_inline_end_in_both_directions():
    rules = phone_rules()
    ltr = mask_of(rules, "  .site-nav ul")
    rtl = mask_of(rules, '[dir="rtl"] .site-nav ul')
    assert ltr.startswith("linear-gradient(to right,") and ltr.endswith("transparent)")
    assert rtl.startswith("linear-gradient(to left,") and rtl.endswith("transparent)")
    assert "overflow-x: auto" in rules
