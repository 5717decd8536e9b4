"""What the conversation's notifications say (registered with notifications.kinds when the app is ready)."""

from typing import Any

from django.utils.translation import gettext as _

from samenveilig.notifications.kinds import Text, register


@register("conversation.held")
def _held(data: dict[str, Any]) -> Text:
    return Text(_("A message waits for you in the queue of %(community)s") % data, data.get("summary", ""))


@register("conversation.reported")
def _reported(data: dict[str, Any]) -> Text:
    return Text(_("A member reported a message in %(community)s") % data, data.get("summary", ""))


@register("conversation.publish")
def _published(data: dict[str, Any]) -> Text:
    return Text(_("Your message in %(community)s has been published") % data, data.get("summary", ""))


@register("conversation.reject")
def _rejected(data: dict[str, Any]) -> Text:
    return Text(_("Your message in %(community)s was not published") % data, data.get("reason", ""))


@register("conversation.rephrase")
def _rephrase(data: dict[str, Any]) -> Text:
    return Text(_("Please rephrase your message in %(community)s") % data, data.get("reason", ""))


@register("conversation.shared_report")
def _shared_report(data: dict[str, Any]) -> Text:
    return Text(_("A report has been shared in %(community)s") % data, data.get("summary", ""))
