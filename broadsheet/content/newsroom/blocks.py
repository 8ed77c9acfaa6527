"""Story body blocks (Wagtail StreamField): paragraph, subheading, pull quote, block quote,
image and fact box.

The reader pages never render these with Wagtail's block templates: the renderer
(:mod:`broadsheet.site.bodies`) reads the stored JSON directly, so bulk rendering costs no
query per block. The block names here are the stored ``type`` values and part of the story-file
format (docs/story-files.md).
"""

from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul", "superscript", "subscript"]


class PullQuoteBlock(blocks.StructBlock):
    """A sentence repeated from the body, shown as an aside; hidden from screen readers."""

    text = blocks.TextBlock()
    attribution = blocks.CharBlock(required=False, max_length=255)

    class Meta:
        icon = "openquote"
        label = "Pull quote"


class BlockQuoteBlock(blocks.StructBlock):
    """A quotation that is part of the story's text."""

    text = blocks.TextBlock()
    attribution = blocks.CharBlock(required=False, max_length=255)

    class Meta:
        icon = "openquote"
        label = "Block quote"


class StoryImageBlock(blocks.StructBlock):
    """An image in the body, with caption and credit (photographer or agency)."""

    image = ImageChooserBlock()
    caption = blocks.CharBlock(required=False, max_length=500)
    credit = blocks.CharBlock(required=False, max_length=255)

    class Meta:
        icon = "image"
        label = "Image"


class FactBoxBlock(blocks.StructBlock):
    """A boxed panel of background facts beside the story."""

    title = blocks.CharBlock(max_length=255)
    body = blocks.RichTextBlock(features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "list-ul"
        label = "Fact box"


class StoryBodyBlock(blocks.StreamBlock):
    """The blocks a story body is made of."""

    paragraph = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, label="Paragraphs")
    subheading = blocks.CharBlock(max_length=255, icon="title", label="Subheading")
    pull_quote = PullQuoteBlock()
    block_quote = BlockQuoteBlock()
    image = StoryImageBlock()
    fact_box = FactBoxBlock()
