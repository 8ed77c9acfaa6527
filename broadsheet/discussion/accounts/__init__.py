"""Reader accounts on the reader site, through django-allauth (its ``account`` app only).

allauth does sign-up with e-mail confirmation, sign-in and -out, password reset and change,
and its own rate limits; this package adds what is Broadsheet's: the :class:`~.adapter.
ReaderAccountAdapter` (every account made here is a reader's, with a profile), the sign-in that
only readers may use (:class:`~.access.ReaderBackend`), the admin that refuses readers
(:mod:`.access`), the profile and account-deletion pages (:mod:`.views`) and the reader site's
look for allauth's Django templates (:mod:`.shell`). docs/forums.md describes it.
"""
