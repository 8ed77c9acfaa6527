"""Normalisation of search text (broadsheet/content/searchtext.py)."""

from broadsheet.content.searchtext import (
    body_text,
    fold_letters,
    folded_words,
    highlight,
    normalise,
    query_terms,
    snippet,
)


def test_folded_words_keep_each_word_at_its_position():
    """The folded text (what the static index matches) and the written text (what its
    excerpts show) have the same words in the same places, however white space is split: a
    word that folds to nothing (a lone tatweel, a lone haraka) is left out of both, and
    U+FEFF (white space to JavaScript, not to Python) separates words in both."""
    folded, written = folded_words("كِتابـ  علي ـ \u064e\n\n١٤٠٣\ufeffNoah’s")
    assert folded == "کتاب علی 1403 Noah’s"
    assert written == "كِتابـ علي ١٤٠٣ Noah’s"
    assert len(folded.split(" ")) == len(written.split(" ")) == 4


def test_folded_words_of_a_text_with_nothing_to_fold_are_its_words():
    """Most English text folds to itself: both strings are its words one space apart (taken
    without folding each word), as the word-by-word path would give."""
    text = "  Noah’s Ark\u00a0in 1386,\n\n\ufeffگزارش  کمیته "
    assert fold_letters(text) == text
    folded, written = folded_words(text)
    assert folded is written
    assert folded == "Noah’s Ark in 1386, گزارش کمیته"
    # the same words as a text that needs folding splits into
    assert folded_words(text + "ك")[1] == folded + " ك"
    plain = text.replace("\ufeff", "\u2003")
    assert folded_words(plain)[0] == folded_words(plain + "ك")[1].removesuffix(" ك")


def test_persian_and_arabic_letters_fold_to_one_spelling():
    arabic, persian = "كتاب يك", "کتاب یک"
    assert normalise(arabic) == normalise(persian) == "کتاب یک"
    assert query_terms(arabic) == query_terms(persian)


def test_the_issues_example_normalises():
    """Arabic letters, a kasra, a tatweel and Arabic-Indic digits (the Persian edition's
    acceptance example); the display-keeping fold gives the same text here."""
    assert normalise("كِتابـ علي ١٤٠٣") == "کتاب علی 1403"
    assert fold_letters("كِتابـ علي ١٤٠٣") == "کتاب علی 1403"
    assert fold_letters("Noah’s Ark") == "Noah’s Ark"  # case and apostrophes kept for excerpts


def test_digits_of_every_script_are_ascii():
    assert query_terms("۱۳۸۶ ١٣٨٦ 1386") == ["1386"]


def test_zwnj_and_kashida_stay_inside_the_word():
    assert query_terms("می\u200cروم") == query_terms("میروم") == ["میروم"]
    assert query_terms("کـتـاب") == query_terms("کتاب")


def test_english_is_stemmed_and_possessives_dropped():
    assert query_terms("Elections") == query_terms("election")
    assert query_terms("Noah's Ark") == query_terms("NOAH’S ARK") == ["noah", "ark"]


def test_query_terms_carry_no_syntax():
    for t in query_terms('"a" OR b* NEAR(c) -d \\e\' ;--'):
        assert t.isalnum(), t


def test_highlight_escapes_then_marks():
    html = highlight("<script>Noah’s Ark</script>", set(query_terms("noah's ark")))
    assert str(html) == "&lt;script&gt;<mark>Noah’s</mark> <mark>Ark</mark>&lt;/script&gt;"


def test_snippet_centres_on_the_matches():
    text = " ".join(["filler"] * 100) + " the Baqerzadeh statement " + " ".join(["end"] * 100)
    s = str(snippet(text, set(query_terms("Baqerzadeh"))))
    assert "<mark>Baqerzadeh</mark>" in s
    assert s.startswith("… ") and s.endswith(" …")


def test_body_text_leaves_out_pull_quotes():
    raw = [
        {"type": "paragraph", "value": "<p>One &amp; two</p>"},
        {"type": "pull_quote", "value": {"text": "Repeated", "attribution": ""}},
        {"type": "subheading", "value": "Heading"},
    ]
    assert body_text(raw) == "One & two Heading"


def _reference_snippet(text, wanted, words=36):
    """The snippet as it was before it stopped reading early (read every word, then chose)."""
    from markupsafe import escape

    from broadsheet.content.searchtext import WORD, word_terms

    matches = list(WORD.finditer(text))
    if not matches:
        return highlight(text[:300], wanted)
    hits = [(i, t) for i, m in enumerate(matches) if (t := word_terms(m.group()) & wanted)]
    start = 0
    if hits:
        best, best_score = hits[0][0], 0
        for n, (h, _) in enumerate(hits[:64]):
            seen = set()
            for i, t in hits[n:]:
                if i >= h + words:
                    break
                seen |= t
            if len(seen) > best_score:
                best, best_score = h, len(seen)
        start = max(0, best - 6)
    stop = min(len(matches), start + words)
    prefix = "… " if start > 0 else ""
    suffix = " …" if stop < len(matches) else ""
    passage = text[matches[start].start() : matches[stop - 1].end()]
    return escape(prefix) + highlight(passage, wanted) + escape(suffix)


def test_snippet_reads_early_but_chooses_the_same_passage():
    import random

    rnd = random.Random(2007)
    vocabulary = [
        "iran",
        "human",
        "rights",
        "campaign",
        "paris",
        "noah",
        "ark",
        "baqerzadeh",
        "the",
        "of",
    ]
    vocabulary += [f"filler{i}" for i in range(30)]
    for _ in range(1500):
        text = " ".join(rnd.choice(vocabulary) for _ in range(rnd.choice([0, 3, 40, 120, 400])))
        wanted = set(query_terms(" ".join(rnd.sample(vocabulary[:9], rnd.randint(1, 3)))))
        for words in (36, 5, 1):
            assert str(snippet(text, wanted, words)) == str(
                _reference_snippet(text, wanted, words)
            ), (text, wanted, words)
