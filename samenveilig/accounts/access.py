"""Permission gates for accounts objects (CONVENTIONS §4): missing and forbidden both raise NotFound."""

from typing import Any
from uuid import UUID

from samenveilig.accounts.models import Organisation, StaffMembership
from samenveilig.core.errors import NotFound


def access_organisation(user: Any, code: UUID | str) -> Organisation:
    """The partner organisation with this public code, if `user` is on its staff; else NotFound.

    Only staff see an organisation's own page (its staff list is personal data); everyone else, including admins
    browsing the site, gets the same answer as for an organisation that does not exist."""
    if not getattr(user, "is_authenticated", False):
        raise NotFound()
    try:
        organisation = Organisation.objects.get(code=code)
    except (Organisation.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc
    if not StaffMembership.objects.filter(organisation=organisation, user=user).exists():
        raise NotFound()
    return organisation
