from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PushConfig(AppConfig):
    name = "samenveilig.integrations.push"
    label = "push"
    verbose_name = _("Push messages")

    def ready(self) -> None:
        from samenveilig.integrations.push import signals  # noqa: F401 - logging out ends that session's devices
