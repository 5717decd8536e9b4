"""Reports in the API: filing one (idempotent), "my reports", one report as each view may see it, the partner
inbox and its tools (statuses, notes, questions, forwards, feedback, reopen requests, deadlines) and the routing
rules of a community.

Every protected object is fetched through a gate (reports.access, communities.access): a person without any view
of a report gets 404, so existence never leaks; a person with a view who may not do this gets 403
"report.forbidden". Filing a report in a community you are not an active member of is 404 as well.
"""

from typing import Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext
from ninja import File, Header, Query, Router, Status
from ninja.files import UploadedFile

from samenveilig.accounts import selectors as account_selectors
from samenveilig.accounts.models import Organisation
from samenveilig.communities import access as community_access
from samenveilig.communities.models import Community
from samenveilig.core import photos
from samenveilig.core.api import errors
from samenveilig.core.errors import Conflict, Forbidden, Invalid, NotFound
from samenveilig.core.permissions import Need
from samenveilig.reports import access, descriptions, selectors, services
from samenveilig.reports.access import ReportNeed
from samenveilig.reports.models import Feedback, ReopenRequest, Report, ReportEvent, ReportStatus, ReportType
from samenveilig.reports.schemas import (
    DeadlineIn,
    DeadlineOut,
    EventOut,
    FeedbackIn,
    FeedbackOut,
    ForwardAnsweredOut,
    ForwardIn,
    ForwardOut,
    ForwardViewOut,
    PartnerTextIn,
    PhotoOut,
    QuestionAnsweredOut,
    QuestionOut,
    RatingIn,
    ReopenDecisionIn,
    ReopenRequestOut,
    ReportIn,
    ReportOut,
    ReportSummaryOut,
    RevealIn,
    RevealOut,
    RoutingRuleIn,
    RoutingRuleOut,
    StatusLiteral,
    TextIn,
    TransitionIn,
    TypeLiteral,
)

router = Router(tags=["reports"])

PERSON_FIELDS = descriptions.PERSON_FIELDS
INBOX_MAX = 200


# --- shapes -----------------------------------------------------------------------------------------------------------
def _ref(obj: Any) -> dict[str, Any] | None:
    return {"code": obj.code, "name": obj.name} if obj is not None else None


def _location(report: Report) -> dict[str, float] | None:
    return {"lat": report.lat, "lon": report.lon} if report.lat is not None and report.lon is not None else None


def _summary(report: Report) -> dict[str, Any]:
    out = {
        "id": report.code,
        "type": report.type,
        "type_label": str(report.get_type_display()),
        "urgency": report.urgency,
        "status": report.status,
        "status_label": str(report.get_status_display()),
        "outcome": report.outcome,
        "community": _ref(report.community),
        "what": report.what,
        "location": _location(report),
        "address": report.address,
        "occurred_at": report.occurred_at,
        "created_at": report.created_at,
        "anonymous": report.anonymous,
    }
    if hasattr(report, "open_questions"):
        out["open_questions"] = report.open_questions
    if hasattr(report, "due_at"):
        out["due_at"] = report.due_at
        out["overdue"] = selectors.is_overdue(report)
    return out


def _persons(persons: list[Any]) -> list[dict[str, Any]]:
    return [{name: getattr(p, name) for name in PERSON_FIELDS} for p in persons]


def _vehicles(vehicles: list[Any]) -> list[dict[str, Any]]:
    return [
        {"kind": v.kind, "make": v.make, "colour": v.colour, "plate": v.plate, "foreign_plate": v.foreign_plate}
        for v in vehicles
    ]


def _photo_out(request: HttpRequest, report: Report, photo: Any) -> dict[str, Any]:
    url = reverse("api:report_photo", kwargs={"code": report.code, "photo": photo.code})
    return {
        "id": photo.code,
        "url": request.build_absolute_uri(url),
        "content_type": photo.content_type,
        "width": photo.width,
        "height": photo.height,
        "size": photo.size,
    }


