"""What the report notifications say (registered with notifications.kinds when the app is ready)."""

from typing import Any

from django.utils.translation import gettext as _

from samenveilig.notifications.kinds import Text, register
from samenveilig.reports.models import ReportStatus, ReportType


def _type_label(data: dict[str, Any]) -> str:
    try:
        return str(ReportType(data.get("type")).label)
    except ValueError:
        return _("report")


def _status_label(value: str) -> str:
    try:
        return str(ReportStatus(value).label)
    except ValueError:
        return value


@register("report.routed")
def _routed(data: dict[str, Any]) -> Text:
    title = _("New report (%(type)s) in %(community)s") % {"type": _type_label(data), "community": data["community"]}
    return Text(title, data.get("summary", ""))


@register("report.status")
def _status(data: dict[str, Any]) -> Text:
    return Text(
        _("Your report is now: %(status)s") % {"status": _status_label(data["status"])}, data.get("summary", "")
    )


@register("report.feedback")
def _feedback(data: dict[str, Any]) -> Text:
    return Text(_("%(organisation)s responded to your report") % {"organisation": data["organisation"]})


@register("report.community_feedback")
def _community_feedback(data: dict[str, Any]) -> Text:
    return Text(
        _("Update from %(organisation)s in %(community)s")
        % {"organisation": data["organisation"], "community": data["community"]},
        data.get("summary", ""),
    )


@register("report.question")
def _question(data: dict[str, Any]) -> Text:
    return Text(_("%(organisation)s has a question about your report") % {"organisation": data["organisation"]})


@register("report.answer")
def _answer(data: dict[str, Any]) -> Text:
    return Text(_("The reporter answered your question"), data.get("summary", ""))


@register("report.forward_answer")
def _forward_answer(data: dict[str, Any]) -> Text:
    return Text(_("%(recipient)s answered about a report") % {"recipient": data["recipient"]})


@register("report.reopen_request")
def _reopen_request(data: dict[str, Any]) -> Text:
    return Text(_("A reporter asks to reopen a closed report"), data.get("summary", ""))
