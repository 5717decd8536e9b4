from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "samenveilig.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from samenveilig.notifications import notices, tasks  # noqa: F401 - kinds' texts; the worker start hook
