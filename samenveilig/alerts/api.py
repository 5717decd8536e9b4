"""Alerts (oproepen) in the API: sending one (idempotent), the preview of whom it reaches, one alert as each view
may see it, answering, the answers for the sender's side, the photos of an alert and of an answer, and closing it
with the outcome.

Every alert is fetched through the gate (alerts.access): a person without any view of an alert gets 404, so
existence never leaks; a person who sees it but may not do this (a recipient reading the answers, the sender
answering) gets 403. Home points and who received an alert are never in any answer. Photos are stripped of every
bit of metadata on upload (core.photos) and served only through the same gate, never cached.
"""

from typing import Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from ninja import File, Header, Query, Router, Status
from ninja.files import UploadedFile

from samenveilig.alerts import selectors, services
from samenveilig.alerts.access import AlertNeed, AlertStanding, access_alert
from samenveilig.alerts.models import Alert, AlertPhoto, AlertResponse, TargetKind
from samenveilig.alerts.schemas import (
    AlertCloseIn,
    AlertIn,
    AlertOut,
    AlertPreviewFilter,
    AlertPreviewOut,
    AlertSummaryOut,
    AlertUpdateIn,
    AlertUpdateOut,
    AnswerIn,
    AnswerOut,
)
from samenveilig.core import photos
from samenveilig.core.api import errors
from samenveilig.core.errors import Forbidden, NotFound
from samenveilig.reports import descriptions
from samenveilig.reports.schemas import PhotoOut

router = Router(tags=["alerts"])

LIST_MAX = 200
PERSON_FIELDS = descriptions.PERSON_FIELDS


# --- shapes -----------------------------------------------------------------------------------------------------------
def _is_open(alert: Alert) -> bool:
    return alert.closed_at is None and alert.valid_until > timezone.now()


def _summary(alert: Alert, view: str) -> dict[str, Any]:
    if alert.organisation_id:
        sender = alert.organisation.name
    else:
        sender = alert.community.name if alert.community_id else ""
    return {
        "id": alert.code,
        "kind": alert.kind,
        "kind_label": str(alert.get_kind_display()),
        "title": alert.title,
        "urgent": alert.urgent,
        "state": "open" if _is_open(alert) else "closed",
        "sent_as": alert.sent_as,
        "sender": sender,
        "view": view,
        "created_at": alert.created_at,
        "valid_until": alert.valid_until,
        "closed_at": alert.closed_at,
        "outcome": alert.outcome,
    }


def _target(alert: Alert) -> dict[str, Any]:
    buurten = []
    if alert.target_kind == TargetKind.BUURTEN:
        buurten = sorted(alert.buurten.values_list("code", flat=True))
    community = alert.community.code if alert.target_kind == TargetKind.COMMUNITY and alert.community_id else None
    return {
        "kind": alert.target_kind,
        "radius_m": alert.radius_m,
        "centre": {"lat": alert.lat, "lon": alert.lon},
        "buurten": buurten,
        "community": community,
    }


def _size(photo: AlertPhoto) -> int:
    try:
        return photo.file.size
    except OSError:  # the file went missing (a purge, a restore): the photo itself answers 404
        return 0


def _photo_out(request: HttpRequest, url: str, photo: AlertPhoto | None) -> dict[str, Any] | None:
    if photo is None:
        return None
    return {
        "id": photo.code,
        "url": request.build_absolute_uri(url),
        "content_type": photo.content_type,
        "width": photo.width,
        "height": photo.height,
        "size": _size(photo),
    }


def _alert_photo_out(request: HttpRequest, alert: Alert) -> dict[str, Any] | None:
    if alert.photo is None:
        return None
    return _photo_out(request, reverse("api:alert_photo", kwargs={"code": alert.code}), alert.photo)


def _answer_photo_out(request: HttpRequest, alert_code: UUID, answer: AlertResponse) -> dict[str, Any] | None:
    if answer.photo is None:
        return None
    url = reverse("api:alert_answer_photo", kwargs={"code": alert_code, "response_code": answer.code})
    return _photo_out(request, url, answer.photo)