def _event_out(event: ReportEvent, view: str) -> dict[str, Any]:
    partner = view in ("partner", "admin")
    text = event.text
    if view == "member":
        text = ""  # members see status changes and the community's part of feedback only
    return {
        "kind": event.kind,
        "at": event.created_at,
        "status_from": event.status_from,
        "status_to": event.status_to,
        "outcome": event.outcome,
        "text": text,
        "community_text": event.community_text,
        "organisation": event.organisation.name if event.organisation else None,
        "actor": event.actor.first_name if partner and event.actor else None,
        "internal": event.internal,
    }


def _feedback_out(feedback: Feedback, view: str) -> dict[str, Any]:
    out = {
        "organisation": feedback.organisation.name if feedback.organisation else None,
        "to_community": feedback.to_community,
        "created_at": feedback.created_at,
    }
    if view != "member":
        out.update(
            id=feedback.code, to_reporter=feedback.to_reporter, helpful=feedback.helpful, rated_at=feedback.rated_at
        )
    return out


def _question_out(question: Any) -> dict[str, Any]:
    return {
        "id": question.code,
        "organisation": question.organisation.name if question.organisation else None,
        "text": question.text,
        "answer": question.answer,
        "asked_at": question.asked_at,
        "answered_at": question.answered_at,
    }


def _reopen_out(request_: ReopenRequest) -> dict[str, Any]:
    return {
        "id": request_.pk,
        "report": request_.report.code,
        "what": request_.report.what[:200],
        "reason": request_.reason,
        "decision": request_.decision,
        "created_at": request_.created_at,
        "decided_at": request_.decided_at,
    }


def _seconds(value: Any) -> float | None:
    return value.total_seconds() if value is not None else None


def _details(
    request: HttpRequest,
    report: Report,
    view: str,
    *,
    persons: list[Any],
    vehicles: list[Any],
    photos: list[Any],
    timeline: list[ReportEvent],
    feedback: list[Feedback],
) -> dict[str, Any]:
    """The part of a report's answer that every view shares (the summary and the details it may see)."""
    out = _summary(report)
    out.update(
        view=view,
        called_112=report.called_112,
        share_with_members=report.share_with_members,
        buurt={"code": report.buurt.code, "name": report.buurt.name} if report.buurt else None,
        persons=_persons(persons),
        vehicles=_vehicles(vehicles),
        photos=[_photo_out(request, report, p) for p in photos],
        timeline=[_event_out(e, view) for e in timeline],
        feedback=[_feedback_out(f, view) for f in feedback],
    )
    return out


def _created_out(request: HttpRequest, submitted: services.Submitted) -> dict[str, Any] | None:
    """The 201 answer for a report this request created, from what the service wrote: its reporter's view, with no
    second read. None when the caller may see more than a reporter (partner staff, admins): then it is read again."""
    user = request.auth
    if user.is_superuser or account_selectors.user_is_partner_staff(user):
        return None
    out = _details(
        request,
        submitted.report,
        "reporter",
        persons=submitted.persons,
        vehicles=submitted.vehicles,
        photos=submitted.photos,
        timeline=[e for e in submitted.events if not e.internal],
        feedback=[],
    )
    out["questions"] = []
    return out


def _report_out(request: HttpRequest, report: Report) -> dict[str, Any]:
    """One report as the caller's view may see it (see reports.access)."""
    user = request.auth
    standing = access.report_standing(user, report)
    view = standing.view
    if view is None:
        raise NotFound()
    if view == "partner":
        report.due_at = selectors.due_for(report.routes.all(), standing.organisations)
    feedback = list(selectors.report_feedback(report))
    if view == "member":
        feedback = [f for f in feedback if f.to_community]
    out = _details(
        request,
        report,
        view,
        persons=list(report.persons.all()),
        vehicles=list(report.vehicles.all()),
        photos=list(report.photos.all()),
        timeline=selectors.report_timeline(report, view=view),
        feedback=feedback,
    )
    if view in ("partner", "admin", "reporter"):
        out["questions"] = [_question_out(q) for q in selectors.report_questions(report)]
    if view == "member" and not report.anonymous and report.reporter is not None:
        out["reporter_first_name"] = report.reporter.first_name
    if view in ("partner", "admin"):
        out["routes"] = [
            {"audience": r.audience, "organisation": _ref(r.organisation), "due_at": r.due_at}
            for r in selectors.report_routes(report)
        ]
        out["possible_duplicates"] = [
            {
                "id": d.code,
                "type": d.type,
                "status": d.status,
                "what": d.what[:200],
                "created_at": d.created_at,
                "community": _ref(d.community),
            }
            for d in selectors.possible_duplicates(report=report, viewer=user)
        ]
        durations = selectors.report_durations(report)
        out["durations"] = {
            "first_response_s": _seconds(durations.first_response),
            "closing_s": _seconds(durations.closing),
        }
        out["reopen_requests"] = [_reopen_out(r) for r in selectors.report_reopen_requests(report)]
    if view == "partner":
        out["reporter"] = selectors.reporter_for_partner(
            report=report, viewer=user, organisation=standing.organisations[0]
        )
    return out


