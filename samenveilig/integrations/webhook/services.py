"""Writes for partner webhooks: a platform admin sets an organisation's endpoint, rotates its secret, switches it off
and on, or removes it. Each change is audited (on the organisation; never with the secret).

The address comes from outside, so it is checked before anything is stored (integrations.endpoints): a public https
URL whose host resolves to public addresses only; otherwise Invalid with a clear message and nothing changes. The
transport checks it again before every send."""

import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samenveilig.accounts.models import Organisation
from samenveilig.core.audit import audit_record
from samenveilig.core.errors import Invalid, NotFound
from samenveilig.integrations.endpoints import check_public_url
from samenveilig.integrations.webhook.models import WebhookEndpoint

CODE = "webhook.invalid"
SECRET_BYTES = 32


def new_secret() -> str:
    """A signing secret: 32 random bytes, written as 64 hexadecimal characters (the HMAC key is this text)."""
    return secrets.token_hex(SECRET_BYTES)


def _check_url(url: Any) -> str:
    if not isinstance(url, str) or not url.strip():
        message = _("Give a complete https address (https://…).")
        raise Invalid(message, code=CODE, fields={"url": [message]})
    if len(url.strip()) > WebhookEndpoint._meta.get_field("url").max_length:
        message = _("The address is too long (at most %(max)s characters).") % {
            "max": WebhookEndpoint._meta.get_field("url").max_length
        }
        raise Invalid(message, code=CODE, fields={"url": [message]})
    return check_public_url(url, field="url", code=CODE)


class NotSet(NotFound):
    """The organisation has no webhook (to read, rotate or remove)."""

    default_code = "webhook.not_set"
    default_message = gettext_lazy("This organisation has no webhook.")


def webhook_set(*, organisation: Organisation, url: str, active: bool = True, by: Any) -> WebhookEndpoint:
    """Set or replace the organisation's endpoint address (switched on unless `active` is False). A new endpoint
    gets a new secret; replacing the address keeps the secret, so the partner's receiver keeps verifying."""
    url = _check_url(url)  # before the transaction: it looks the host up
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.select_for_update().filter(organisation=organisation).first()
        previous = endpoint.url if endpoint else ""
        was_active = endpoint.active if endpoint else False
        if endpoint is None:
            endpoint = WebhookEndpoint(
                organisation=organisation, secret=new_secret(), secret_set_at=timezone.now(), url=url
            )
        endpoint.url, endpoint.active, endpoint.set_by = url, active, by
        endpoint.save()
        if (url, active) != (previous, was_active):
            audit_record(
                actor=by, action="webhook.set", obj=organisation, url=url, previous_url=previous, active=active
            )
    return endpoint


@transaction.atomic
def webhook_rotate_secret(*, organisation: Organisation, by: Any) -> WebhookEndpoint:
    """A new signing secret, used from the next send on (also for retries of earlier messages)."""
    endpoint = WebhookEndpoint.objects.select_for_update().filter(organisation=organisation).first()
    if endpoint is None:
        raise NotSet()
    endpoint.secret, endpoint.secret_set_at, endpoint.set_by = new_secret(), timezone.now(), by
    endpoint.save()
    audit_record(actor=by, action="webhook.secret_rotated", obj=organisation, url=endpoint.url)
    return endpoint


@transaction.atomic
def webhook_switch(*, organisation: Organisation, active: bool, by: Any) -> WebhookEndpoint:
    """Switch the endpoint off (no new messages are written for it; waiting ones are given up) or on again."""
    endpoint = WebhookEndpoint.objects.select_for_update().filter(organisation=organisation).first()
    if endpoint is None:
        raise NotSet()
    if endpoint.active != active:
        endpoint.active, endpoint.set_by = active, by
        endpoint.save()
        action = "webhook.switched_on" if active else "webhook.switched_off"
        audit_record(actor=by, action=action, obj=organisation, url=endpoint.url)
    return endpoint


@transaction.atomic
def webhook_remove(*, organisation: Organisation, by: Any) -> bool:
    """Forget the endpoint with its address and secret; True when there was one."""
    endpoint = WebhookEndpoint.objects.select_for_update().filter(organisation=organisation).first()
    if endpoint is None:
        return False
    audit_record(actor=by, action="webhook.removed", obj=organisation, url=endpoint.url)
    endpoint.delete()
    return True