def _alert_out(request: HttpRequest, alert: Alert, standing: AlertStanding) -> dict[str, Any]:
    """One alert as the caller's view may see it (see alerts.access): the figures for the sender's side only."""
    out = _summary(alert, standing.view)
    out.update(
        text=alert.text,
        persons=[{name: p.get(name, "") or "" for name in PERSON_FIELDS} for p in alert.persons],
        vehicles=[
            {
                "kind": v.get("kind", ""),
                "make": v.get("make", ""),
                "colour": v.get("colour", ""),
                "plate": v.get("plate", ""),
                "foreign_plate": bool(v.get("foreign_plate")),
            }
            for v in alert.vehicles
        ],
        called_112=alert.called_112,
        outcome_label=str(alert.get_outcome_display()) if alert.outcome else "",
        outcome_text=alert.outcome_text,
        target=_target(alert),
        updates=[{"text": u.text, "created_at": u.created_at} for u in selectors.alert_updates(alert)],
        figures=selectors.alert_figures(alert) if standing.view == "sender" else None,
        photo=_alert_photo_out(request, alert),
    )
    return out


def _answer_out(request: HttpRequest, alert: Alert, answer: AlertResponse, *, with_responder: bool) -> dict[str, Any]:
    return {
        "id": answer.code,
        "kind": answer.kind,
        "text": answer.text,
        "lat": answer.lat,
        "lon": answer.lon,
        "created_at": answer.created_at,
        "responder": answer.responder.first_name if with_responder else None,
        "flags": list(answer.flags or []),
        "photo": _answer_photo_out(request, alert.code, answer),
    }


# --- sending ----------------------------------------------------------------------------------------------------------
@router.post(
    "",
    response={200: AlertOut, 201: AlertOut, **errors(401, 403, 409, 422, 429)},
    summary="Send an alert",
    description="For the police (every kind, inside their working area) and a community's coordinators (warning "
    'and witness, inside their community, to its members; at most a few a day: 429 "alert.rate_limited"). '
    'Anybody else: 403 "alert.forbidden". Send the header `Idempotency-Key` (a UUID you make per alert): a '
    "replay answers 200 with the first alert and the header `Idempotent-Replayed: true`; the same key with a "
    'different body is 409 "alert.idempotency_mismatch". Bad input is 422 "alert.invalid" with a message per '
    "field and sends nothing.",
)
def send_alert(
    request: HttpRequest,
    payload: AlertIn,
    response: HttpResponse,
    idempotency_key: UUID = Header(..., alias="Idempotency-Key", description="A UUID, new for each alert."),  # noqa: B008
) -> Status:
    sent = services.alert_send(sender=request.auth, data=payload.to_input(), idempotency_key=idempotency_key)
    if not sent.created:
        response["Idempotent-Replayed"] = "true"
    alert, standing = access_alert(request.auth, sent.alert.code, need=AlertNeed.VIEW)
    return Status(201 if sent.created else 200, _alert_out(request, alert, standing))


@router.get(
    "/preview",
    response={200: AlertPreviewOut, **errors(401, 403, 422)},
    summary="How many people an alert would reach",
    description="The same parameters as sending (`buurten` repeated; persons and vehicles left out) and the same "
    "checks; counts only: in all, and how many of them also get it by e-mail, text message or push.",
)
def preview_alert(request: HttpRequest, filters: AlertPreviewFilter = Query(...)) -> dict[str, int]:  # noqa: B008
    return services.alert_preview(sender=request.auth, data=filters.to_input())


# --- reading ----------------------------------------------------------------------------------------------------------
@router.get(
    "",
    response={200: list[AlertSummaryOut], **errors(401)},
    summary="The alerts you may see",
    description="Those your side sent (your police organisations; the communities you coordinate), those you "
    "received, and the copies for your police. Open ones first, then newest first.",
)
def list_alerts(
    request: HttpRequest,
    limit: int = Query(50, ge=1, le=LIST_MAX),
    offset: int = Query(0, ge=0),
) -> list[dict[str, Any]]:
    return [_summary(a, a.view) for a in selectors.alerts_for(request.auth)[offset : offset + limit]]


