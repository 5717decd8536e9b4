"""Forms for the resident's report pages. The rules live in reports.services.report_check: these only read the
posted fields into a ReportInput (and say so when a value cannot be read at all)."""

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samenveilig.reports.descriptions import PERSON_FIELDS
from samenveilig.reports.models import ReportPerson, ReportType, Urgency
from samenveilig.reports.services import MAX_PERSONS, MAX_VEHICLES, ReportInput

# The order of a person description on the form: behaviour and clothing first, skin colour and origin last.
PERSON_ORDER = (
    "sex", "age", "height", "build", "top", "bottom", "shoes", "headwear", "hair", "marks", "direction",
    "skin_colour", "origin",
)  # fmt: skip
PERSON_LABELS = {
    "sex": gettext_lazy("Sex"),
    "age": gettext_lazy("Age (estimate)"),
    "height": gettext_lazy("Height"),
    "build": gettext_lazy("Build"),
    "top": gettext_lazy("Clothing (top)"),
    "bottom": gettext_lazy("Clothing (bottom)"),
    "shoes": gettext_lazy("Shoes"),
    "headwear": gettext_lazy("Headwear"),
    "hair": gettext_lazy("Hair"),
    "marks": gettext_lazy("Distinguishing marks"),
    "direction": gettext_lazy("Direction of travel"),
    "skin_colour": gettext_lazy("Skin colour"),
    "origin": gettext_lazy("Origin"),
}
VEHICLE_ORDER = ("kind", "make", "colour", "plate")
VEHICLE_LABELS = {
    "kind": gettext_lazy("Type of vehicle"),
    "make": gettext_lazy("Make"),
    "colour": gettext_lazy("Colour"),
    "plate": gettext_lazy("Licence plate"),
}
VEHICLE_MAX = {"kind": 60, "make": 60, "colour": 60, "plate": 16}
ROW = re.compile(r"^(persons|vehicles)-(\d{1,2})-([a-z_]+)$")
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class ChooseForm(forms.Form):
    """Step one: which community, which kind of report (GET)."""

    community = forms.ChoiceField(label=gettext_lazy("Community"))
    type = forms.ChoiceField(
        label=gettext_lazy("What do you want to report?"),
        choices=ReportType.choices,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, communities: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["community"].choices = [(str(c.code), c.name) for c in communities]


@dataclass
class ParsedReport:
    """What the report form posted: the input for the service, the values to show again, and the problems of
    values that could not be read (merged with the service's own messages)."""

    community: str
    data: ReportInput
    idempotency_key: UUID | None
    occurred_at_text: str
    lat_text: str
    lon_text: str
    problems: dict[str, list[str]] = field(default_factory=dict)


def _rows(post: Any, kind: str, names: tuple[str, ...], limit: int) -> list[dict[str, Any]]:
    """The numbered blocks (persons-0-top, …) in order of their number; at most `limit` + 1 (the service says
    when there are too many)."""
    found: dict[int, dict[str, Any]] = {}
    for key in post:
        match = ROW.match(key)
        if match and match.group(1) == kind and match.group(3) in names:
            found.setdefault(int(match.group(2)), {})[match.group(3)] = post.get(key, "")
    return [found[i] for i in sorted(found)][: limit + 1]


rows_from_post = _rows  # the same blocks on the alert send form (alerts.forms)


def parse_report(post: Any) -> ParsedReport:
    problems: dict[str, list[str]] = {}
    key = None
    try:
        key = UUID(post.get("idempotency_key", ""))
    except ValueError:
        problems["__all__"] = [_("This form is incomplete. Reload the page and try again.")]
    called = {"yes": True, "no": False}.get(post.get("called_112", ""))
    lat_text, lon_text = post.get("lat", "").strip(), post.get("lon", "").strip()
    lat = lon = None
    if lat_text or lon_text:
        try:
            lat, lon = float(lat_text.replace(",", ".")), float(lon_text.replace(",", "."))
        except ValueError:
            problems["location"] = [_("Give a valid point on the map.")]
    occurred_text = post.get("occurred_at", "").strip()
    occurred_at = None
    if occurred_text:
        try:
            occurred_at = timezone.make_aware(datetime.strptime(occurred_text, DATETIME_LOCAL))  # noqa: DTZ007
        except ValueError:
            problems["occurred_at"] = [_("Give a date and time, such as 14-03-2025 21:30.")]
    report_type = post.get("type", "")
    persons = _rows(post, "persons", PERSON_FIELDS, MAX_PERSONS)
    vehicles = _rows(post, "vehicles", (*VEHICLE_ORDER, "foreign_plate"), MAX_VEHICLES)
    for vehicle in vehicles:
        vehicle["foreign_plate"] = vehicle.get("foreign_plate") in ("on", "1", "true")
    data = ReportInput(
        type=report_type,
        what=post.get("what", ""),
        called_112=called,
        urgency=post.get("urgency", "") if report_type == ReportType.URGENT else "",
        lat=lat,
        lon=lon,
        address=post.get("address", ""),
        occurred_at=occurred_at,
        persons=persons,
        vehicles=vehicles,
        anonymous=post.get("anonymous") == "on",
        share_with_members=post.get("share_with_members") == "on" if report_type == ReportType.URGENT else True,
    )
    return ParsedReport(
        community=post.get("community", ""),
        data=data,
        idempotency_key=key,
        occurred_at_text=occurred_text,
        lat_text=lat_text,
        lon_text=lon_text,
        problems=problems,
    )


def person_max_length(name: str) -> int:
    return ReportPerson._meta.get_field(name).max_length


def urgency_label(value: str) -> str:
    try:
        return str(Urgency(value).label)
    except ValueError:
        return ""


class AnswerForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Your answer"), max_length=2000, widget=forms.Textarea)


class RateForm(forms.Form):
    helpful = forms.ChoiceField(choices=[("yes", "yes"), ("no", "no")])
    reason = forms.CharField(required=False, max_length=2000)
