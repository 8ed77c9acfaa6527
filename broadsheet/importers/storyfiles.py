"""Story files: Markdown with YAML front matter, one story per file (docs/story-files.md).

``parse_story_file`` reads a file into a :class:`StoryFile` (or raises :class:`StoryFileError`
naming the file and line); ``save_story`` writes it into the page tree, idempotently, keyed by
slug; ``story_to_markdown`` is the inverse, used by ``broadsheet export stories``.

Libraries: PyYAML for the front matter, markdown-it-py (CommonMark) with the container plugin
for ``::: pullquote`` / ``::: factbox``, nh3 to sanitise the HTML that goes into rich text,
markdownify to turn stored rich text back into Markdown. Our own code is only the mapping
between Markdown and the story's blocks, which is the product's format.
"""

from __future__ import annotations

# The story-file API, from the modules that hold it (this module's names are the documented
# ones: docs/importers.md, docs/story-files.md).
from .storyexport import export_stories, story_to_markdown  # noqa: F401
from .storyformat import (  # noqa: F401
    FRONT_MATTER_KEYS,
    FrontMatterLoader,
    StoryFile,
    StoryFileError,
    parse_story_file,
    parse_story_text,
)
from .storyimport import (  # noqa: F401
    STORY_FILES,
    import_story_files,
    iter_story_paths,
    save_story_file,
)
from .storymarkdown import (  # noqa: F401
    MD,
    clean_rich_text,
    markdown_to_blocks,
    rich_text_to_markdown,
)
from .storysave import (  # noqa: F401
    fill_story,
    find_author,
    import_image,
    resolve_images,
    save_story,
    tag_names,
    write_story,
)
