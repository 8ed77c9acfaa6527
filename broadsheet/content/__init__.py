"""The newsroom's content: its models and the services that write them.

The lowest layer of Broadsheet (docs/design.md): ``content`` imports no other Broadsheet
package. Two Django apps live here, under the labels the database already knows:

* :mod:`.newsroom` (label ``newsroom``): the page tree (front page, sections, stories,
  information pages), authors, tips, the site settings, retired paths, and the write services
  that build the tree (:mod:`.newsroom.tree`);
* :mod:`.discussion` (label ``discussion``): what readers write (comments, guestbook entries,
  letters, messages to authors), the discussion settings, and moderation and mail
  (:mod:`.discussion.moderation`).

Everything that changes what readers see goes through a model's ``save``/``delete`` (and so
Django's and Wagtail's signals), or through a service here that sends :data:`.signals.changed`
after a bulk update: publishing listens to both and re-bakes what a change touches.
"""
