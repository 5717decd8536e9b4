from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "samenveilig.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from samenveilig.notifications import tasks  # noqa: F401 - registers the worker start hook
