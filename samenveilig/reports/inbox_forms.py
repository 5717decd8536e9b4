"""Forms of the partner pages: they only shape input; the rules live in reports.services."""

from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from samenveilig.core.permissions import OrganisationKind
from samenveilig.reports.models import Outcome, ReportStatus, ReportType

AGE_CHOICES = [
    ("", _("Any age")),
    ("1", _("Last 24 hours")),
    ("7", _("Last 7 days")),
    ("30", _("Last 30 days")),
    ("365", _("Last year")),
]


class Prefixed:
    """Give each form on a page its own element ids (the partner's report page holds several forms)."""

    id_prefix = "id"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


def _blank(label: Any, choices: Any) -> list[tuple[str, Any]]:
    return [("", label), *choices]


class InboxFilterForm(forms.Form):
    community = forms.ChoiceField(label=_("Community"), required=False)
    type = forms.ChoiceField(label=_("Type"), required=False, choices=_blank(_("All types"), ReportType.choices))
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_blank(_("All statuses"), ReportStatus.choices)
    )
    age = forms.ChoiceField(label=_("Age"), required=False, choices=AGE_CHOICES)
    overdue = forms.BooleanField(label=_("Only overdue reports"), required=False)

    def __init__(self, *args: Any, communities: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["community"].choices = _blank(_("All communities"), [(str(c.code), c.name) for c in communities])


class TransitionForm(Prefixed, forms.Form):
    id_prefix = "transition"

    status = forms.ChoiceField(label=_("New status"))
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        required=False,
        choices=_blank(_("No outcome (only when closing)"), Outcome.choices),
        help_text=_("Needed when you close the report."),
    )
    note = forms.CharField(
        label=_("Internal note"),
        required=False,
        widget=forms.Textarea,
        help_text=_("Never visible to the reporter or the community."),
    )

    def __init__(self, *args: Any, allowed: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(s, capfirst(ReportStatus(s).label)) for s in allowed]


class ConfirmTransitionForm(TransitionForm):
    """The second step when closing without feedback to the reporter."""

    confirm_without_feedback = forms.BooleanField(label=_("Close without feedback"), required=True)


class FeedbackForm(Prefixed, forms.Form):
    id_prefix = "feedback"

    to_reporter = forms.CharField(
        label=_("Feedback to the reporter"),
        required=False,
        widget=forms.Textarea,
        help_text=_("Only the reporter sees this."),
    )
    to_community = forms.CharField(
        label=_("Message to the community"),
        required=False,
        widget=forms.Textarea,
        help_text=_("The community sees this with the report. Write no personal details: no names, addresses or "
                    "descriptions of people."),
    )  # fmt: skip


class NoteForm(Prefixed, forms.Form):
    id_prefix = "note"

    text = forms.CharField(
        label=_("Internal note"),
        widget=forms.Textarea,
        help_text=_("Never visible to the reporter or the community."),
    )


class QuestionForm(Prefixed, forms.Form):
    id_prefix = "question"

    text = forms.CharField(
        label=_("Question to the reporter"),
        widget=forms.Textarea,
        help_text=_("The reporter sees the question in their inbox and answers it there."),
    )


class ForwardForm(Prefixed, forms.Form):
    id_prefix = "forward"

    recipient = forms.CharField(
        label=_("Forward to"), max_length=200, help_text=_("Who receives the link, for example an organisation.")
    )
    message = forms.CharField(label=_("Message"), required=False, widget=forms.Textarea)


class ReopenDecisionForm(Prefixed, forms.Form):
    id_prefix = "reopen"

    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("reopen", _("Reopen the report")), ("decline", _("Decline"))]
    )
    note = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea,
        help_text=_("Needed when you decline: the reporter sees it."),
    )


class DeadlineForm(forms.Form):
    """The handling deadline in hours of one organisation, per report type (empty: no deadline)."""

    def __init__(self, *args: Any, current: dict[str, int | None] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = current or {}
        for value, label in ReportType.choices:
            self.fields[value] = forms.IntegerField(
                label=label.capitalize(), required=False, min_value=1, max_value=24 * 90, initial=current.get(value)
            )


class RoutingRuleForm(forms.Form):
    type = forms.ChoiceField(choices=ReportType.choices, widget=forms.HiddenInput)
    to_members = forms.BooleanField(label=_("All members"), required=False)
    to_coordinators = forms.BooleanField(label=_("Coordinators"), required=False)
    to_initiators = forms.BooleanField(label=_("Initiators"), required=False)
    partner_kinds = forms.MultipleChoiceField(
        label=_("Partner organisations (whose working area covers the report)"),
        required=False,
        choices=OrganisationKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )


class ForwardAnswerForm(forms.Form):
    text = forms.CharField(label=_("Your answer"), widget=forms.Textarea)


class RevealForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea,
        help_text=_("Why you open the reporter's identity (abuse handling). The reason is logged."),
    )
