from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "samenveilig.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from samenveilig.reports import (
            notices,  # noqa: F401 - registers the report notification texts
            routing,
        )

        routing.watch_reference_data()