@router.get(
    "/{uuid:code}",
    response={200: AlertOut, **errors(401, 404)},
    summary="One alert",
    description="The shape depends on who asks (`view`): everybody sees the description, the target, the updates "
    "and the outcome; the sender's side also the figures (counts only). Nobody sees home points or recipients.",
)
def get_alert(request: HttpRequest, code: UUID) -> dict[str, Any]:
    alert, standing = access_alert(request.auth, code, need=AlertNeed.VIEW)
    return _alert_out(request, alert, standing)


# --- answers ----------------------------------------------------------------------------------------------------------
@router.post(
    "/{uuid:code}/responses",
    response={200: AnswerOut, 201: AnswerOut, **errors(401, 403, 404, 409, 422)},
    summary="Answer an alert",
    description='For its recipients, while it is open (422 "alert.closed" after): seen, not seen, or information '
    "(with a text); optionally where. Only the sender's side sees answers. With an `Idempotency-Key` a replay "
    "answers 200 with the first answer; the same key for a different answer is 409.",
)
def answer_alert(
    request: HttpRequest,
    code: UUID,
    payload: AnswerIn,
    response: HttpResponse,
    idempotency_key: UUID | None = Header(None, alias="Idempotency-Key", description="A UUID, new per answer."),  # noqa: B008
) -> Status:
    alert, _standing = access_alert(request.auth, code, need=AlertNeed.ANSWER)
    answer, created = services.alert_respond(
        alert=alert,
        responder=request.auth,
        kind=payload.kind,
        text=payload.text,
        lat=payload.lat,
        lon=payload.lon,
        idempotency_key=idempotency_key,
    )
    if not created:
        response["Idempotent-Replayed"] = "true"
    return Status(201 if created else 200, _answer_out(request, alert, answer, with_responder=False))


@router.get(
    "/{uuid:code}/responses",
    response={200: list[AnswerOut], **errors(401, 403, 404)},
    summary="The answers to an alert",
    description="For its sender's side only (recipients: 403), newest first, with the first name of who answered.",
)
def list_answers(
    request: HttpRequest,
    code: UUID,
    limit: int = Query(100, ge=1, le=1000),
    offset: int = Query(0, ge=0),
) -> list[dict[str, Any]]:
    alert, _standing = access_alert(request.auth, code, need=AlertNeed.CONSOLE)
    answers = selectors.alert_responses(alert)[offset : offset + limit]
    return [_answer_out(request, alert, a, with_responder=True) for a in answers]


# --- photos -----------------------------------------------------------------------------------------------------------
@router.post(
    "/{uuid:code}/photo",
    response={200: PhotoOut, **errors(401, 403, 404, 422)},
    url_name="alert_photo",
    summary="Set or replace the photo of an alert",
    description='For its sender\'s side, while it is open (422 "alert.closed" after). Multipart, file field '
    '`photo`: JPEG, PNG or HEIC, size-limited (422 "alert.photo" when too large or not an image). Every bit of '
    "metadata (EXIF, GPS) is removed; a previous photo is deleted. Everybody who may see the alert can fetch it.",
)
def set_alert_photo(request: HttpRequest, code: UUID, photo: UploadedFile = File(...)) -> dict[str, Any]:  # noqa: B008
    alert, _standing = access_alert(request.auth, code, need=AlertNeed.CONSOLE)
    clean = photos.clean_photo(photo, code="alert.photo", field="photo")
    services.alert_set_photo(alert=alert, by=request.auth, photo=clean)
    return _alert_photo_out(request, alert)


@router.get(
    "/{uuid:code}/photo",
    response={**errors(401, 404)},
    url_name="alert_photo",
    summary="The photo of an alert",
    description="The image itself, for everybody who may see the alert; 404 when it has none. Never cached.",
    openapi_extra=photos.PHOTO_OPENAPI,
)
def get_alert_photo(request: HttpRequest, code: UUID) -> HttpResponse:
    alert, _standing = access_alert(request.auth, code, need=AlertNeed.VIEW)
    if alert.photo is None:
        raise NotFound()
    return photos.photo_response(alert.photo)