def _fresh(report: Report) -> Report:
    """The report again from the database, after a service changed it (no cached standing)."""
    return Report.objects.select_related("community", "buurt", "reporter").get(pk=report.pk)


def _organisation(request: HttpRequest, report: Report, code: UUID | None) -> Organisation:
    return access.handling_organisation(request.auth, report, code)


# --- filing -----------------------------------------------------------------------------------------------------------
@router.post(
    "",
    response={201: ReportOut, **errors(401, 404, 409, 422)},
    summary="File a report",
    description="Send the header `Idempotency-Key` (a UUID you make per report): the same key never creates a "
    "second report; a replay answers 201 with the first report and the header `Idempotent-Replayed: true`, the "
    'same key with a different body is 409 "report.idempotency_mismatch". Bad input is 422 "report.invalid" with '
    "a message per field (`what`, `location`, `called_112`, `persons.0`, `vehicles.0.plate`, …) and stores "
    "nothing. A community you are not an active member of is 404.",
)
def create_report(
    request: HttpRequest,
    payload: ReportIn,
    response: HttpResponse,
    idempotency_key: UUID = Header(..., alias="Idempotency-Key", description="A UUID, new for each report."),  # noqa: B008
) -> Status:
    try:
        community = community_access.access_community(request.auth, payload.community, need=Need.REPORT)
    except Forbidden as exc:
        raise NotFound() from exc  # a partner or a pending member: nothing shows that it exists
    if community_access.standing_of(request.auth, community).active_role is None:
        raise NotFound()  # admins hold every need, but only members report (services.report_submit)
    data = services.ReportInput(
        type=payload.type,
        what=payload.what,
        called_112=payload.called_112,
        urgency=payload.urgency or "",
        lat=payload.location.lat if payload.location else None,
        lon=payload.location.lon if payload.location else None,
        address=payload.address,
        occurred_at=payload.occurred_at,
        persons=[p.dict() for p in payload.persons],
        vehicles=[v.dict() for v in payload.vehicles],
        anonymous=payload.anonymous,
        share_with_members=payload.share_with_members,
    )
    submitted = services.report_submit(
        reporter=request.auth, community=community, data=data, idempotency_key=idempotency_key
    )
    report = submitted.report
    if not submitted.created:
        if report.community_id != community.pk:  # the fingerprint does not hold the community
            raise Conflict(
                gettext(
                    "This idempotency key was already used for a different report. Use a new key for a new report."
                ),
                code="report.idempotency_mismatch",
            )
        response["Idempotent-Replayed"] = "true"
    created = _created_out(request, submitted) if submitted.created else None
    return Status(201, created if created is not None else _report_out(request, _fresh(report)))


@router.post(
    "/{uuid:code}/photos",
    response={201: PhotoOut, **errors(401, 403, 404, 422)},
    summary="Add a photo to your report",
    description='Multipart, file field `photo`: JPEG, PNG or HEIC, size-limited ("report.photo" when too large, not '
    "an image, or one too many). Every bit of metadata (EXIF, GPS) is removed. For the reporter only.",
)
def add_photo(request: HttpRequest, code: UUID, photo: UploadedFile = File(...)) -> Status:  # noqa: B008
    report = access.access_report(request.auth, code, need=ReportNeed.OWN)
    try:
        clean = photos.clean_photo(photo, code="report.photo", field="photos")
        stored = services.report_add_photo(report=report, photo=clean)
    except Invalid as exc:
        messages = [m for msgs in exc.fields.values() for m in (msgs if isinstance(msgs, list) else [msgs])]
        raise Invalid(exc.message, code=exc.code, fields={"photo": messages or [exc.message]}) from exc
    return Status(201, _photo_out(request, report, stored))


