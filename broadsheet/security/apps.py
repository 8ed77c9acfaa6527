from django.apps import AppConfig


class SecurityConfig(AppConfig):
    """The deployment's defences: system checks that keep production from starting half
    configured, and the editors' second factor (docs/security.md)."""

    name = "broadsheet.security"
    label = "security"
    verbose_name = "Security"

    def ready(self) -> None:
        from broadsheet.site.registry import Endpoint, registry

        from . import (
            checks,  # noqa: F401 - registers the system checks
            views,
        )

        registry.endpoint(Endpoint("csp-report", "csp-report/", views.csp_report))
