"""Search: server search at ``/search/`` through Wagtail's search backends, Persian/Arabic
text normalisation, and the Pagefind index that keeps a baked site searchable (docs/search.md)."""
