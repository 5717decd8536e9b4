"""The API's shapes for alerts: <Noun>In, <Noun>Out, <Noun>Filter.

The input shapes are lenient on purpose (plain text where the model has choices): alerts.services checks every
rule and answers 422 "alert.invalid" with a Dutch message per field, all at once, rather than a bare type error.
"""

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from ninja import Field, Schema

from samenveilig.alerts import services
from samenveilig.alerts.models import AlertKind, AlertOutcome, ResponseKind, TargetKind
from samenveilig.reports.schemas import PersonIn, PersonOut, PhotoOut, VehicleIn, VehicleOut

View = Literal["sender", "recipient", "copy"]
State = Literal["open", "closed"]

_KINDS = ", ".join(AlertKind.values)
_TARGETS = ", ".join(TargetKind.values)
_OUTCOMES = ", ".join(services.CLOSING_OUTCOMES)
_ANSWERS = ", ".join(ResponseKind.values)
assert AlertOutcome.EXPIRED not in services.CLOSING_OUTCOMES  # noqa: S101 (expiry is the worker's, not a choice)


# --- in ---------------------------------------------------------------------------------------------------------------
class AlertFields(Schema):
    """What an alert is and whom it reaches: shared by sending and by the preview."""

    kind: str = Field(..., description=f"One of: {_KINDS}. Coordinators send warning and witness only.")
    title: str = Field("", description="Short, at most 120 characters.")
    text: str = Field("", description="The description: behaviour and clothing first; at most 2,000 characters.")
    urgent: bool | None = Field(None, description="Default: urgent for suspect, vehicle and missing.")
    called_112: bool | None = Field(None, description="Coordinators, urgent alerts: 112 was called first.")
    target: str = Field(TargetKind.RADIUS.value, description=f"Whom it reaches: {_TARGETS}.")
    lat: float | None = Field(None, description="radius: the centre (WGS84 latitude), inside the municipality.")
    lon: float | None = Field(None, description="radius: the centre (WGS84 longitude).")
    radius_m: float | None = Field(None, description="radius: from 100 m to 5,000 m.")
    community: str = Field(
        "", description="The code or slug of a community: a coordinator's own, or the community a police alert targets."
    )
    organisation: UUID | None = Field(
        None, description="The police organisation you send for, if you work for several."
    )
    valid_minutes: int = Field(services.DEFAULT_VALID_MINUTES, description="From 10 minutes to 24 hours.")
    buurten: list[str] = Field(
        default_factory=list, description="buurten: the CBS codes (BU…), at most 50; in a query one parameter each."
    )

    def to_input(self, **extra: Any) -> services.AlertInput:
        return services.AlertInput(
            kind=self.kind,
            title=self.title,
            text=self.text,
            urgent=self.urgent,
            called_112=self.called_112,
            target=self.target,
            lat=self.lat,
            lon=self.lon,
            radius_m=self.radius_m,
            buurten=list(self.buurten),
            community=self.community,
            organisation=str(self.organisation) if self.organisation else "",
            valid_minutes=self.valid_minutes,
            **extra,
        )


class AlertIn(AlertFields):
    persons: list[PersonIn] = Field(default_factory=list, description="At most 5.")
    vehicles: list[VehicleIn] = Field(default_factory=list, description="At most 5.")

    def to_input(self, **extra: Any) -> services.AlertInput:  # type: ignore[override]
        return super().to_input(
            persons=[p.dict() for p in self.persons], vehicles=[v.dict() for v in self.vehicles], **extra
        )


class AlertPreviewFilter(AlertFields):
    """The preview's query: the fields of an alert, `buurten` as a repeated parameter (persons and vehicles do not
    change whom it reaches and are left out)."""


class AnswerIn(Schema):
    kind: str = Field(..., description=f"One of: {_ANSWERS}. `info` needs a text.")
    text: str = Field("", description="What you saw; at most 1,000 characters.")
    lat: float | None = Field(None, description="Where you saw it (optional, with lon).")
    lon: float | None = None


class AlertUpdateIn(Schema):
    text: str = Field(..., description="The news for every recipient; at most 1,000 characters.")


class AlertCloseIn(Schema):
    outcome: str = Field(..., description=f"One of: {_OUTCOMES}.")
    text: str = Field("", description="A word to every recipient; at most 500 characters.")


# --- out --------------------------------------------------------------------------------------------------------------
class PointOut(Schema):
    lat: float
    lon: float


class AlertTargetOut(Schema):
    kind: str
    radius_m: int | None = Field(None, description="radius only.")
    centre: PointOut = Field(..., description="The centre of a radius, or a point inside the buurten or community.")
    buurten: list[str] = Field(default_factory=list, description="buurten: their CBS codes.")
    community: UUID | None = Field(None, description="community: its code.")


class AlertUpdateOut(Schema):
    text: str
    created_at: datetime


class AnswerCountsOut(Schema):
    seen: int
    not_seen: int
    info: int


class DeliveryCountsOut(Schema):
    pending: int
    sent: int
    failed: int
    dead: int


class ChannelFiguresOut(Schema):
    email: DeliveryCountsOut
    sms: DeliveryCountsOut
    push: DeliveryCountsOut


class AlertFiguresOut(Schema):
    """Counts only, for the sender's side; never who."""

    reached: int | None = Field(..., description="How many received it; null while it is being sent.")
    opened: int = Field(..., description="How many opened it.")
    answered: int = Field(..., description="How many people answered.")
    answers: int = Field(..., description="How many answers (people may answer more than once).")
    by_kind: AnswerCountsOut
    first_answer_s: float | None = Field(..., description="Seconds from sending to the first answer.")
    channels: ChannelFiguresOut = Field(..., description="Deliveries per outside channel, by state.")


class AlertSummaryOut(Schema):
    """An alert in a list."""

    id: UUID = Field(..., description="The alert's public code.")
    kind: str
    kind_label: str
    title: str
    urgent: bool
    state: State
    sent_as: str
    sender: str = Field(..., description="The police organisation or the community that sent it.")
    view: View = Field(..., description="How you see it: its sender's side, a recipient, or a copy for the police.")
    created_at: datetime
    valid_until: datetime
    closed_at: datetime | None
    outcome: str


class AlertOut(AlertSummaryOut):
    """One alert as the caller may see it: the figures for its sender's side only; never home points, recipients or
    (here) answers."""

    text: str
    persons: list[PersonOut]
    vehicles: list[VehicleOut]
    called_112: bool | None
    outcome_label: str
    outcome_text: str
    target: AlertTargetOut
    updates: list[AlertUpdateOut]
    figures: AlertFiguresOut | None = Field(None, description="Sender's side only.")
    photo: PhotoOut | None = Field(None, description="The alert's photo (metadata stripped); `url` serves it.")


class AnswerOut(Schema):
    id: UUID
    kind: str
    text: str
    lat: float | None
    lon: float | None
    created_at: datetime
    responder: str | None = Field(None, description="The first name of who answered (sender's side).")
    flags: list[str] = Field(default_factory=list, description="Moderation flags the text was taken with.")
    photo: PhotoOut | None = Field(None, description="The answer's photo (metadata stripped); `url` serves it.")


class AlertPreviewOut(Schema):
    total: int = Field(..., description="How many people it would reach.")
    app: int = Field(..., description="In the app (everybody reached).")
    email: int = Field(..., description="Of them, by e-mail too.")
    sms: int = Field(..., description="Of them, by text message too.")
    push: int = Field(..., description="Of them, by push message too.")
