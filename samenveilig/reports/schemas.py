"""The API's shapes for reports: <Noun>In, <Noun>Out."""

from datetime import datetime
from typing import Literal
from uuid import UUID

from ninja import Field, Schema

from samenveilig.reports.models import Outcome, ReportStatus, ReportType, Urgency

TypeLiteral = Literal["urgent", "overlast", "verbeteridee", "informatie"]
UrgencyLiteral = Literal["verdacht", "levensbedreigend"]
StatusLiteral = Literal["received", "in_progress", "closed", "reopened"]
View = Literal["admin", "partner", "reporter", "member"]
assert set(TypeLiteral.__args__) == set(ReportType.values)  # noqa: S101 (kept in step with the model)
assert set(UrgencyLiteral.__args__) == set(Urgency.values)  # noqa: S101
assert set(StatusLiteral.__args__) == set(ReportStatus.values)  # noqa: S101
assert set(Outcome.values) == {"solved", "referred", "no_action", "duplicate"}  # noqa: S101


# --- in ---------------------------------------------------------------------------------------------------------------
class LocationIn(Schema):
    lat: float = Field(..., description="WGS84 latitude.")
    lon: float = Field(..., description="WGS84 longitude.")


class PersonIn(Schema):
    """A person described (SAAR signalement), behaviour and clothing first. Every field is optional; skin colour
    or origin counts only with at least two other details."""

    sex: str | None = None
    age: str | None = None
    height: str | None = None
    build: str | None = None
    top: str | None = Field(None, description="Clothing, top.")
    bottom: str | None = Field(None, description="Clothing, bottom.")
    shoes: str | None = None
    headwear: str | None = None
    hair: str | None = None
    marks: str | None = Field(None, description="Distinguishing marks.")
    skin_colour: str | None = None
    origin: str | None = None
    direction: str | None = Field(None, description="Direction of travel.")


class VehicleIn(Schema):
    kind: str | None = Field(None, description="Type of vehicle.")
    make: str | None = None
    colour: str | None = None
    plate: str | None = Field(None, description="A Dutch licence plate (sidecode formats), or a foreign one.")
    foreign_plate: bool = Field(False, description="True for a foreign licence plate.")


class ReportIn(Schema):
    community: UUID = Field(..., description="The code of a community you are an active member of.")
    type: TypeLiteral
    called_112: bool | None = Field(None, description="Required for urgent reports: did you call 112?")
    urgency: UrgencyLiteral | None = Field(None, description="For urgent reports; default verdacht.")
    what: str = Field("", description="What happens: behaviour first.")
    location: LocationIn | None = Field(None, description="Where; required for urgent and overlast.")
    address: str = Field("", description="An address or place, besides or instead of a point.")
    occurred_at: datetime | None = Field(None, description="When (ISO 8601); default now.")
    persons: list[PersonIn] = Field(default_factory=list)
    vehicles: list[VehicleIn] = Field(default_factory=list)
    anonymous: bool = Field(False, description="Hide who you are from the community and from partners.")
    share_with_members: bool = Field(True, description="Urgent reports: also share with all members (SAAR App).")


class TransitionIn(Schema):
    status: str = Field(..., description="received, in_progress, closed or reopened.")
    outcome: str = Field("", description="When closing: solved, referred, no_action or duplicate.")
    note: str = Field("", description="An internal note with the change (partners only).")
    confirm_without_feedback: bool = Field(False, description="Close without any feedback to the reporter.")
    organisation: UUID | None = Field(None, description="The organisation you act for, if you work for several.")


class FeedbackIn(Schema):
    to_reporter: str = ""
    to_community: str = Field("", description="A general message for the community, without personal details.")
    organisation: UUID | None = None


class TextIn(Schema):
    text: str = ""


class PartnerTextIn(Schema):
    text: str = ""
    organisation: UUID | None = None


class ForwardIn(Schema):
    recipient: str = Field("", description="Who the report goes to (a name or an e-mail address).")
    message: str = ""
    organisation: UUID | None = None


class RatingIn(Schema):
    helpful: bool
    reason: str = ""


class ReopenDecisionIn(Schema):
    reopen: bool
    note: str = Field("", description="Required when declining; the reporter sees it.")
    organisation: UUID | None = None


class RevealIn(Schema):
    reason: str = ""


class RoutingRuleIn(Schema):
    to_members: bool = False
    to_coordinators: bool = True
    to_initiators: bool = False
    partner_kinds: list[str] = Field(default_factory=list, description="Kinds of partner organisations.")


class DeadlineIn(Schema):
    hours: int | None = Field(..., description="Hours at most; null removes the deadline.")
    organisation: UUID | None = None


# --- out --------------------------------------------------------------------------------------------------------------
class RefOut(Schema):
    code: UUID
    name: str


class AreaRefOut(Schema):
    code: str
    name: str


class LocationOut(Schema):
    lat: float
    lon: float


