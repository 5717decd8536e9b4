"""Reads for push messages: the server's public key for the browser, and a person's devices."""

from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from samenveilig.integrations.push import vapid
from samenveilig.integrations.push.models import PushSubscription


def vapid_public_key() -> str:
    """The applicationServerKey a browser subscribes with: base64url of the uncompressed P-256 point."""
    return vapid.public_key(settings.PUSH_VAPID_PRIVATE_KEY)


def subscriptions_for(*, viewer: Any) -> QuerySet[PushSubscription]:
    """The viewer's own devices, newest first."""
    return PushSubscription.objects.filter(person=viewer).order_by("-created_at", "-id")


def has_device(person: Any) -> bool:
    """Whether the person has at least one device that takes push messages."""
    return PushSubscription.objects.filter(person=person).exists()