@router.get(
    "/{uuid:code}/photos/{uuid:photo}",
    response={**errors(401, 403, 404)},
    url_name="report_photo",
    summary="One photo of a report",
    description="The image itself, for everybody who may see the report. Never cached.",
    openapi_extra=photos.PHOTO_OPENAPI,
)
def get_photo(request: HttpRequest, code: UUID, photo: UUID) -> HttpResponse:
    report = access.access_report(request.auth, code, need=ReportNeed.VIEW)
    stored = report.photos.filter(code=photo).first()
    if stored is None:
        raise NotFound()
    return photos.photo_response(stored)


# --- reading ----------------------------------------------------------------------------------------------------------
@router.get(
    "",
    response={200: list[ReportSummaryOut], **errors(401)},
    summary="Your own reports",
    description="The reports you filed, anonymous ones included, newest first; `open_questions` says a partner "
    "waits for your answer.",
)
def list_my_reports(
    request: HttpRequest,
    limit: int = Query(50, ge=1, le=INBOX_MAX),
    offset: int = Query(0, ge=0),
) -> list[dict[str, Any]]:
    qs = selectors.reports_of_reporter(request.auth)[offset : offset + limit]
    return [_summary(r) for r in qs]


@router.get(
    "/{uuid:code}",
    response={200: ReportOut, **errors(401, 404)},
    summary="One report",
    description="The shape depends on who asks (`view`): partners and admins get everything, with the routes, "
    "possible duplicates, durations and the deadline (partners also the reporter's name and contact unless "
    "anonymous: the read is logged); the reporter gets the status timeline, the feedback to them and the "
    "questions; members the description, the status and the community's part of the feedback.",
)
def get_report(request: HttpRequest, code: UUID) -> dict[str, Any]:
    report = access.access_report(request.auth, code, need=ReportNeed.VIEW)
    return _report_out(request, report)


# --- partner tools ----------------------------------------------------------------------------------------------------
def _handle(request: HttpRequest, code: UUID) -> Report:
    return access.access_report(request.auth, code, need=ReportNeed.HANDLE)


@router.post(
    "/{uuid:code}/transitions",
    response={200: ReportOut, **errors(401, 403, 404, 409, 422)},
    summary="Change the status",
    description="received → in_progress → closed; closed → reopened → in_progress. Anything else is 409 "
    '"report.invalid_transition" with the reason; an unknown status 422 "report.unknown_status". Closing needs '
    '`outcome` ("report.outcome_required") and, without any feedback to the reporter, '
    '`confirm_without_feedback` (409 "report.no_feedback").',
)
def transition(request: HttpRequest, code: UUID, payload: TransitionIn) -> dict[str, Any]:
    report = _handle(request, code)
    services.report_transition(
        report=report,
        by=request.auth,
        organisation=_organisation(request, report, payload.organisation),
        status=payload.status,
        outcome=payload.outcome,
        note=payload.note,
        confirm_without_feedback=payload.confirm_without_feedback,
    )
    return _report_out(request, _fresh(report))


@router.post(
    "/{uuid:code}/feedback",
    response={201: FeedbackOut, **errors(401, 403, 404, 422)},
    summary="Give feedback",
    description="For the reporter (`to_reporter`) and optionally a general message for the community "
    "(`to_community`, no personal details). Only on reports routed to your organisation.",
)
def give_feedback(request: HttpRequest, code: UUID, payload: FeedbackIn) -> Status:
    report = _handle(request, code)
    feedback = services.feedback_give(
        report=report,
        by=request.auth,
        organisation=_organisation(request, report, payload.organisation),
        to_reporter=payload.to_reporter,
        to_community=payload.to_community,
    )
    return Status(201, _feedback_out(feedback, "partner"))


