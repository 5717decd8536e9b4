"""Permission gates for partner webhooks (CONVENTIONS §4).

Platform admins (superusers, as on the delivery operations page) set, rotate and switch off any organisation's
webhook. The organisation's own staff may look at it (address, state, delivery history; never the secret) but not
change it. Everyone else gets the answer of an organisation that does not exist."""

from typing import Any
from uuid import UUID

from samenveilig.accounts.models import Organisation, StaffMembership
from samenveilig.core.errors import Forbidden, NotFound


def is_platform_admin(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_superuser", False))


def access_webhook_organisation(user: Any, code: UUID | str, *, manage: bool = False) -> Organisation:
    """The organisation with this public code, if `user` is a platform admin or (to read, `manage=False`) on its
    staff. Staff who try to change it get Forbidden (they can see it); anyone else NotFound."""
    if not getattr(user, "is_authenticated", False):
        raise NotFound()
    try:
        organisation = Organisation.objects.get(code=code)
    except (Organisation.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc
    if is_platform_admin(user):
        return organisation
    if not StaffMembership.objects.filter(organisation=organisation, user=user).exists():
        raise NotFound()
    if manage:
        raise Forbidden()
    return organisation


def access_webhook_overview(user: Any) -> None:
    """Only platform admins see every organisation's webhook."""
    if not is_platform_admin(user):
        raise NotFound()
