"""What the alert notifications say (registered with notifications.kinds when the app is ready)."""

from typing import Any

from django.utils.translation import gettext as _

from samenveilig.alerts.models import AlertKind, AlertOutcome
from samenveilig.notifications.kinds import Text, register


def _label(choices: Any, value: Any, fallback: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return fallback


@register("alert.sent")
def _sent(data: dict[str, Any]) -> Text:
    title = _("Alert (%(kind)s) from %(sender)s: %(title)s") % {
        "kind": _label(AlertKind, data.get("kind"), _("alert")),
        "sender": data["from"],
        "title": data["title"],
    }
    return Text(title, _("Open it to read the description and answer with one tap."))


@register("alert.copy")
def _copy(data: dict[str, Any]) -> Text:
    title = _("Copy: a coordinator of %(sender)s sent an alert (%(kind)s): %(title)s") % {
        "sender": data["from"],
        "kind": _label(AlertKind, data.get("kind"), _("alert")),
        "title": data["title"],
    }
    return Text(title)


@register("alert.update")
def _update(data: dict[str, Any]) -> Text:
    return Text(_("Update on the alert: %(title)s") % {"title": data["title"]}, data.get("text", ""))


@register("alert.closed")
def _closed(data: dict[str, Any]) -> Text:
    title = _("The alert has ended (%(outcome)s): %(title)s") % {
        "outcome": _label(AlertOutcome, data.get("outcome"), ""),
        "title": data["title"],
    }
    return Text(title, data.get("text", "") or _("Thank you for looking out."))
