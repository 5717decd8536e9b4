from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhookConfig(AppConfig):
    name = "samenveilig.integrations.webhook"
    label = "webhook"
    verbose_name = _("Webhooks")

    def ready(self) -> None:
        from samenveilig.core import refcache
        from samenveilig.integrations.webhook.models import WebhookEndpoint

        refcache.watch(WebhookEndpoint)  # selectors.organisations_with_endpoint, read for every routed report
