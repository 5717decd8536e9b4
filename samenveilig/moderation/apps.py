from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "samenveilig.moderation"
    label = "moderation"
    verbose_name = _("Moderation")

    def ready(self) -> None:
        from samenveilig.core import refcache
        from samenveilig.moderation import notices  # noqa: F401 - registers the notification texts
        from samenveilig.moderation.models import ModerationSettings

        refcache.watch(ModerationSettings)  # moderation.selectors.skipped_checks
