from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunitiesConfig(AppConfig):
    name = "samenveilig.communities"
    label = "communities"
    verbose_name = _("Communities")

    def ready(self) -> None:
        from samenveilig.communities.models import Community
        from samenveilig.core import refcache

        refcache.watch(Community)  # communities.access keeps communities by code and slug