class PersonOut(Schema):
    sex: str
    age: str
    height: str
    build: str
    top: str
    bottom: str
    shoes: str
    headwear: str
    hair: str
    marks: str
    skin_colour: str
    origin: str
    direction: str


class VehicleOut(Schema):
    kind: str
    make: str
    colour: str
    plate: str
    foreign_plate: bool


class PhotoOut(Schema):
    id: UUID
    url: str
    content_type: str
    width: int
    height: int
    size: int


class EventOut(Schema):
    kind: str
    at: datetime
    status_from: str = ""
    status_to: str = ""
    outcome: str = ""
    text: str = Field("", description="Notes and forwards for partners; the feedback to the reporter for them.")
    community_text: str = ""
    organisation: str | None = Field(None, description="The name of the organisation that acted.")
    actor: str | None = Field(None, description="The first name of who acted (partner view only).")
    internal: bool = False


class FeedbackOut(Schema):
    id: UUID | None = Field(None, description="To rate it (reporter view).")
    organisation: str | None
    to_reporter: str | None = Field(None, description="Only for the reporter and partners.")
    to_community: str
    created_at: datetime
    helpful: bool | None = None
    rated_at: datetime | None = None


class QuestionOut(Schema):
    id: UUID
    organisation: str | None
    text: str
    answer: str
    asked_at: datetime
    answered_at: datetime | None


class RouteOut(Schema):
    audience: str
    organisation: RefOut | None
    due_at: datetime | None


class DuplicateOut(Schema):
    id: UUID
    type: str
    status: str
    what: str
    created_at: datetime
    community: RefOut


class DurationsOut(Schema):
    first_response_s: float | None = Field(None, description="Seconds from submission to the first response.")
    closing_s: float | None = Field(None, description="Seconds from submission to closing.")


class ReporterOut(Schema):
    name: str
    email: str
    phone: str


class ReopenRequestOut(Schema):
    id: int
    report: UUID
    what: str = ""
    reason: str
    decision: str
    created_at: datetime
    decided_at: datetime | None = None


class ReportSummaryOut(Schema):
    """A report in a list: the caller's own reports, or the partner inbox."""

    id: UUID = Field(..., description="The report's public code.")
    type: str
    type_label: str
    urgency: str
    status: str
    status_label: str
    outcome: str
    community: RefOut
    what: str
    location: LocationOut | None
    address: str
    occurred_at: datetime
    created_at: datetime
    anonymous: bool
    open_questions: bool | None = Field(None, description="The caller's own reports: a question waits for you.")
    due_at: datetime | None = Field(None, description="Inbox: handle before (the organisation's deadline).")
    overdue: bool | None = Field(None, description="Inbox: open and past its deadline.")


class ReportOut(ReportSummaryOut):
    """One report. The shape depends on who asks (`view`): partners and admins get everything (with the reporter's
    name and contact for partners, unless anonymous); the reporter the timeline without internal events, the
    feedback to them and the questions; members the description, the status and the community's feedback."""

    view: View
    called_112: bool | None
    share_with_members: bool
    buurt: AreaRefOut | None
    persons: list[PersonOut]
    vehicles: list[VehicleOut]
    photos: list[PhotoOut]
    timeline: list[EventOut]
    feedback: list[FeedbackOut]
    questions: list[QuestionOut] | None = None
    reporter: ReporterOut | None = Field(None, description="Partner view, when not anonymous (the read is logged).")
    reporter_first_name: str | None = Field(None, description="Member view, when not anonymous.")
    routes: list[RouteOut] | None = None
    possible_duplicates: list[DuplicateOut] | None = None
    durations: DurationsOut | None = None
    reopen_requests: list[ReopenRequestOut] | None = None


class ForwardOut(Schema):
    id: UUID
    recipient: str
    url: str = Field(..., description="The one-time link to the web page, for the outside party; shown only now.")
    api_url: str = Field(..., description="The same link in the API (GET to read, POST to answer); shown only now.")
    expires_at: datetime


class ForwardViewOut(Schema):
    """What the holder of a one-time link sees: the report without anybody's identity."""

    organisation: str | None
    recipient: str
    message: str
    expires_at: datetime
    type: str
    type_label: str
    community: str
    what: str
    location: LocationOut | None
    address: str
    occurred_at: datetime
    persons: list[PersonOut]
    vehicles: list[VehicleOut]


class ForwardAnsweredOut(Schema):
    answered_at: datetime


class RevealOut(Schema):
    reporter: ReporterOut | None


class RoutingRuleOut(Schema):
    type: str
    to_members: bool
    to_coordinators: bool
    to_initiators: bool
    partner_kinds: list[str]


class DeadlineOut(Schema):
    organisation: RefOut
    type: str
    hours: int | None


class QuestionAnsweredOut(Schema):
    id: UUID
    answer: str
    answered_at: datetime | None
