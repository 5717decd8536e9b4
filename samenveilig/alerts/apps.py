from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "samenveilig.alerts"
    verbose_name = _("alerts")

    def ready(self) -> None:
        from samenveilig.alerts import audiences, notices, tasks  # noqa: F401 - they register themselves