@router.post(
    "/{uuid:code}/notes",
    response={201: EventOut, **errors(401, 403, 404, 422)},
    summary="Add an internal note",
    description="Never shown to the reporter or the community.",
)
def add_note(request: HttpRequest, code: UUID, payload: PartnerTextIn) -> Status:
    report = _handle(request, code)
    event = services.report_note_add(
        report=report,
        by=request.auth,
        organisation=_organisation(request, report, payload.organisation),
        text=payload.text,
    )
    return Status(201, _event_out(event, "partner"))


@router.post(
    "/{uuid:code}/questions",
    response={201: QuestionOut, **errors(401, 403, 404, 422)},
    summary="Ask the reporter a question",
    description="It appears in the reporter's inbox, also for anonymous reports; the answer joins the history.",
)
def ask_question(request: HttpRequest, code: UUID, payload: PartnerTextIn) -> Status:
    report = _handle(request, code)
    question = services.report_question_ask(
        report=report,
        by=request.auth,
        organisation=_organisation(request, report, payload.organisation),
        text=payload.text,
    )
    return Status(201, _question_out(question))


@router.post(
    "/{uuid:code}/forwards",
    response={201: ForwardOut, **errors(401, 403, 404, 422)},
    summary="Forward to an outside party",
    description="Makes a one-time link that needs no account; its `url` is shown only in this answer. The answer "
    "comes back into the report's history.",
)
def forward(request: HttpRequest, code: UUID, payload: ForwardIn) -> Status:
    report = _handle(request, code)
    link, token = services.report_forward(
        report=report,
        by=request.auth,
        organisation=_organisation(request, report, payload.organisation),
        recipient=payload.recipient,
        message=payload.message,
    )
    page = request.build_absolute_uri(reverse("inbox:forward_answer", kwargs={"token": token}))
    api_url = request.build_absolute_uri(reverse("api:forward_view", kwargs={"token": token}))
    return Status(
        201,
        {"id": link.code, "recipient": link.recipient, "url": page, "api_url": api_url, "expires_at": link.expires_at},
    )


@router.post(
    "/{uuid:code}/reveal-reporter",
    response={200: RevealOut, **errors(401, 403, 404, 422)},
    summary="Open the sealed link to an anonymous reporter",
    description="Admins only, for abuse handling, with a reason; the opening is logged.",
)
def reveal_reporter(request: HttpRequest, code: UUID, payload: RevealIn) -> dict[str, Any]:
    report = access.access_report(request.auth, code, need=ReportNeed.REVEAL)
    person = services.report_reveal_reporter(report=report, by=request.auth, reason=payload.reason)
    if person is None:
        return {"reporter": None}
    name = person.get_full_name() or person.first_name
    return {"reporter": {"name": name, "email": person.email, "phone": person.phone}}


# --- the reporter's answers -------------------------------------------------------------------------------------------
questions_router = Router(tags=["reports"])
feedback_router = Router(tags=["reports"])
forwards_router = Router(tags=["reports"])
inbox_router = Router(tags=["reports"])
reopen_router = Router(tags=["reports"])
routing_router = Router(tags=["reports"])
deadlines_router = Router(tags=["reports"])


@questions_router.post(
    "/{uuid:code}/answer",
    response={200: QuestionAnsweredOut, **errors(401, 403, 404, 409, 422)},
    summary="Answer a partner's question about your report",
    description='Once: a second answer is 409 "report.question_answered".',
)
def answer_question(request: HttpRequest, code: UUID, payload: TextIn) -> dict[str, Any]:
    question = access.access_question(request.auth, code)
    answered = services.question_answer(question=question, text=payload.text)
    return {"id": answered.code, "answer": answered.answer, "answered_at": answered.answered_at}


@feedback_router.post(
    "/{uuid:code}/rating",
    response={200: FeedbackOut, **errors(401, 403, 404, 422)},
    summary="Say whether the feedback helped",
    description='The reporter\'s one-tap rating. "Not helpful" on a closed report becomes a request to reopen it, '
    "which a person at the partner decides on.",
)
def rate_feedback(request: HttpRequest, code: UUID, payload: RatingIn) -> dict[str, Any]:
    feedback = access.access_feedback(request.auth, code, need=ReportNeed.OWN)
    rated = services.feedback_rate(feedback=feedback, helpful=payload.helpful, reason=payload.reason)
    rated.organisation = feedback.organisation
    return _feedback_out(rated, "reporter")


