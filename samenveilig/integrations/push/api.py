"""Push messages in the API: /api/v1/push. The server's public key for PushManager.subscribe, and the caller's own
devices: subscribe (the browser's PushSubscription JSON), list, unsubscribe; signed-in people only. And the push
service worker's renewal of a subscription its push service replaced, proven by the old one's secret."""

import datetime
import re
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from samenveilig.core.api import errors
from samenveilig.integrations.push import selectors, services

router = Router(tags=["push"])


class PushKeyOut(Schema):
    public_key: str = Field(
        ...,
        description="The server's VAPID public key (RFC 8292): the uncompressed P-256 point in base64url, to pass "
        "as `applicationServerKey` to `PushManager.subscribe`.",
    )


class PushKeysIn(Schema):
    p256dh: str = Field(..., description="The browser's public key: a P-256 point of 65 bytes, base64url.")
    auth: str = Field(..., description="The browser's authentication secret: 16 bytes, base64url.")


class PushSubscriptionIn(Schema):
    """What `PushSubscription.toJSON()` gives in the browser (`expirationTime` is ignored)."""

    endpoint: str = Field(..., description="The push service's address for this browser: a public https URL.")
    keys: PushKeysIn


class PushRenewalIn(Schema):
    old_endpoint: str = Field(
        ..., max_length=2000, description="The endpoint of the subscription the push service replaced."
    )
    old_auth: str = Field(..., max_length=100, description="That subscription's `auth` secret (base64url): the proof.")
    subscription: PushSubscriptionIn = Field(..., description="The new PushSubscription.")


class PushSubscriptionOut(Schema):
    endpoint: str
    device: str = Field(..., description="Which browser and system, from its User-Agent.")
    created_at: datetime.datetime
    last_success_at: datetime.datetime | None = Field(..., description="When this device last took a message.")


_BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari"))
_SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iOS"),
    ("iPad", "iPadOS"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)


def device_label(user_agent: str) -> str:
    """A short name for the device a person recognises in their list: "Firefox, Android"."""
    browser = next((name for mark, name in _BROWSERS if mark in user_agent), "")
    system = next((name for mark, name in _SYSTEMS if mark in user_agent), "")
    label = ", ".join(part for part in (browser, system) if part)
    return label or re.sub(r"\s+", " ", user_agent).strip()[:100]


@router.get(
    "/key", response={200: PushKeyOut, **errors(401)}, summary="The server's public key for push", url_name="push_key"
)
def push_key(request: HttpRequest) -> dict[str, str]:
    return {"public_key": selectors.vapid_public_key()}


@router.get(
    "/subscriptions",
    response={200: list[PushSubscriptionOut], **errors(401)},
    summary="Your devices that take push messages",
    url_name="push_subscriptions",
)
def list_subscriptions(request: HttpRequest) -> Any:
    return selectors.subscriptions_for(viewer=request.auth)


@router.post(
    "/subscriptions",
    response={200: PushSubscriptionOut, 201: PushSubscriptionOut, **errors(401, 422)},
    summary="Take push messages on this device",
    description="The browser's PushSubscription. 201 when it is new; 200 when this endpoint was known (its keys "
    "are updated, never a second device). A private or non-https endpoint, or keys of the wrong kind or length: "
    "422, nothing stored.",
    url_name="push_subscriptions",
)
def subscribe(request: HttpRequest, payload: PushSubscriptionIn) -> Any:
    subscription, created = services.push_subscribe(
        person=request.auth,
        endpoint=payload.endpoint,
        p256dh=payload.keys.p256dh,
        auth=payload.keys.auth,
        device=device_label(request.headers.get("User-Agent", "")),
        session_key=request.session.session_key if getattr(request, "session", None) else None,
    )
    return Status(201 if created else 200, subscription)


@router.post(
    "/renewals",
    response={204: None, **errors(404, 422)},
    auth=None,
    summary="A push service renewed this device's subscription",
    description="Sent by the push service worker on `pushsubscriptionchange`, without a login: the new "
    "subscription replaces the old one, for the same person and device. The old endpoint and its `auth` secret "
    "prove the caller holds it; not known, or a wrong secret: 404. A new subscription that is not valid: 422. "
    "Either way nothing changes.",
    url_name="push_renewals",
)
def renew(request: HttpRequest, payload: PushRenewalIn) -> Any:
    services.push_renew(
        old_endpoint=payload.old_endpoint,
        old_auth=payload.old_auth,
        endpoint=payload.subscription.endpoint,
        p256dh=payload.subscription.keys.p256dh,
        auth=payload.subscription.keys.auth,
    )
    return Status(204, None)


@router.delete(
    "/subscriptions",
    response={204: None, **errors(401, 404)},
    summary="No more push messages on this device",
    description="By endpoint. Someone else's, or one that is not there: 404.",
    url_name="push_subscriptions",
)
def unsubscribe(
    request: HttpRequest,
    endpoint: str = Query(..., description="The endpoint of the subscription, as it was subscribed."),
) -> Any:
    services.push_unsubscribe(person=request.auth, endpoint=endpoint)
    return Status(204, None)
