from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AreasConfig(AppConfig):
    name = "samenveilig.areas"
    label = "areas"
    verbose_name = _("Areas")

    def ready(self) -> None:
        from samenveilig.areas.models import Area
        from samenveilig.core import refcache

        # areas.selectors.buurt_at keeps what lies under a cell. AreaCell rows are written only with their Area (by
        # areas.services, which also bumps): watching them would make every bulk delete send a signal per cell.
        refcache.watch(Area)
