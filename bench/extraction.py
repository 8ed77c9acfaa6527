"""Score the archived-page extraction per field: Broadsheet (``extract_page``) beside
trafilatura alone, on the evaluation set in ``bench/extraction-set/`` plus the archived news
pages in ``../shared/fixtures/news-html/`` (when present). Prints a table; asserts nothing.

    .venv/bin/python bench/extraction.py [--verbose]

The set (``bench/extraction-set/README.md`` gives sources and licences): 100 pages of
trafilatura's evaluation data (Apache-2.0; truth: title, author, date, strings that must and
must not be in the text), 25 pages of ScrapingHub's article-extraction-benchmark (MIT; truth:
the article body, from which three sentences must be in the extracted text and up to three
link texts of the page that are not in the article must not), and 25 pages of htmldate's
MediaCloud 2020 set (Apache-2.0; truth: the publication day). Each page is in the ``dev``
split (tune on it) or the ``test`` split (only report it); the table is printed for each.
Both are given the page's URL from the set's ``truth.json`` (every record has one; ``broadsheet
import html`` reads files and knows none but the page's own canonical link).
``--verbose`` lists the dev pages where a field fails. Each field is scored only on the
pages that have its truth:

* title exact: equal after collapsing whitespace; title lenient: equal ignoring case,
  punctuation and spaces, or one contains the other;
* author: the same set of names (split at commas, semicolons, "and", ignoring case and
  punctuation) — an empty truth wants none;
* date: the same day (YYYY-MM-DD);
* must-contain / must-not-contain: the share of the strings found / not found in the text
  (standfirst + body), whitespace collapsed.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SET = REPO / "bench" / "extraction-set"
FIXTURES = REPO.parent / "shared" / "fixtures" / "news-html"
FIELDS = ["title exact", "title lenient", "author", "date", "must-contain", "must-not-contain"]


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def key(text: str) -> str:
    return re.sub(r"[\W_]+", "", (text or "").casefold())


def names(value: str | list[str]) -> set[str]:
    """Author names as a set of keys ("A and B; C" → three names)."""
    text = "; ".join(value) if isinstance(value, list) else (value or "")
    return {key(n) for n in re.split(r"[;,]|\s+and\s+|\s+&\s+", text) if key(n)}


def load_set() -> list[tuple[str, bytes, dict]]:
    pages = []
    truth = json.loads((SET / "truth.json").read_text("utf-8"))
    for name, facts in sorted(truth.items()):
        data = (SET / name).read_bytes()
        pages.append((name, gzip.decompress(data) if name.endswith(".gz") else data, facts))
    if (FIXTURES / "expected.json").is_file():
        expected = json.loads((FIXTURES / "expected.json").read_text("utf-8"))
        for name, facts in sorted(expected.items()):
            facts = {**facts, "split": "dev"}  # the rules were written beside these pages
            pages.append((f"shared/{name}", (FIXTURES / name).read_bytes(), facts))
    else:
        print("(../shared/fixtures/news-html not found: scoring the bench set only)")
    return pages


def broadsheet(data: bytes, url: str) -> dict:
    from broadsheet.importers.archived import extract_page
    from broadsheet.importers.htmlbody import plain_text

    page = extract_page(data, url=url)
    parts = [page.standfirst]
    for block in page.body:
        value = block["value"]
        if block["type"] == "paragraph":
            parts.append(plain_text(value))
        elif block["type"] == "subheading":
            parts.append(value)
        elif isinstance(value, dict) and "text" in value:
            parts.append(value["text"])
    if page.dateline_place:  # the dateline is kept as a field, shown before the body
        parts.insert(1, page.dateline_place)
    return {
        "title": page.headline,
        "author": ", ".join(page.authors),
        "date": page.published.date().isoformat() if page.published else "",
        "text": "\n".join(parts),
    }


def trafilatura_alone(data: bytes, url: str) -> dict:
    import trafilatura

    doc = trafilatura.bare_extraction(
        data, url=url or None, with_metadata=True, include_comments=False
    )
    info = doc.as_dict() if hasattr(doc, "as_dict") else (doc or {})
    return {
        "title": info.get("title") or "",
        "author": info.get("author") or "",
        "date": (info.get("date") or "")[:10],
        "text": "\n".join([info.get("description") or "", info.get("text") or ""]),
    }


def score(result: dict, facts: dict, tally: dict) -> None:
    if "title" in facts:
        tally["title exact"].append(squash(result["title"]) == squash(facts["title"]))
        a, b = key(result["title"]), key(facts["title"])
        tally["title lenient"].append(bool(a and b) and (a == b or a in b or b in a))
    if "author" in facts:
        tally["author"].append(names(result["author"]) == names(facts["author"]))
    if facts.get("date"):
        tally["date"].append(result["date"] == facts["date"])
    text = squash(result["text"])
    for wanted in facts.get("must_contain", []):
        tally["must-contain"].append(squash(wanted) in text)
    for unwanted in facts.get("must_not_contain", []):
        tally["must-not-contain"].append(squash(unwanted) not in text)


def main() -> None:
    verbose = "--verbose" in sys.argv
    with tempfile.TemporaryDirectory() as var:
        os.environ["BROADSHEET_VAR_DIR"] = var
        os.environ.pop("DATABASE_URL", None)
        os.environ["DJANGO_SETTINGS_MODULE"] = "broadsheet.settings.dev"
        sys.path.insert(0, str(REPO))
        import django

        django.setup()
        from django.utils import timezone

        timezone.activate("UTC")
        tallies = {
            (label, split): defaultdict(list)
            for label in ("broadsheet", "trafilatura")
            for split in ("dev", "test")
        }
        for name, data, facts in load_set():
            split = facts.get("split", "dev")
            for label, run in (("broadsheet", broadsheet), ("trafilatura", trafilatura_alone)):
                try:
                    result = run(data, facts.get("url", ""))
                except Exception as exc:  # an unreadable page scores nothing
                    result = {"title": "", "author": "", "date": "", "text": ""}
                    if verbose:
                        print(f"{label}: {name}: {exc}")
                tally = tallies[(label, split)]
                before = {f: list(v) for f, v in tally.items()}
                score(result, facts, tally)
                if verbose and label == "broadsheet" and split == "dev":
                    lost = [f for f, v in tally.items() if False in v[len(before.get(f, [])) :]]
                    if lost:
                        print(
                            f"{name}: {', '.join(lost)}: {result['title']!r} "
                            f"{result['author']!r} {result['date']} | truth: "
                            f"{facts.get('title')!r} {facts.get('author')!r} {facts.get('date')}"
                        )
        for split in ("dev", "test"):
            print(f"\n{split} split")
            print(f"{'field':18} {'pages/strings':>13} {'Broadsheet':>11} {'trafilatura':>12}")
            for field in FIELDS:
                b = tallies[("broadsheet", split)][field]
                t = tallies[("trafilatura", split)][field]
                if not b:
                    print(f"{field:18} {0:>13} {'–':>11} {'–':>12}")
                    continue
                print(f"{field:18} {len(b):>13} {sum(b) / len(b):>11.2f} {sum(t) / len(t):>12.2f}")


if __name__ == "__main__":
    main()
