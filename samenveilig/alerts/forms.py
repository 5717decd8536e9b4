"""The web forms of alerts: sending one, answering it, an update, closing it, and the whole-area switch.

The forms only read and coerce what the browser posted; every rule lives in alerts.services, whose Dutch messages
the views put back next to the fields (`add_problems`). `sender_options` gathers what the send page offers a
person: their police organisations, the communities they may target, the buurten to choose from and the map view.
"""

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django import forms
from django.forms.utils import ErrorDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samenveilig.accounts.models import Organisation, StaffMembership
from samenveilig.alerts import services
from samenveilig.alerts.models import COORDINATOR_KINDS, URGENT_KINDS, AlertKind, AlertOutcome, ResponseKind, TargetKind
from samenveilig.areas.models import Area, AreaKind
from samenveilig.communities.models import Community, Membership, MembershipStatus
from samenveilig.core.permissions import OrganisationKind, Role
from samenveilig.reports.descriptions import PERSON_FIELDS
from samenveilig.reports.forms import VEHICLE_ORDER, rows_from_post

INCOMPLETE = gettext_lazy("This form is incomplete. Reload the page and try again.")


# --- what the send page offers ----------------------------------------------------------------------------------------
@dataclass
class SenderOptions:
    organisations: list[Organisation]  # the police organisations the person works for
    coordinated: list[Community]  # the communities the person coordinates
    communities: list[Community]  # the communities the person may target
    buurten: list[Area]
    kinds: list[tuple[str, str]]
    bounds: list[list[float]] | None = None  # [[south, west], [north, east]] for the map
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def is_police(self) -> bool:
        return bool(self.organisations)


def _buurten_under(areas: list[Area]) -> list[Area]:
    ids: set[int] = set()
    for area in areas:
        if area.kind == AreaKind.BUURT:
            ids.add(area.pk)
        elif area.kind == AreaKind.WIJK:
            ids.update(Area.objects.filter(kind=AreaKind.BUURT, parent=area).values_list("pk", flat=True))
        else:
            ids.update(
                Area.objects.filter(kind=AreaKind.BUURT, parent__parent=area).values_list("pk", flat=True)
            )  # fmt: skip
    return list(Area.objects.filter(pk__in=ids).defer("geometry").order_by("name", "code"))


def sender_options(user: Any) -> SenderOptions | None:
    """What the person may send with, or None when they send no alerts at all (not police, not a coordinator)."""
    if not getattr(user, "is_authenticated", False):
        return None
    organisations = list(
        Organisation.objects.filter(
            kind=OrganisationKind.POLICE, pk__in=StaffMembership.objects.filter(user_id=user.pk).values("organisation")
        ).order_by("pk")
    )
    coordinated = list(
        Community.objects.filter(
            memberships__user_id=user.pk,
            memberships__role=Role.COORDINATOR,
            memberships__status=MembershipStatus.ACTIVE,
        ).order_by("name", "pk")
    )
    if not organisations and not coordinated:
        return None
    communities = {c.pk: c for c in coordinated}
    areas: list[Area] = []
    if organisations:
        partners = Community.objects.filter(partnership__organisation__in=organisations).select_related("municipality")
        for community in partners:
            communities.setdefault(community.pk, community)
        working = list(Area.objects.filter(organisations__in=organisations).distinct().defer("geometry"))
        areas = working or list({c.municipality_id: c.municipality for c in partners}.values())
        buurten = _buurten_under(areas)
    else:
        buurten = list(Area.objects.filter(communities__in=coordinated).defer("geometry").distinct().order_by("name"))
    kinds = list(AlertKind.choices) if organisations else [(k.value, k.label) for k in COORDINATOR_KINDS]
    shown = buurten or areas
    bounds = None
    if shown:
        bounds = [
            [min(a.min_lat for a in shown), min(a.min_lon for a in shown)],
            [max(a.max_lat for a in shown), max(a.max_lon for a in shown)],
        ]
    return SenderOptions(
        organisations=organisations,
        coordinated=coordinated,
        communities=sorted(communities.values(), key=lambda c: (c.name, c.pk)),
        buurten=buurten,
        kinds=kinds,
        bounds=bounds,
    )


