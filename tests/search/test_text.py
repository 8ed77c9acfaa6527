"""Normalisation of search text (broadsheet/search/text.py)."""

from broadsheet.content.searchtext import body_text, highlight, normalise, query_terms, snippet


def test_persian_and_arabic_letters_fold_to_one_spelling():
    arabic, persian = "كتاب يك", "کتاب یک"
    assert normalise(arabic) == normalise(persian) == "کتاب یک"
    assert query_terms(arabic) == query_terms(persian)


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