# --- one-time links (no account: the link is the credential) ----------------------------------------------------------
@forwards_router.get(
    "/{token}",
    response={200: ForwardViewOut, **errors(404)},
    auth=None,
    url_name="forward_view",
    summary="A forwarded report, for the holder of the one-time link",
    description="Without anybody's identity. Used, expired and unknown links are all 404.",
)
def forward_view(request: HttpRequest, token: str) -> dict[str, Any]:
    link = services.forward_by_token(token)
    report = link.report
    return {
        "organisation": link.organisation.name if link.organisation else None,
        "recipient": link.recipient,
        "message": link.message,
        "expires_at": link.expires_at,
        "type": report.type,
        "type_label": str(report.get_type_display()),
        "community": report.community.name,
        "what": report.what,
        "location": _location(report),
        "address": report.address,
        "occurred_at": report.occurred_at,
        "persons": _persons(report.persons.all()),
        "vehicles": _vehicles(report.vehicles.all()),
    }


@forwards_router.post(
    "/{token}",
    response={201: ForwardAnsweredOut, **errors(404, 409)},
    auth=None,
    summary="Answer through a one-time link",
    description="Once; afterwards the link no longer works (404).",
)
def forward_answer(request: HttpRequest, token: str, payload: TextIn) -> Status:
    link = services.forward_answer(token=token, text=payload.text)
    return Status(201, {"answered_at": link.answered_at})


# --- the partner inbox ------------------------------------------------------------------------------------------------
def _staff_organisations(request: HttpRequest) -> list[Organisation]:
    organisations = selectors.inbox_organisations(request.auth)
    if not organisations:
        raise Forbidden(gettext("Only staff of a partner organisation have an inbox."), code="inbox.not_staff")
    return organisations


def _one_of(organisations: list[Organisation], code: UUID | None, *, required: bool) -> Organisation | None:
    if code is not None:
        for org in organisations:
            if org.code == code:
                return org
        raise NotFound()
    if required and len(organisations) > 1:
        message = gettext("You work for several organisations: say which one.")
        raise Invalid(message, code="organisation.required", fields={"organisation": [message]})
    return organisations[0] if required else None


@inbox_router.get(
    "",
    response={200: list[ReportSummaryOut], **errors(401, 403, 404)},
    summary="The partner inbox",
    description="The reports routed to the organisations you work for, open urgent ones first, then newest first; "
    "each with `due_at` and `overdue`. Filters: status, type, community (code), age in days, overdue only, one of "
    "your organisations (code).",
)
def inbox(
    request: HttpRequest,
    status: StatusLiteral | None = Query(None),  # noqa: B008
    type: TypeLiteral | None = Query(None),  # noqa: A002,B008
    community: UUID | None = Query(None, description="The code of a community."),  # noqa: B008
    max_age_days: int | None = Query(None, ge=1, le=3650),
    overdue: bool | None = Query(None, description="Only open reports past their deadline."),
    organisation: UUID | None = Query(None, description="Only the reports of this organisation of yours."),  # noqa: B008
    limit: int = Query(50, ge=1, le=INBOX_MAX),
    offset: int = Query(0, ge=0),
) -> list[dict[str, Any]]:
    organisations = _staff_organisations(request)
    org = _one_of(organisations, organisation, required=False)
    target = None
    if community is not None:
        target = Community.objects.filter(code=community).first()
        if target is None:
            return []
    qs = selectors.reports_for_inbox(
        viewer=request.auth,
        organisation=org,
        status=status,
        type=type,
        community=target,
        max_age_days=max_age_days,
        overdue=overdue,
    )
    return [_summary(r) for r in qs[offset : offset + limit]]


@reopen_router.get(
    "",
    response={200: list[ReopenRequestOut], **errors(401, 403)},
    summary="Requests to reopen, waiting for a decision",
)
def list_reopen_requests(request: HttpRequest) -> list[dict[str, Any]]:
    _staff_organisations(request)
    return [_reopen_out(r) for r in selectors.pending_reopen_requests(request.auth)]


