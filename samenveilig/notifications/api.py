"""The in-app inbox in the API: /api/v1/notifications. Always the caller's own notifications (also those of their
anonymous reports); somebody else's is 404. /api/v1/notifications/settings: how the caller wants to hear."""

import datetime
from dataclasses import asdict
from typing import Any, Literal

from django.db import transaction
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from samenveilig.core.api import errors
from samenveilig.core.errors import NotFound
from samenveilig.notifications import selectors, services
from samenveilig.notifications.schemas import MarkedOut, NotificationOut

router = Router(tags=["notifications"])


@router.get(
    "",
    response={200: list[NotificationOut], **errors(401)},
    summary="Your notifications",
    description="Newest first; `unread=true` for the unread ones only.",
)
def list_notifications(
    request: HttpRequest,
    unread: bool = Query(False, description="Only the unread ones."),
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0),
) -> list[dict[str, Any]]:
    qs = selectors.notifications_for(viewer=request.auth, unread_only=unread)[offset : offset + limit]
    return [asdict(selectors.notification_view(n)) for n in qs]


@router.post(
    "/read-all",
    response={200: MarkedOut, **errors(401)},
    summary="Mark all your notifications read",
)
def read_all(request: HttpRequest) -> dict[str, int]:
    return {"marked": services.notifications_mark_read(user=request.auth)}


@router.post(
    "/{int:notification_id}/read",
    response={200: NotificationOut, **errors(401, 404)},
    summary="Mark one notification read",
)
def read_one(request: HttpRequest, notification_id: int) -> dict[str, Any]:
    found = selectors.notifications_for(viewer=request.auth).filter(pk=notification_id).first()
    if found is None:
        raise NotFound()
    services.notifications_mark_read(user=request.auth, ids=[found.pk])
    found.refresh_from_db(fields=["read_at"])
    return asdict(selectors.notification_view(found))


class DeliveryChoicesIO(Schema):
    channels: dict[str, list[Literal["email", "sms", "push"]]] = Field(
        ...,
        description="Per kind of message (`report`, `conversation`, `conduct`, `digest`) the outside channels "
        "besides the in-app inbox, which is always on. A kind left out keeps its channels. `push` needs a device "
        "subscribed (`/api/v1/push/subscriptions`).",
    )
    quiet_from: datetime.time = Field(..., description="Quiet hours start (Europe/Amsterdam).")
    quiet_until: datetime.time = Field(..., description="Quiet hours end; the same time as the start: none.")
    digest: Literal["weekly", "monthly"] | None = Field(
        None,
        description="How often updates that can wait are bundled on the outside channels: `weekly` (Monday 08:00, "
        "the default) or `monthly` (the 1st, 08:00). Left out: unchanged.",
    )


def _choices_out(user: Any) -> dict[str, Any]:
    return asdict(selectors.delivery_choices(user))


@router.get("/settings", response={200: DeliveryChoicesIO, **errors(401)}, summary="How you hear from us")
def get_settings(request: HttpRequest) -> dict[str, Any]:
    return _choices_out(request.auth)


@router.put(
    "/settings",
    response={200: DeliveryChoicesIO, **errors(401, 422)},
    summary="Choose how you hear from us",
    description="All or nothing: a bad choice (an unknown kind, SMS without a phone number) changes nothing.",
)
def put_settings(request: HttpRequest, payload: DeliveryChoicesIO) -> dict[str, Any]:
    with transaction.atomic():
        for category, channels in payload.channels.items():
            services.channels_set(user=request.auth, category=category, channels=channels)
        services.quiet_hours_set(user=request.auth, quiet_from=payload.quiet_from, quiet_until=payload.quiet_until)
        if payload.digest is not None:
            services.digest_period_set(user=request.auth, period=payload.digest)
    return _choices_out(request.auth)


class DeliveryStatusOut(Schema):
    channels: dict[str, dict[str, int]] = Field(
        ..., description="Per outside channel the deliveries per state: pending, sent, failed (will be retried), dead."
    )


@router.get(
    "/delivery-status",
    response={200: DeliveryStatusOut, **errors(401, 404)},
    summary="Deliveries per channel and state (admins, for monitoring)",
)
def delivery_status(request: HttpRequest) -> dict[str, Any]:
    return {"channels": selectors.delivery_counts(viewer=request.auth)}
