"""Builders for hand-made import inputs: small WXR documents (one item per keyword set) and
tiny image files. Importers have no models of their own, so these build files, not rows."""

from __future__ import annotations

from pathlib import Path

WXR_NS = (
    'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
    'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
    'xmlns:wfw="http://wellformedweb.org/CommentAPI/" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:wp="http://wordpress.org/export/1.2/"'
)


def wxr_comment(
    cid: int,
    text: str = "A comment.",
    parent: int = 0,
    approved: str = "1",
    date: str = "2012-01-01 10:00:00",
    author: str = "Reader",
) -> str:
    return f"""
    <wp:comment>
      <wp:comment_id>{cid}</wp:comment_id>
      <wp:comment_author><![CDATA[{author}]]></wp:comment_author>
      <wp:comment_author_email>reader@example.org</wp:comment_author_email>
      <wp:comment_author_url>http://example.org/</wp:comment_author_url>
      <wp:comment_author_IP>203.0.113.5</wp:comment_author_IP>
      <wp:comment_date>{date}</wp:comment_date>
      <wp:comment_date_gmt>{date}</wp:comment_date_gmt>
      <wp:comment_content><![CDATA[{text}]]></wp:comment_content>
      <wp:comment_approved>{approved}</wp:comment_approved>
      <wp:comment_type></wp:comment_type>
      <wp:comment_parent>{parent}</wp:comment_parent>
    </wp:comment>"""


def wxr_item(
    post_id: int,
    title: str = "A post",
    name: str | None = None,
    status: str | None = "publish",
    post_type: str = "post",
    content: str = "First paragraph.\n\nSecond paragraph.",
    excerpt: str = "",
    date_gmt: str = "2012-01-01 09:00:00",
    date: str | None = None,
    categories: tuple[tuple[str, str], ...] = (("news", "News"),),
    tags: tuple[str, ...] = (),
    password: str = "",
    sticky: bool = False,
    parent: int = 0,
    comments: str = "",
    extra: str = "",
    link: str | None = None,
) -> str:
    """One ``<item>``; ``status=None`` leaves out ``wp:status``."""
    name = f"post-{post_id}" if name is None else name
    link = f"http://old.example.org/2012/01/01/{name}/" if link is None else link
    cats = "".join(
        f'<category domain="category" nicename="{n}"><![CDATA[{label}]]></category>'
        for n, label in categories
    )
    cats += "".join(
        f'<category domain="post_tag" nicename="t"><![CDATA[{t}]]></category>' for t in tags
    )
    status_el = f"<wp:status>{status}</wp:status>" if status is not None else ""
    return f"""
  <item>
    <title>{title}</title>
    <link>{link}</link>
    <pubDate>Sun, 01 Jan 2012 09:00:00 +0000</pubDate>
    <dc:creator>editor</dc:creator>
    <guid isPermaLink="false">http://old.example.org/?p={post_id}</guid>
    <content:encoded><![CDATA[{content}]]></content:encoded>
    <excerpt:encoded><![CDATA[{excerpt}]]></excerpt:encoded>
    <wp:post_id>{post_id}</wp:post_id>
    <wp:post_date>{date if date is not None else date_gmt}</wp:post_date>
    <wp:post_date_gmt>{date_gmt}</wp:post_date_gmt>
    <wp:comment_status>open</wp:comment_status>
    <wp:post_name>{name}</wp:post_name>
    {status_el}
    <wp:post_parent>{parent}</wp:post_parent>
    <wp:post_type>{post_type}</wp:post_type>
    <wp:post_password>{password}</wp:post_password>
    <wp:is_sticky>{1 if sticky else 0}</wp:is_sticky>
    {cats}
    {extra}
    {comments}
  </item>"""


def wxr_document(*items: str, head: str = "") -> str:
    """A WXR 1.2 document with one author ("editor"), a "News" category and the items."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" {WXR_NS}>
<channel>
  <title>Old Site</title>
  <link>http://old.example.org</link>
  <wp:wxr_version>1.2</wp:wxr_version>
  <wp:base_site_url>http://old.example.org</wp:base_site_url>
  <wp:base_blog_url>http://old.example.org</wp:base_blog_url>
  <wp:author>
    <wp:author_login>editor</wp:author_login>
    <wp:author_email>editor@example.org</wp:author_email>
    <wp:author_display_name><![CDATA[Ed Itor]]></wp:author_display_name>
  </wp:author>
  <wp:category>
    <wp:term_id>1</wp:term_id>
    <wp:category_nicename>news</wp:category_nicename>
    <wp:category_parent></wp:category_parent>
    <wp:cat_name><![CDATA[News]]></wp:cat_name>
  </wp:category>
  {head}
  {"".join(items)}
</channel>
</rss>
"""


def write(tmp_path: Path, text: str | bytes, name: str = "export.xml") -> Path:
    path = tmp_path / name
    if isinstance(text, str):
        text = text.encode("utf-8")
    path.write_bytes(text)
    return path


def png(path: Path, colour: str = "red") -> Path:
    """A tiny PNG file at ``path`` (folders created)."""
    from PIL import Image

    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (4, 3), colour).save(path, "PNG")
    return path
