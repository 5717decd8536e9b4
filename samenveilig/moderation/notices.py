"""What the conduct notifications say (registered with notifications.kinds when the app is ready)."""

from typing import Any

from django.utils.translation import gettext as _

from samenveilig.notifications.kinds import Text, register


@register("conduct.request")
def _request(data: dict[str, Any]) -> Text:
    return Text(_("A request from the coordinators of %(community)s") % data, data.get("message", ""))


@register("conduct.warning")
def _warning(data: dict[str, Any]) -> Text:
    return Text(_("A warning from the coordinators of %(community)s") % data, data.get("message", ""))


@register("conduct.removal")
def _removal(data: dict[str, Any]) -> Text:
    return Text(_("You have been removed from %(community)s") % data, data.get("message", ""))


@register("conduct.appealed")
def _appealed(data: dict[str, Any]) -> Text:
    return Text(_("An appeal in %(community)s waits for your decision") % data)


@register("conduct.appeal_decided")
def _decided(data: dict[str, Any]) -> Text:
    return Text(_("Your appeal in %(community)s has been decided") % data, data.get("decision", ""))
