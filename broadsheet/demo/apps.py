from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The ``broadsheet demo`` command."""

    name = "broadsheet.demo"
    label = "demo"
    verbose_name = "Demo newsroom"