# --- forms --------------------------------------------------------------------------------------------------------
class KeyedForm(forms.Form):
    """Every form that posts carries a one-time key, so that a double submit does the thing once."""

    idempotency_key = forms.UUIDField(widget=forms.HiddenInput, error_messages={"required": INCOMPLETE})

    def clean_idempotency_key(self) -> UUID:
        return self.cleaned_data["idempotency_key"]

    def add_problems(self, problems: dict[str, Any], *, aliases: dict[str, str] | None = None) -> None:
        """Put a service's messages next to the fields they are about (others on top of the form)."""
        aliases = aliases or {}
        for name, messages in problems.items():
            target = aliases.get(name, name)
            target = target if target in self.fields else None
            for message in messages if isinstance(messages, list | tuple) else [messages]:
                self.add_error(target, str(message))


class AlertForm(KeyedForm):
    kind = forms.ChoiceField(label=gettext_lazy("Kind of alert"), choices=AlertKind.choices)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=services.MAX_TITLE)
    text = forms.CharField(label=gettext_lazy("Description"), max_length=services.MAX_TEXT, widget=forms.Textarea)
    target = forms.ChoiceField(
        label=gettext_lazy("Who gets it"),
        choices=TargetKind.choices,
        initial=TargetKind.RADIUS,
        widget=forms.RadioSelect,
    )
    lat = forms.FloatField(label=gettext_lazy("Latitude"), required=False)
    lon = forms.FloatField(label=gettext_lazy("Longitude"), required=False)
    radius_m = forms.IntegerField(
        label=gettext_lazy("Radius (m)"),
        required=False,
        initial=1000,
        min_value=services.MIN_RADIUS_M,
        max_value=services.MAX_RADIUS_M,
    )
    buurten = forms.MultipleChoiceField(
        label=gettext_lazy("Buurten"), required=False, widget=forms.CheckboxSelectMultiple
    )
    community = forms.ChoiceField(label=gettext_lazy("Community"), required=False)
    organisation = forms.ChoiceField(label=gettext_lazy("Police organisation"), required=False)
    valid_minutes = forms.IntegerField(
        label=gettext_lazy("Valid for (minutes)"),
        initial=services.DEFAULT_VALID_MINUTES,
        min_value=services.MIN_VALID_MINUTES,
        max_value=services.MAX_VALID_MINUTES,
    )
    urgent = forms.BooleanField(label=gettext_lazy("Urgent: send at once, also at night"), required=False)
    called_112 = forms.BooleanField(label=gettext_lazy("112 was called"), required=False)
    photo = forms.FileField(label=gettext_lazy("Photo"), required=False)

    # The service's names for things the form shows under another field.
    ALIASES = {"location": "lat"}

    def __init__(self, *args: Any, options: SenderOptions, quiet: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.options = options
        self.quiet = quiet
        # The person and vehicle blocks (persons-0-top, vehicles-0-plate, …), read as the report form reads them;
        # the service checks them (reports.descriptions) and its messages go next to the block (`descriptions`).
        self.persons, self.vehicles = descriptions_from_post(self.data) if self.is_bound else ([], [])
        self.descriptions: dict[str, list[str]] = {}
        self.fields["kind"].choices = options.kinds
        self.fields["buurten"].choices = [(b.code, b.name) for b in options.buurten]
        self.fields["community"].choices = [("", "—")] + [(str(c.code), c.name) for c in options.communities]
        self.fields["organisation"].choices = [("", "—")] + [(str(o.code), o.name) for o in options.organisations]

    def full_clean(self) -> None:
        if self.quiet:  # "Add a person" without JavaScript: the same form again, not judged yet
            self._errors = ErrorDict()
            self.cleaned_data = {}
            return
        super().full_clean()

    def add_problems(self, problems: dict[str, Any], *, aliases: dict[str, str] | None = None) -> None:
        """As KeyedForm's, but a person's or vehicle's message ("persons.0.top", "vehicles") goes to its block."""
        rest = {}
        for name, messages in problems.items():
            if name.split(".")[0] in ("persons", "vehicles"):
                listed = messages if isinstance(messages, list | tuple) else [messages]
                self.descriptions.setdefault(name, []).extend(str(m) for m in listed)
            else:
                rest[name] = messages
        super().add_problems(rest, aliases=aliases)

    def to_input(self) -> services.AlertInput:
        data = self.cleaned_data
        called = True if data.get("called_112") else None
        return services.AlertInput(
            kind=data.get("kind") or "",
            title=data.get("title") or "",
            text=data.get("text") or "",
            urgent=bool(data.get("urgent")),
            called_112=called,
            target=data.get("target") or TargetKind.RADIUS,
            lat=data.get("lat"),
            lon=data.get("lon"),
            radius_m=data.get("radius_m"),
            buurten=list(data.get("buurten") or []),
            community=data.get("community") or "",
            organisation=data.get("organisation") or "",
            valid_minutes=data.get("valid_minutes") or services.DEFAULT_VALID_MINUTES,
            persons=self.persons,
            vehicles=self.vehicles,
        )


def descriptions_from_post(post: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The posted person and vehicle blocks, as on the report form; at most one more than the service allows (the
    service says when there are too many)."""
    persons = rows_from_post(post, "persons", PERSON_FIELDS, services.MAX_PERSONS)
    vehicles = rows_from_post(post, "vehicles", (*VEHICLE_ORDER, "foreign_plate"), services.MAX_VEHICLES)
    for vehicle in vehicles:
        vehicle["foreign_plate"] = vehicle.get("foreign_plate") in ("on", "1", "true")
    return persons, vehicles


def alert_initial(options: SenderOptions, key: UUID) -> dict[str, Any]:
    """The send form's first values: the first kind offered, prefilled from its template, urgent when that kind
    is urgent, a radius of 1 km for an hour."""
    from samenveilig.alerts import selectors

    kind = options.kinds[0][0]
    template = selectors.alert_templates().get(kind, {})
    initial: dict[str, Any] = {
        "kind": kind,
        "title": template.get("title", ""),
        "text": template.get("text", ""),
        "target": TargetKind.RADIUS,
        "radius_m": 1000,
        "valid_minutes": services.DEFAULT_VALID_MINUTES,
        "urgent": kind in URGENT_KINDS,
        "idempotency_key": key,
    }
    if not options.is_police and len(options.coordinated) == 1:
        initial["community"] = str(options.coordinated[0].code)
    return initial


class RespondForm(KeyedForm):
    kind = forms.ChoiceField(label=gettext_lazy("Your answer"), choices=ResponseKind.choices)
    text = forms.CharField(
        label=gettext_lazy("What did you see?"), required=False, max_length=services.MAX_ANSWER, widget=forms.Textarea
    )
    lat = forms.FloatField(required=False, widget=forms.HiddenInput)
    lon = forms.FloatField(required=False, widget=forms.HiddenInput)
    photo = forms.FileField(label=gettext_lazy("Photo"), required=False)

    ALIASES = {"location": "text"}


class UpdateForm(KeyedForm):
    text = forms.CharField(label=gettext_lazy("Update for everybody who got the alert"), max_length=services.MAX_ANSWER)

    def __init__(self, *args: Any, auto_id: str = "update_%s", **kwargs: Any) -> None:
        super().__init__(*args, auto_id=auto_id, **kwargs)  # the console holds two forms with a text field


class CloseForm(KeyedForm):
    outcome = forms.ChoiceField(
        label=gettext_lazy("Outcome"),
        choices=[(value, label) for value, label in AlertOutcome.choices if value in services.CLOSING_OUTCOMES],
    )
    text = forms.CharField(
        label=gettext_lazy("Message to everybody who got the alert"), required=False, max_length=services.MAX_OUTCOME
    )

    def __init__(self, *args: Any, auto_id: str = "close_%s", **kwargs: Any) -> None:
        super().__init__(*args, auto_id=auto_id, **kwargs)


class OptInForm(forms.Form):
    community = forms.UUIDField(error_messages={"required": INCOMPLETE, "invalid": INCOMPLETE})
    on = forms.BooleanField(required=False)


def problems_of(form: forms.Form) -> dict[str, list[str]]:
    return {name: [str(m) for m in messages] for name, messages in form.errors.items()}


def summary_for(problems: dict[str, list[str]]) -> str:
    return _("The alert is not complete yet: see the fields marked.") if problems else ""


def active_memberships(user: Any) -> list[Membership]:
    """The person's active memberships, for the whole-area switch on the list page."""
    return list(
        Membership.objects.filter(user_id=user.pk, status=MembershipStatus.ACTIVE)
        .select_related("community")
        .order_by("community__name")
    )
