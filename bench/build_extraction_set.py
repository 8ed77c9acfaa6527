"""Add pages of trafilatura's evaluation data to ``bench/extraction-set/`` (run once; the
result is committed). Not part of the product: a record of how the set was drawn.

    .venv/bin/python bench/build_extraction_set.py /path/to/trafilatura-checkout [N]

Draws ``N`` (default 120) of the pages of ``tests/evaldata.json`` that carry title, author
and date truth, at random with seed 17, gzips them as ``tf-<n>.html.gz`` and adds their facts
to ``truth.json``: ``title``, ``author`` (may be empty: the page names nobody), ``date``,
``must_contain`` (trafilatura's "with"), ``must_not_contain`` ("without"). Every page of the
set gets a ``split`` ("dev" or "test") from a hash of its file name, so the split does not
depend on the order or the size of the draw.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import random
import sys
from pathlib import Path

SET = Path(__file__).resolve().parent / "extraction-set"


def split_of(name: str) -> str:
    """``"dev"`` or ``"test"``, half and half, from the sha256 of the file name."""
    return "dev" if hashlib.sha256(name.encode()).digest()[0] % 2 == 0 else "test"


def main() -> None:
    checkout = Path(sys.argv[1])
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 120
    evaldata = json.loads((checkout / "tests" / "evaldata.json").read_text("utf-8"))
    files = {p.name: p for d in ("cache", "eval") for p in (checkout / "tests" / d).iterdir()}
    candidates = [
        (url, facts)
        for url, facts in sorted(evaldata.items())
        if "title" in facts and facts.get("date") and facts["file"] in files
    ]
    truth = json.loads((SET / "truth.json").read_text("utf-8"))
    truth = {k: v for k, v in truth.items() if not k.startswith("tf-")}
    for i, (url, facts) in enumerate(random.Random(17).sample(candidates, n), 1):
        name = f"tf-{i:03d}.html.gz"
        data = files[facts["file"]].read_bytes()
        (SET / name).write_bytes(gzip.compress(data, 9, mtime=0))
        truth[name] = {
            "source": f"trafilatura tests/evaldata.json: {facts['file']}",
            "url": url,
            "title": facts["title"],
            "author": facts.get("author") or "",
            "date": facts["date"][:10],
            "must_contain": facts.get("with", []),
            "must_not_contain": facts.get("without", []),
        }
    for name, facts in truth.items():
        facts["split"] = split_of(name)
    (SET / "truth.json").write_text(
        json.dumps(dict(sorted(truth.items())), ensure_ascii=False, indent=1) + "\n", "utf-8"
    )


if __name__ == "__main__":
    main()
