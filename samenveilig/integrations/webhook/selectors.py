"""Reads for partner webhooks. The caller has passed the gate (webhook.access) for the organisation."""

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from samenveilig.accounts.models import Organisation
from samenveilig.core import refcache
from samenveilig.integrations.webhook.models import WebhookEndpoint
from samenveilig.notifications.models import Channel, Delivery

HISTORY = 50  # deliveries shown per endpoint


def endpoint_of(organisation: Organisation) -> WebhookEndpoint | None:
    """The organisation's endpoint, switched on or off, or None when none is set."""
    return WebhookEndpoint.objects.filter(organisation=organisation).select_related("organisation", "set_by").first()


def active_endpoint(organisation_id: int) -> WebhookEndpoint | None:
    """Where the organisation's messages go now (the transport asks before each send), or None."""
    return WebhookEndpoint.objects.filter(organisation_id=organisation_id, active=True).first()


def organisations_with_endpoint(organisation_ids: Iterable[int]) -> list[int]:
    """Those of these organisations whose endpoint is switched on, in order. Every routed report asks, so the set
    of switched-on organisations is kept per process until an endpoint changes (core.refcache)."""
    ids = sorted(set(organisation_ids))
    if not ids:
        return []
    active = refcache.cached(("webhook.active",), _active_organisations)
    return [pk for pk in ids if pk in active]


def _active_organisations() -> frozenset[int]:
    return frozenset(WebhookEndpoint.objects.filter(active=True).values_list("organisation_id", flat=True))


def webhook_deliveries(organisation: Organisation, *, limit: int = HISTORY) -> list[Delivery]:
    """The organisation's last webhook deliveries, newest first, each with its message (kind, data, subject)."""
    found = Delivery.objects.filter(channel=Channel.WEBHOOK, notification__organisation=organisation)
    return list(found.select_related("notification__fanout").order_by("-created_at", "-pk")[:limit])


def endpoints_overview() -> QuerySet[Any]:
    """Every partner organisation with its endpoint, if any (for platform admins: the gate is the caller's)."""
    return Organisation.objects.select_related("webhook").order_by("kind", "name")
