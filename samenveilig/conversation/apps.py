from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationConfig(AppConfig):
    name = "samenveilig.conversation"
    label = "conversation"
    verbose_name = _("Conversation")

    def ready(self) -> None:
        from samenveilig.conversation import notices  # noqa: F401 - registers the notification texts
