"""Forms of the community pages. They only check the shape of the input; the rules live in services."""

import json
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from samenveilig.areas.models import Area, AreaKind
from samenveilig.communities.models import CommunityKind, Phase
from samenveilig.communities.services import MAX_INVITE_DAYS, MAX_REASON_LENGTH, MAX_RULES_LENGTH
from samenveilig.core.permissions import Role


class BuurtChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Area) -> str:
        parent = obj.parent.name if obj.parent_id and obj.parent else ""
        return f"{obj.name} ({parent})" if parent else obj.name


class CommunityCreateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120, min_length=3)
    kind = forms.ChoiceField(label=_("Type"), choices=CommunityKind.choices)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=5000,
        widget=forms.Textarea,
        help_text=_("What the community is for and who can take part. Everyone can read this."),
    )
    buurten = BuurtChoiceField(
        label=_("Neighbourhoods"),
        queryset=Area.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose the neighbourhoods the community covers, or paste an area below."),
    )
    geometry = forms.CharField(
        label=_("Or an area of your own (GeoJSON)"),
        required=False,
        widget=forms.Textarea,
        help_text=_('A GeoJSON Polygon in WGS84, for example {"type": "Polygon", "coordinates": [[[5.1, 52.09], …]]}.'),
    )
    approval_required = forms.BooleanField(label=_("A coordinator approves new members"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["buurten"].queryset = (
            Area.objects.filter(kind=AreaKind.BUURT)
            .select_related("parent")
            .defer("geometry", "parent__geometry")
            .order_by("parent__name", "name")
        )

    def clean_geometry(self) -> dict[str, Any] | None:
        text = (self.cleaned_data.get("geometry") or "").strip()
        if not text:
            return None
        try:
            value = json.loads(text)
        except ValueError as exc:
            raise forms.ValidationError(_("This is not valid GeoJSON (JSON could not be read).")) from exc
        if isinstance(value, dict) and value.get("type") == "Feature":
            value = value.get("geometry")
        if not isinstance(value, dict):
            raise forms.ValidationError(_("The area must be a GeoJSON Polygon or MultiPolygon."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.errors and not data.get("buurten") and data.get("geometry") is None:
            self.add_error("buurten", _("Choose one or more neighbourhoods, or paste an area."))
        return data


class ListFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    municipality = forms.ChoiceField(label=_("Municipality"), required=False)
    kind = forms.ChoiceField(label=_("Type"), required=False)
    phase = forms.TypedChoiceField(label=_("Phase"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        municipalities = Area.objects.filter(kind=AreaKind.MUNICIPALITY).order_by("name").values_list("code", "name")
        self.fields["municipality"].choices = [("", _("All municipalities")), *municipalities]
        self.fields["kind"].choices = [("", _("All types")), *CommunityKind.choices]
        self.fields["phase"].choices = [("", _("All phases")), *Phase.choices]


class PhaseForm(forms.Form):
    phase = forms.TypedChoiceField(label=_("New phase"), choices=Phase.choices, coerce=int)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=MAX_REASON_LENGTH,
        widget=forms.Textarea,
        help_text=_("Required when the community moves back to an earlier phase."),
    )


class RulesPublishForm(forms.Form):
    text = forms.CharField(
        label=_("New version of the house rules"),
        max_length=MAX_RULES_LENGTH,
        widget=forms.Textarea,
        help_text=_("Every member is asked to accept the new version."),
    )


class RulesAcceptForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    accept = forms.BooleanField(label=_("I have read the house rules and accept them"), required=True)


class JoinForm(forms.Form):
    rules_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    accept_rules = forms.BooleanField(
        label=_("I have read the house rules and accept them"),
        required=True,
        error_messages={"required": _("Accept the house rules to take part.")},
    )


class InviteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, max_length=200, help_text=_("For whom or where you use this invite.")
    )
    days = forms.IntegerField(
        label=_("Valid for (days)"), min_value=1, max_value=MAX_INVITE_DAYS, initial=settings.INVITE_DEFAULT_DAYS
    )
    max_uses = forms.IntegerField(
        label=_("Maximum number of uses"), required=False, min_value=1, help_text=_("Leave empty for no limit.")
    )
    requires_approval = forms.BooleanField(label=_("A coordinator approves who joins"), required=False)


class RemoveForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=MAX_REASON_LENGTH,
        widget=forms.Textarea,
        help_text=_("The reason is kept in the log."),
    )


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=MAX_REASON_LENGTH)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
