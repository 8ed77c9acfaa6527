"""snippet() gives the same passages as its first, plainer version (kept here as the
reference), for random texts and queries: its per-word shortcuts change the cost, never the
result."""

from __future__ import annotations

import random
import re

import pytest
from markupsafe import escape

from broadsheet.content.searchtext import WORD, highlight, query_terms, snippet, word_terms

WORDS = (  # noqa: SIM905
    "Iran iran's Iranian rights human campaigner Paris opposition conference regime elections "
    "the of and ایران كميته کمیته ۱۳۸۶ 1386 Noah's Ark solidarity — , . « »"
).split()


def reference(text: str, wanted: set[str], words: int = 36):
    """The 2026-12-02 implementation (commit c8750f7)."""
    iterator = WORD.finditer(text)
    matches: list[re.Match[str]] = []
    hits: list[tuple[int, frozenset[str]]] = []
    best, best_score, full = 0, 0, len(wanted)

    def score(n: int) -> int:
        h = hits[n][0]
        seen: set[str] = set()
        for i, t in hits[n:]:
            if i >= h + words:
                break
            seen |= t
        return len(seen)

    settled = 0
    known: dict[str, frozenset[str]] = {}
    for m in iterator:
        i = len(matches)
        matches.append(m)
        word = m.group()
        found = known.get(word)
        if found is None:
            found = known[word] = word_terms(word) & wanted
        if found:
            hits.append((i, found))
        while settled < min(len(hits), 64) and hits[settled][0] + words <= i + 1:
            current = score(settled)
            if current > best_score:
                best, best_score = hits[settled][0], current
            settled += 1
        if best_score == full and full:
            break
    else:
        while settled < min(len(hits), 64):
            current = score(settled)
            if current > best_score:
                best, best_score = hits[settled][0], current
            settled += 1
    if not matches:
        return highlight(text[:300], wanted)
    start = max(0, best - 6) if hits else 0
    while len(matches) < start + words + 1:
        m = next(iterator, None)
        if m is None:
            break
        matches.append(m)
    stop = min(len(matches), start + words)
    begin = matches[start].start()
    end = matches[stop - 1].end()
    prefix = "… " if start > 0 else ""
    suffix = " …" if stop < len(matches) else ""
    return escape(prefix) + highlight(text[begin:end], wanted) + escape(suffix)


@pytest.mark.parametrize("seed", range(20))
def test_same_passages_as_the_reference(seed):
    rnd = random.Random(seed)
    for _ in range(50):
        text = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(0, 400)))
        query = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(0, 4)))
        wanted = set(query_terms(query))
        words = rnd.choice((5, 12, 36))
        assert snippet(text, wanted, words) == reference(text, wanted, words), (text, query)
