"""Writes for push messages: a browser subscribes (its PushSubscription stored for the signed-in person),
unsubscribes, and renews a subscription its push service replaced.

A subscription comes from the browser, so it is checked before anything is stored: the endpoint must be a public
https URL (integrations.endpoints: the platform would otherwise post to addresses inside its own network), and the
keys must be what RFC 8291 encrypts with: `p256dh` an uncompressed P-256 point (65 bytes), `auth` 16 bytes, both
base64url. An invalid one is refused with a clear message and nothing changes."""

import base64
import binascii
import hashlib
import hmac
import re
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec
from django.db import transaction
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from samenveilig.core.errors import Invalid, NotFound
from samenveilig.integrations.endpoints import check_public_url
from samenveilig.integrations.push.models import PushSubscription

MAX_DEVICES = 10  # per person: the oldest goes when an eleventh subscribes (browsers reinstalled, phones replaced)
CODE = "push.invalid"
_BASE64URL = re.compile(r"[A-Za-z0-9_-]+={0,2}")


def _base64url(value: str) -> bytes | None:
    """The bytes of a base64url text (padding optional), or None when it is not base64url."""
    if not isinstance(value, str) or not _BASE64URL.fullmatch(value):
        return None
    bare = value.rstrip("=")
    if len(bare) % 4 == 1:
        return None
    try:
        return base64.urlsafe_b64decode(bare + "=" * (-len(bare) % 4))
    except (binascii.Error, ValueError):
        return None


def _is_p256_point(raw: bytes | None) -> bool:
    if raw is None or len(raw) != 65 or raw[0] != 4:
        return False
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)  # refuses a point not on the curve
    except ValueError:
        return False
    return True


def _check_subscription(endpoint: str, p256dh: str, auth: str) -> str:
    """The cleaned endpoint, or Invalid with a message per wrong part."""
    if len(endpoint) > PushSubscription._meta.get_field("endpoint").max_length:
        message = _("The address of the push service is too long.")
        raise Invalid(message, code=CODE, fields={"endpoint": [message]})
    endpoint = check_public_url(endpoint, field="endpoint", code=CODE)
    fields: dict[str, list[str]] = {}
    if not _is_p256_point(_base64url(p256dh)):
        fields["keys.p256dh"] = [
            _("The key of the browser (p256dh) must be a public P-256 key of 65 bytes, written in base64url.")
        ]
    raw_auth = _base64url(auth)
    if raw_auth is None or len(raw_auth) != 16:
        fields["keys.auth"] = [_("The secret of the browser (auth) must be 16 bytes, written in base64url.")]
    if fields:
        raise Invalid(_("This push subscription is not valid; nothing was stored."), code=CODE, fields=fields)
    return endpoint


def session_hash(session_key: str | None) -> str:
    return hashlib.sha256(session_key.encode()).hexdigest() if session_key else ""


@transaction.atomic
def push_subscribe(
    *, person: Any, endpoint: str, p256dh: str, auth: str, device: str = "", session_key: str | None = None
) -> tuple[PushSubscription, bool]:
    """Store the browser's subscription for `person`; returns it and whether it is new. The same endpoint again
    updates its row (new keys, another label), never a second row; if another person had it, the device is now
    this person's (the browser's last signed-in user gets its messages, not the one before)."""
    endpoint = _check_subscription(endpoint, p256dh, auth)
    PushSubscription.objects.filter(endpoint=endpoint).exclude(person=person).delete()
    subscription, created = PushSubscription.objects.update_or_create(
        endpoint=endpoint,
        defaults={
            "person": person,
            "p256dh": p256dh.rstrip("="),
            "auth": auth.rstrip("="),
            "device": device[:100],
            "session_hash": session_hash(session_key),
        },
    )
    stale = PushSubscription.objects.filter(person=person).order_by(
        Coalesce("last_success_at", "created_at").desc(), "-id"
    )[MAX_DEVICES:]  # the ones used longest ago
    PushSubscription.objects.filter(pk__in=list(stale.values_list("pk", flat=True))).delete()
    return subscription, created


@transaction.atomic
def push_renew(*, old_endpoint: str, old_auth: str, endpoint: str, p256dh: str, auth: str) -> PushSubscription:
    """A push service replaced a browser's subscription (`pushsubscriptionchange`; the old endpoint stops working):
    the new endpoint and keys take the old one's place, for the same person, device and session. No login: the
    browser's service worker proves it holds the old subscription with its endpoint and its `auth` secret, which
    only that browser and this server know (not even the push service). A new subscription that is not valid:
    Invalid, nothing changed; an old one that is not there or a wrong secret: NotFound, nothing changed."""
    endpoint = _check_subscription(endpoint, p256dh, auth)
    subscription = PushSubscription.objects.select_for_update().filter(endpoint=old_endpoint.strip()).first()
    if subscription is None or not hmac.compare_digest(subscription.auth.encode(), old_auth.rstrip("=").encode()):
        raise NotFound()
    PushSubscription.objects.filter(endpoint=endpoint).exclude(pk=subscription.pk).delete()
    subscription.endpoint, subscription.p256dh, subscription.auth = endpoint, p256dh.rstrip("="), auth.rstrip("=")
    subscription.save(update_fields=["endpoint", "p256dh", "auth"])
    return subscription


def push_unsubscribe(*, person: Any, endpoint: str) -> None:
    """This browser takes no more push messages for `person`. Not theirs, or not there: NotFound."""
    deleted, _rows = PushSubscription.objects.filter(person=person, endpoint=endpoint.strip()).delete()
    if not deleted:
        raise NotFound()


def push_end_session(*, person: Any, session_key: str | None) -> int:
    """A person logged out: the devices they subscribed in that browser session take no more of their messages.
    Returns how many were removed."""
    if not session_key:
        return 0
    deleted, _rows = PushSubscription.objects.filter(person=person, session_hash=session_hash(session_key)).delete()
    return deleted