def _own_answer(request: HttpRequest, alert: Alert, response_code: UUID) -> AlertResponse | None:
    return (
        AlertResponse.objects.select_related("photo")
        .filter(alert=alert, code=response_code, responder_id=request.auth.pk)
        .first()
    )


@router.post(
    "/{uuid:code}/responses/{uuid:response_code}/photo",
    response={200: PhotoOut, **errors(401, 404, 422)},
    url_name="alert_answer_photo",
    summary="Add or replace the photo of your answer",
    description="For the one who gave the answer (anybody else: 404), while the alert is open (422 "
    '"alert.closed" after). Multipart, file field `photo`: JPEG, PNG or HEIC, size-limited (422 "answer.photo" '
    "when too large or not an image). Every bit of metadata (EXIF, GPS) is removed; a previous photo is deleted. "
    "Only the sender's side and you can fetch it.",
)
def set_answer_photo(
    request: HttpRequest,
    code: UUID,
    response_code: UUID,
    photo: UploadedFile = File(...),  # noqa: B008
) -> dict[str, Any]:
    alert, _standing = access_alert(request.auth, code, need=AlertNeed.VIEW)
    answer = _own_answer(request, alert, response_code)
    if answer is None:
        raise NotFound()
    clean = photos.clean_photo(photo, code="answer.photo", field="photo")
    services.response_set_photo(response=answer, by=request.auth, photo=clean)
    return _answer_photo_out(request, alert.code, answer)


@router.get(
    "/{uuid:code}/responses/{uuid:response_code}/photo",
    response={**errors(401, 403, 404)},
    url_name="alert_answer_photo",
    summary="The photo of an answer",
    description="The image itself, for the alert's sender's side (like the answers) and for the one who gave the "
    "answer; other people who see the alert get 403, everybody else 404. 404 when the answer has no photo. "
    "Never cached.",
    openapi_extra=photos.PHOTO_OPENAPI,
)
def get_answer_photo(request: HttpRequest, code: UUID, response_code: UUID) -> HttpResponse:
    alert, standing = access_alert(request.auth, code, need=AlertNeed.VIEW)
    if standing.view == "sender":
        answer = AlertResponse.objects.select_related("photo").filter(alert=alert, code=response_code).first()
    else:
        answer = _own_answer(request, alert, response_code)
        if answer is None:  # as for the answers themselves: the sender's side only
            raise Forbidden(gettext("You can see this alert, but you are not allowed to do this."))
    if answer is None or answer.photo is None:
        raise NotFound()
    return photos.photo_response(answer.photo)


# --- updates ----------------------------------------------------------------------------------------------------------
@router.post(
    "/{uuid:code}/updates",
    response={201: AlertUpdateOut, **errors(401, 403, 404, 422)},
    summary="Post an update to every recipient",
    description='For its sender\'s side, while it is open (422 "alert.closed" after). Every recipient gets it, on '
    "the channels they chose for alerts (at once when the alert is urgent).",
)
def update_alert(request: HttpRequest, code: UUID, payload: AlertUpdateIn) -> Status:
    alert, _standing = access_alert(request.auth, code, need=AlertNeed.CONSOLE)
    update = services.alert_update(alert=alert, by=request.auth, text=payload.text)
    return Status(201, {"text": update.text, "created_at": update.created_at})


# --- closing ----------------------------------------------------------------------------------------------------------
@router.post(
    "/{uuid:code}/close",
    response={200: AlertOut, **errors(401, 403, 404, 409, 422)},
    summary="Close an alert with its outcome",
    description="For its sender's side. Every recipient hears the outcome, answered or not. A second close is 409 "
    '"alert.already_closed".',
)
def close_alert(request: HttpRequest, code: UUID, payload: AlertCloseIn) -> dict[str, Any]:
    alert, standing = access_alert(request.auth, code, need=AlertNeed.CONSOLE)
    closed = services.alert_close(alert=alert, by=request.auth, outcome=payload.outcome, text=payload.text)
    alert.closed_at, alert.outcome, alert.outcome_text = closed.closed_at, closed.outcome, closed.outcome_text
    return _alert_out(request, alert, standing)


__all__ = ["router"]
