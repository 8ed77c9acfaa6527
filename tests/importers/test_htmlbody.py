"""Imported HTML to story blocks: paragraphs, sanitising, the block mapping."""

from __future__ import annotations

from pathlib import Path

from broadsheet.importers.htmlbody import autop, blocks_to_rich_text, html_to_blocks, plain_text


def test_autop_makes_paragraphs_and_line_breaks_like_wordpress():
    assert autop("One\nstill one\n\nTwo") == "<p>One<br>still one</p>\n<p>Two</p>"
    assert autop("<ul>\n<li>a</li>\n</ul>\n\nAfter").endswith("<p>After</p>")
    assert "<pre>a\n\nb</pre>" in autop("Before\n\n<pre>a\n\nb</pre>\n\nAfter")


def test_allowed_markup_only():
    blocks, _ = html_to_blocks(
        '<p style="color:red" class="x">A <strong>b</strong> <em>c</em> <u>d</u> '
        '<a href="https://ok.example/" target="_blank" onclick="x()">e</a> '
        '<a href="javascript:alert(1)">f</a> <sup>2</sup> <span>g</span></p>'
    )
    assert blocks == [
        {
            "type": "paragraph",
            "value": '<p>A <b>b</b> <i>c</i> d <a href="https://ok.example/">e</a> <a>f</a> '
            "<sup>2</sup> g</p>",
        }
    ]


def test_scripts_styles_iframes_and_forms_go_with_their_content():
    blocks, _ = html_to_blocks(
        "<p>Keep</p><script>alert(1)</script><style>p{}</style>"
        '<iframe src="http://evil.example/">fallback</iframe><form><input></form>'
        "<noscript>ns</noscript><svg onload=alert(2)><text>svg</text></svg>"
    )
    assert blocks == [{"type": "paragraph", "value": "<p>Keep</p>"}]


def test_headings_quotes_lists_and_images(tmp_path):
    photo = tmp_path / "a.png"
    photo.write_bytes(b"x")
    blocks, missing = html_to_blocks(
        "<h2>Sub one</h2><h3>Sub two</h3><blockquote><p>Said it.</p><p>— Someone</p></blockquote>"
        "<ul><li>one</li></ul><figure><img src='http://old/a.png' alt='Alt'>"
        "<figcaption>Cap</figcaption></figure><p>Text <img src='http://old/b.png'> more</p>",
        find_image=lambda src: photo if src.endswith("a.png") else None,
    )
    assert [b["type"] for b in blocks] == [
        "subheading",
        "subheading",
        "block_quote",
        "paragraph",
        "image",
        "paragraph",
    ]
    assert blocks[2]["value"] == {"text": "Said it.", "attribution": "Someone"}
    assert blocks[4]["value"]["file"] == str(Path(photo))
    assert blocks[4]["value"]["caption"] == "Cap"
    assert blocks[4]["value"]["alt"] == "Alt"
    assert blocks[5]["value"] == "<p>Text  more</p>"
    assert missing == ["http://old/b.png"]


def test_wordpress_caption_shortcode_becomes_a_captioned_image(tmp_path):
    photo = tmp_path / "c.png"
    photo.write_bytes(b"x")
    blocks, _ = html_to_blocks(
        '[caption id="attachment_1" align="alignnone" width="300"]'
        '<img src="http://old/c.png" alt="C"> The caption[/caption]\n\n[gallery ids="1,2"]Text',
        find_image=lambda src: photo,
        wordpress=True,
    )
    assert blocks[0]["type"] == "image"
    assert blocks[0]["value"]["caption"] == "The caption"
    assert blocks[1] == {"type": "paragraph", "value": "<p>Text</p>"}


def test_rich_text_for_pages_and_plain_text():
    blocks, _ = html_to_blocks("<h2>Who</h2><p>We <b>are</b>.</p><blockquote>Q</blockquote>")
    assert blocks_to_rich_text(blocks) == "<h2>Who</h2><p>We <b>are</b>.</p><p>Q</p>"
    assert plain_text("<p>A &amp; B<br>C</p><p>D<script>x</script></p>") == "A & B\nC\n\nD"
