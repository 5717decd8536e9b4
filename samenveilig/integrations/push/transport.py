"""Push messages to a person's browsers (Web Push): one request per device they subscribed, through its push service.

Each message is the JSON {"title", "body", "link", "key"}, encrypted for that browser per RFC 8291 (aes128gcm, with
pywebpush) and signed with the server's VAPID key per RFC 8292: the JWT's `aud` is the origin of that endpoint
(scheme://host[:port], as each push service checks its own), `sub` is SAMENVEILIG_VAPID_SUBJECT. Headers: `TTL`
(SAMENVEILIG_PUSH_TTL_S), `Urgency: high` for urgent messages and `normal` otherwise, and `Topic` derived from the
delivery's key, so a push service that still holds an earlier attempt of the same delivery replaces it (RFC 8030
§5.4); the service worker shows the key as the notification's tag, so a device that got both shows one.

Per device, by the push service's answer:
  2xx: delivered;  404, 410: the browser unsubscribed or the subscription expired, so that subscription is deleted;
  408, 429, 5xx, timeouts and connection errors: retry (after Retry-After when given);
  anything else (3xx: redirects are never followed, other 4xx): refused, for that device.
The endpoint is checked again before each send (check_public_url: a name may resolve to a private address later);
an endpoint refused there is retried, as a failed name look-up is usually passing.

The outcome: sent when at least one device took it; permanent("no device subscribed") when the person has no device
(left); otherwise retry when any device may take it later, else permanent.

This transport touches the database beyond reading the person's subscriptions in two small ways, on purpose: it
deletes a subscription its push service says is gone, and it notes when a device last took a message.
"""

import base64
import hashlib
import json
import logging
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.utils import timezone
from py_vapid import VapidException
from pywebpush import WebPushException, webpush

from samenveilig.core.errors import Invalid
from samenveilig.integrations.base import SENT, Message, Outcome, Transport, permanent, retry, retry_after_s
from samenveilig.integrations.endpoints import check_public_url
from samenveilig.integrations.push import vapid
from samenveilig.integrations.push.models import PushSubscription

logger = logging.getLogger(__name__)

TIMEOUT_S = (3.0, 6.0)  # connect, read: ten devices (services.MAX_DEVICES) stay well inside the worker's lease
JWT_LIFETIME_S = 12 * 3600  # RFC 8292 §2: at most 24 hours
MAX_PAYLOAD_BYTES = 3000  # push services take 4096 bytes after encryption; keep room for its overhead
GONE = (404, 410)
NO_DEVICE = "no device subscribed"


def origin(endpoint: str) -> str:
    """The origin of an endpoint as RFC 8292's `aud` wants it: scheme://host, with the port only when it is not the
    scheme's default."""
    parts = urlsplit(endpoint)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    port = parts.port
    default = {"https": 443, "http": 80}.get(parts.scheme)
    return f"{parts.scheme}://{host}" + (f":{port}" if port and port != default else "")


def topic(key: str) -> str:
    """A Topic header for a delivery's key: 32 characters of the base64url alphabet (RFC 8030 §5.4)."""
    return base64.urlsafe_b64encode(hashlib.sha256(key.encode()).digest()[:24]).decode()


def payload(message: Message) -> str:
    """The JSON the service worker shows; a long body is shortened to stay inside what push services carry."""
    body = message.body
    while True:
        shown = body if body == message.body else body.rstrip() + "…"
        data = json.dumps(
            {"title": message.title[:200], "body": shown, "link": message.link, "key": message.key},
            ensure_ascii=False,
        )
        if len(data.encode()) <= MAX_PAYLOAD_BYTES or not body:
            return data
        body = body[: len(body) * 3 // 4]


class _NoRedirects(requests.Session):
    """A push service answers itself; it never sends us on to an address nobody checked (check_public_url)."""

    def request(self, *args: Any, **kwargs: Any) -> requests.Response:
        kwargs["allow_redirects"] = False
        return super().request(*args, **kwargs)


@dataclass(frozen=True)
class _Result:
    state: str  # "sent", "gone", "retry", "refused"
    error: str = ""
    after: float | None = None


class PushTransport(Transport):
    channel = "push"
    max_attempts = 8

    def send(self, message: Message) -> Outcome:
        devices = list(PushSubscription.objects.filter(person=message.recipient).order_by("pk"))
        if not devices:
            return permanent(NO_DEVICE)
        data = payload(message)
        headers = {
            "Content-Type": "application/octet-stream",  # the encrypted body (web-push-testing needs it said)
            "Urgency": "high" if message.urgent else "normal",
            "Topic": topic(message.key),
        }
        results: list[_Result] = []
        with _NoRedirects() as session:
            for device in devices:
                result = self._send_one(device, data, headers, session)
                results.append(result)
                if result.state == "sent":
                    # The one write besides removing gone subscriptions: when this device last took a message.
                    PushSubscription.objects.filter(pk=device.pk).update(last_success_at=timezone.now())
                elif result.state == "gone":
                    # The push service says this browser is no longer subscribed: forget it (RFC 8030 §7.3).
                    PushSubscription.objects.filter(pk=device.pk, endpoint=device.endpoint).delete()
                else:
                    logger.info("push to device %s (%s): %s", device.pk, urlsplit(device.endpoint).hostname, result)
        if any(r.state == "sent" for r in results):
            return SENT
        if (
            any(r.state == "gone" for r in results)
            and not PushSubscription.objects.filter(person=message.recipient).exists()
        ):
            return permanent(NO_DEVICE)
        errors = "; ".join(r.error for r in results if r.error)
        waits = [r for r in results if r.state == "retry"]
        if waits:
            afters = [r.after for r in waits if r.after is not None]
            return retry(errors, max(afters) if afters else None)
        return permanent(errors)

    def _send_one(self, device: PushSubscription, data: str, headers: dict[str, str], session: Any) -> _Result:
        name = f"device {device.pk}"
        try:
            check_public_url(device.endpoint, field="endpoint", code="push.invalid")
        except Invalid:
            return _Result("retry", f"{name}: endpoint not found or not public")
        claims: dict[str, str | int] = {
            "sub": settings.PUSH_VAPID_SUBJECT,
            "aud": origin(device.endpoint),
            "exp": int(time.time()) + JWT_LIFETIME_S,
        }
        try:
            webpush(
                {"endpoint": device.endpoint, "keys": {"p256dh": device.p256dh, "auth": device.auth}},
                data=data,
                vapid_private_key=vapid.signer(settings.PUSH_VAPID_PRIVATE_KEY),
                vapid_claims=claims,
                ttl=settings.PUSH_TTL_S,
                headers=dict(headers),
                timeout=TIMEOUT_S,  # type: ignore[arg-type] - requests takes (connect, read)
                requests_session=session,
            )
        except WebPushException as exc:
            status = exc.status_code
            if status is None:
                return _Result("refused", f"{name}: {exc.message}"[:300])
            if 200 <= status < 300:
                return _Result("sent")
            if status in GONE:
                return _Result("gone", f"{name}: HTTP {status}")
            if status in (408, 429) or status >= 500:
                return _Result("retry", f"{name}: HTTP {status}", retry_after_s(exc.retry_after))
            return _Result("refused", f"{name}: HTTP {status}")
        except requests.RequestException as exc:
            return _Result("retry", f"{name}: {type(exc).__name__}")
        except (VapidException, ValueError, TypeError) as exc:  # a claim py_vapid refuses, a key that does not load
            return _Result("refused", f"{name}: {type(exc).__name__}: {exc}"[:300])
        return _Result("sent")
