"""Messages to a partner organisation's own system: one signed JSON POST to the organisation's webhook endpoint
(docs/webhooks.md has the contract for the receiving side).

Body: {"id", "kind", "urgency", "created_at", "title", "body", "link", "subject": {"type", "code"}}, the text in
Dutch (the worker renders it in the default language). Headers: `Content-Type: application/json`, `User-Agent:
SamenVeilig-Webhook/1`, `X-Samenveilig-Delivery: <id>` (the delivery's key: the same on every attempt, so the
receiver drops a duplicate), `X-Samenveilig-Timestamp: <unix seconds of this attempt>` and
`X-Samenveilig-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>`.

The answer: 2xx sent; 410 Gone permanent (the receiver says it no longer takes messages); 408, 429, 5xx, timeouts
and network errors retried (after Retry-After, seconds or an HTTP date, when given); redirects are never followed
(3xx is permanent: the admin sets the new address); any other 4xx permanent.

The endpoint is looked up and checked (check_public_url) before every send, and the connection itself goes only to
an address that passed the same rule, looked up once for both: a host name that resolves to a public address for
the check and to an internal one a moment later (DNS rebinding) gets nothing."""

import hashlib
import hmac
import http.client
import json
import socket
import time
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings

from samenveilig.core.errors import Invalid
from samenveilig.integrations.base import SENT, Message, Outcome, Transport, permanent, retry, retry_after_s
from samenveilig.integrations.endpoints import _refused, check_public_url
from samenveilig.integrations.webhook import selectors

TIMEOUT_S = 10.0
MAX_ANSWER_BYTES = 64 * 1024  # what we read of an answer (we only need its status)
USER_AGENT = "SamenVeilig-Webhook/1"
SIGNATURE_VERSION = "v1"


def payload(message: Message) -> dict[str, Any]:
    """The JSON object sent for one message."""
    return {
        "id": message.key,
        "kind": message.kind,
        "urgency": message.urgency,
        "created_at": message.created_at.isoformat() if message.created_at else None,
        "title": message.title,
        "body": message.body,
        "link": message.link or message.path,
        "subject": {"type": message.subject_type, "code": message.subject_code},
    }


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """The signature header's value: `v1=` and the hex HMAC-SHA256, keyed with the secret's text (UTF-8), of the
    timestamp, a full stop and the raw body."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"{SIGNATURE_VERSION}={digest}"


def _connect_checked(
    address: tuple[str, int], timeout: Any = socket._GLOBAL_DEFAULT_TIMEOUT, source_address: Any = None
) -> socket.socket:
    """socket.create_connection, but only to addresses that are public (unless private endpoints are allowed for
    tests): the host is looked up once, every address checked, and the connection made to a checked address."""
    host, port = address
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    if not settings.ALLOW_PRIVATE_ENDPOINTS:
        if refused := sorted({info[4][0] for info in found if _refused(info[4][0])}):
            raise ConnectionRefusedError(f"{host} resolves to a non-public address ({', '.join(refused)})")
    error: OSError | None = None
    for family, kind, proto, _name, sockaddr in found:
        sock = socket.socket(family, kind, proto)
        try:
            if timeout is not socket._GLOBAL_DEFAULT_TIMEOUT:
                sock.settimeout(timeout)
            if source_address:
                sock.bind(source_address)
            sock.connect(sockaddr)
            return sock
        except OSError as exc:
            error = exc
            sock.close()
    raise error or OSError(f"no address for {host}")


def post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, http.client.HTTPMessage]:
    """POST and return the status and headers of the answer. http.client never follows a redirect, reads no proxy
    settings from the environment, and verifies https certificates against the system's store."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    https = parts.scheme == "https"
    connection_class = http.client.HTTPSConnection if https else http.client.HTTPConnection
    # The port always given: http.client would read the last part of a bare IPv6 address as one.
    connection = connection_class(host, parts.port or (443 if https else 80), timeout=TIMEOUT_S)
    connection._create_connection = _connect_checked  # type: ignore[attr-defined] - the seam http.client offers
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("POST", target, body=body, headers=headers)
        answer = connection.getresponse()
        answer.read(MAX_ANSWER_BYTES)
        return answer.status, answer.headers
    finally:
        connection.close()


class WebhookTransport(Transport):
    channel = "webhook"
    max_attempts = 10

    def send(self, message: Message) -> Outcome:
        if message.organisation_id is None:
            return permanent("not a message for a partner organisation")
        endpoint = selectors.active_endpoint(message.organisation_id)
        if endpoint is None:
            return permanent("the organisation has no webhook switched on")
        try:
            url = check_public_url(endpoint.url)
        except Invalid as exc:  # usually a name look-up that fails for a while: retried, then a dead letter
            return retry(f"address refused: {exc.message}")
        secret = endpoint.secret
        if secret is None:  # retried: once an admin makes a new secret, the message goes out signed with it
            return retry("the signing secret cannot be opened with SAMENVEILIG_WEBHOOK_KEY; make a new secret")
        body = json.dumps(payload(message), ensure_ascii=False, separators=(",", ":")).encode()
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "X-Samenveilig-Delivery": message.key,
            "X-Samenveilig-Timestamp": timestamp,
            "X-Samenveilig-Signature": signature(secret, timestamp, body),
        }
        try:
            status, answer = post(url, body, headers)
        except (OSError, http.client.HTTPException) as exc:  # timeouts, refused, TLS, a broken answer
            return retry(f"{type(exc).__name__}: {exc}")
        if 200 <= status < 300:
            return SENT
        detail = f"HTTP {status}"
        if status == 410:
            return permanent(f"{detail}: the receiver no longer takes messages")
        if status in (408, 429) or status >= 500:
            return retry(detail, retry_after_s(answer.get("Retry-After")))
        if 300 <= status < 400:
            where = answer.get("Location", "")
            return permanent(f"{detail}: redirect to {where or '?'} not followed; set the new address")
        return permanent(detail)
