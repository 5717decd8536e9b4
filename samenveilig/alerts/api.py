"""Alerts (oproepen) in the API: sending one (idempotent), the preview of whom it reaches, one alert as each view
may see it, answering, the answers for the sender's side, and closing it with the outcome.

Every alert is fetched through the gate (alerts.access): a person without any view of an alert gets 404, so
existence never leaks; a person who sees it but may not do this (a recipient reading the answers, the sender
answering) gets 403. Home points and who received an alert are never in any answer.
"""

from typing import Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Header, Query, Router, Status

from samenveilig.alerts import selectors, services
from samenveilig.alerts.access import AlertNeed, AlertStanding, access_alert
from samenveilig.alerts.models import Alert, AlertResponse, TargetKind
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
from samenveilig.core.api import errors
from samenveilig.reports import descriptions

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


def _alert_out(alert: Alert, standing: AlertStanding) -> dict[str, Any]:
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
    )
    return out


def _answer_out(answer: AlertResponse, *, with_responder: bool) -> dict[str, Any]:
    return {
        "id": answer.code,
        "kind": answer.kind,
        "text": answer.text,
        "lat": answer.lat,
        "lon": answer.lon,
        "created_at": answer.created_at,
        "responder": answer.responder.first_name if with_responder else None,
        "flags": list(answer.flags or []),
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
    return Status(201 if sent.created else 200, _alert_out(alert, standing))


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
    return _alert_out(alert, standing)


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
    return Status(201 if created else 200, _answer_out(answer, with_responder=False))


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
    return [_answer_out(a, with_responder=True) for a in selectors.alert_responses(alert)[offset : offset + limit]]


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
    return _alert_out(alert, standing)


__all__ = ["router"]
