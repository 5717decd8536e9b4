"""What every transport is and returns (see the package text)."""

import datetime
import email.utils
from dataclasses import dataclass
from typing import Any, ClassVar

from django.utils import timezone


@dataclass(frozen=True)
class Outcome:
    """How one send went: `sent`; or not, with the error, and whether to retry (after `retry_after` seconds when
    the other side said so, e.g. Retry-After)."""

    sent: bool
    error: str = ""
    retry: bool = False
    retry_after: float | None = None


SENT = Outcome(sent=True)


def retry(error: str, after: float | None = None) -> Outcome:
    return Outcome(sent=False, error=error[:1000], retry=True, retry_after=after)


def retry_after_s(value: str | None) -> float | None:
    """An HTTP Retry-After header in seconds from now: a number of seconds, or an HTTP date; None when absent or
    unreadable (then our own back-off applies)."""
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.UTC)
    return max((when - timezone.now()).total_seconds(), 0.0)


def permanent(error: str) -> Outcome:
    return Outcome(sent=False, error=error[:1000], retry=False)


@dataclass(frozen=True)
class Message:
    """What a transport sends: the rendered text in the recipient's language, and the de-duplication key."""

    key: str  # the same for every attempt of one delivery: a channel that takes it never delivers twice
    recipient: Any  # the user
    title: str
    body: str
    link: str  # absolute URL, or ""
    urgent: bool
    # What the message is, for channels that pass it on as data (a partner's webhook); empty for the others.
    kind: str = ""
    urgency: str = ""
    created_at: datetime.datetime | None = None
    subject_type: str = ""
    subject_code: str = ""
    path: str = ""  # the link within the site ("/meldingen/…"), also when no SITE_URL makes it absolute
    organisation_id: int | None = None  # a partner organisation's message (its webhook); `recipient` is then None


class Transport:
    channel: ClassVar[str]
    max_attempts: ClassVar[int] = 8

    def send(self, message: Message) -> Outcome:  # pragma: no cover - every transport implements it
        raise NotImplementedError
