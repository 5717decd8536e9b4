"""Text messages through an SMS gateway's HTTP API: one adapter with a configurable URL and key
(SAMENVEILIG_SMS_URL, SAMENVEILIG_SMS_KEY). It POSTs JSON {"to", "text", "reference"} with `Authorization: Bearer
<key>` and `Idempotency-Key: <reference>`, so a gateway that honours the key never sends a retry twice.

2xx: sent. 408, 429 and 5xx, timeouts and connection errors: retried (after Retry-After when given). Any other
4xx (a refused number, a bad key): permanent."""

import json
import urllib.error
import urllib.request

from django.conf import settings

from samenveilig.integrations.base import SENT, Message, Outcome, Transport, permanent, retry, retry_after_s

TIMEOUT_S = 10
MAX_TEXT = 480  # three SMS parts


class SmsTransport(Transport):
    channel = "sms"
    max_attempts = 10

    def send(self, message: Message) -> Outcome:
        if not settings.SMS_URL:
            return permanent("no SMS gateway configured")
        number = getattr(message.recipient, "phone", "")
        if not number:
            return permanent("no phone number")
        text = f"{message.title}\n{message.body}".strip()
        if message.link:
            text = f"{text}\n{message.link}"
        body = json.dumps({"to": number, "text": text[:MAX_TEXT], "reference": message.key}).encode()
        request = urllib.request.Request(  # noqa: S310 - the URL is the administrator's setting
            settings.SMS_URL,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {settings.SMS_KEY}",
                "Idempotency-Key": message.key,
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_S):  # noqa: S310
                return SENT
        except urllib.error.HTTPError as exc:
            detail = f"HTTP {exc.code}"
            if exc.code in (408, 429) or exc.code >= 500:
                return retry(detail, retry_after_s(exc.headers.get("Retry-After")))
            return permanent(detail)
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            return retry(f"{type(exc).__name__}: {exc}")
