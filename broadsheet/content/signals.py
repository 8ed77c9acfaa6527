"""Signals of the content layer.

``changed`` is sent by a content service that changed many rows at once with a bulk ``UPDATE``
(which sends no ``post_save``): ``sender`` is the model class, ``instances`` the changed
objects as they are now (saved). Receivers treat each instance as if it had been saved.
"""

from django.dispatch import Signal

changed = Signal()  # kwargs: instances: list[Model]