@reopen_router.post(
    "/{int:request_id}/decision",
    response={200: ReopenRequestOut, **errors(401, 403, 404, 409, 422)},
    summary="Decide on a request to reopen",
    description='Reopen the report, or decline with a note the reporter sees. Once ("report.reopen_decided").',
)
def decide_reopen(request: HttpRequest, request_id: int, payload: ReopenDecisionIn) -> dict[str, Any]:
    found = ReopenRequest.objects.filter(pk=request_id).select_related("report__community").first()
    if found is None:
        raise NotFound()
    report = access.access_report(request.auth, found.report, need=ReportNeed.HANDLE)
    decided = services.reopen_decide(
        request=found,
        by=request.auth,
        organisation=_organisation(request, report, payload.organisation),
        reopen=payload.reopen,
        note=payload.note,
    )
    decided.report = report
    return _reopen_out(decided)


# --- routing rules ----------------------------------------------------------------------------------------------------
def _rule_out(report_type: str, rule: Any) -> dict[str, Any]:
    return {"type": report_type, **rule.as_dict()}


@routing_router.get(
    "/{uuid:community}",
    response={200: list[RoutingRuleOut], **errors(401, 403, 404)},
    summary="Who receives a community's reports",
    description="Per report type; for coordinators and admins.",
)
def list_routing_rules(request: HttpRequest, community: UUID) -> list[dict[str, Any]]:
    found = community_access.access_community(request.auth, community, need=Need.EDIT_ROUTING)
    return [_rule_out(t, rule) for t, rule in selectors.routing_rules(found).items()]


@routing_router.put(
    "/{uuid:community}/{report_type}",
    response={200: RoutingRuleOut, **errors(401, 403, 404, 422)},
    summary="Change who receives reports of a type",
    description='At least one recipient ("routing.invalid"); partner kinds are kinds of organisation. Logged.',
)
def set_routing_rule(request: HttpRequest, community: UUID, report_type: str, payload: RoutingRuleIn) -> dict:
    found = community_access.access_community(request.auth, community, need=Need.EDIT_ROUTING)
    services.routing_rule_set(
        community=found,
        report_type=report_type,
        by=request.auth,
        to_members=payload.to_members,
        to_coordinators=payload.to_coordinators,
        to_initiators=payload.to_initiators,
        partner_kinds=payload.partner_kinds,
    )
    return _rule_out(report_type, selectors.routing_rules(found)[report_type])


# --- handling deadlines -----------------------------------------------------------------------------------------------
@deadlines_router.get(
    "",
    response={200: list[DeadlineOut], **errors(401, 403, 404)},
    summary="Your organisations' handling deadlines",
    description="Per organisation and report type, in hours (null: none).",
)
def list_deadlines(
    request: HttpRequest,
    organisation: UUID | None = Query(None, description="Only this organisation of yours."),  # noqa: B008
) -> list[dict[str, Any]]:
    organisations = _staff_organisations(request)
    if organisation is not None:
        organisations = [_one_of(organisations, organisation, required=True)]
    return [
        {"organisation": _ref(org), "type": t, "hours": hours}
        for org in organisations
        for t, hours in selectors.deadlines_of(org).items()
    ]


@deadlines_router.put(
    "/{report_type}",
    response={200: DeadlineOut, **errors(401, 403, 404, 422)},
    summary="Set the handling deadline of a report type",
    description="For your organisation (name it with `organisation` if you work for several); `hours: null` "
    "removes it. Overdue reports are marked in the inbox.",
)
def set_deadline(request: HttpRequest, report_type: str, payload: DeadlineIn) -> dict[str, Any]:
    org = _one_of(_staff_organisations(request), payload.organisation, required=True)
    services.deadline_set(organisation=org, report_type=report_type, hours=payload.hours, by=request.auth)
    return {"organisation": _ref(org), "type": report_type, "hours": payload.hours}


__all__ = [
    "router",
    "questions_router",
    "feedback_router",
    "forwards_router",
    "inbox_router",
    "reopen_router",
    "routing_router",
    "deadlines_router",
    "ReportStatus",
    "ReportType",
]
