"""Partner webhooks in the API: /api/v1/organisations/{code}/webhook. Platform admins read, set, rotate and remove
any organisation's webhook; the organisation's own staff may read theirs, without the secret. Anyone else gets 404,
as for an organisation that does not exist. docs/webhooks.md describes what the endpoint receives."""

import datetime
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from samenveilig.core.api import errors
from samenveilig.integrations.webhook import access, selectors, services
from samenveilig.integrations.webhook.models import WebhookEndpoint

router = Router(tags=["webhooks"])


class WebhookIn(Schema):
    url: str = Field(
        ...,
        description="Where the organisation's system takes the messages: a public https URL (no private, loopback "
        "or link-local address, also not after the name is looked up). Redirects are not followed.",
    )
    active: bool = Field(True, description="Switched on: messages for the organisation are sent to it.")


class WebhookOut(Schema):
    organisation: UUID = Field(..., description="The organisation's public code.")
    url: str
    active: bool
    secret: str | None = Field(
        ...,
        description="The signing secret (64 hexadecimal characters; the HMAC key is this text). Platform admins "
        "only; null for the organisation's staff.",
    )
    secret_set_at: datetime.datetime
    created_at: datetime.datetime
    updated_at: datetime.datetime


def _out(endpoint: WebhookEndpoint, viewer: Any) -> dict[str, Any]:
    return {
        "organisation": endpoint.organisation.code,
        "url": endpoint.url,
        "active": endpoint.active,
        "secret": endpoint.secret if access.is_platform_admin(viewer) else None,
        "secret_set_at": endpoint.secret_set_at,
        "created_at": endpoint.created_at,
        "updated_at": endpoint.updated_at,
    }


@router.get(
    "/{code}/webhook",
    response={200: WebhookOut, **errors(401, 404)},
    summary="An organisation's webhook (admins; the organisation's staff without the secret)",
    description='404 with code "webhook.not_set" when the organisation has none.',
)
def get_webhook(request: HttpRequest, code: UUID) -> dict[str, Any]:
    organisation = access.access_webhook_organisation(request.auth, code)
    endpoint = selectors.endpoint_of(organisation)
    if endpoint is None:
        raise services.NotSet()
    return _out(endpoint, request.auth)


@router.put(
    "/{code}/webhook",
    response={200: WebhookOut, **errors(401, 403, 404, 422)},
    summary="Set or replace an organisation's webhook (admins)",
    description="A new webhook gets a new signing secret; a new address keeps it. A refused address (not https, "
    'a private address, a name that cannot be found) is 422 with code "webhook.invalid", and nothing changes.',
)
def put_webhook(request: HttpRequest, code: UUID, payload: WebhookIn) -> dict[str, Any]:
    organisation = access.access_webhook_organisation(request.auth, code, manage=True)
    endpoint = services.webhook_set(organisation=organisation, url=payload.url, active=payload.active, by=request.auth)
    return _out(endpoint, request.auth)


@router.delete(
    "/{code}/webhook",
    response={204: None, **errors(401, 403, 404)},
    summary="Remove an organisation's webhook, with its address and secret (admins)",
)
def delete_webhook(request: HttpRequest, code: UUID) -> Status:
    organisation = access.access_webhook_organisation(request.auth, code, manage=True)
    if not services.webhook_remove(organisation=organisation, by=request.auth):
        raise services.NotSet()
    return Status(204, None)


@router.post(
    "/{code}/webhook/rotate-secret",
    response={200: WebhookOut, **errors(401, 403, 404)},
    summary="Give an organisation's webhook a new signing secret (admins)",
    description="The new secret signs every send from now on, retries of earlier messages too.",
)
def rotate_secret(request: HttpRequest, code: UUID) -> dict[str, Any]:
    organisation = access.access_webhook_organisation(request.auth, code, manage=True)
    return _out(services.webhook_rotate_secret(organisation=organisation, by=request.auth), request.auth)
