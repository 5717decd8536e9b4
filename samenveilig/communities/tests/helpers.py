"""Helpers for the communities tests."""

from typing import Any

from samenveilig.accounts import services as account_services
from samenveilig.communities.models import Membership, MembershipStatus
from samenveilig.core.permissions import Role
from samenveilig.core.testing import make_user


def bearer(user: Any) -> dict[str, str]:
    _token, key = account_services.token_create(user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def add_pending(community: Any, handle: str = "pia", first_name: str = "Pia") -> Membership:
    user = make_user(handle, first_name=first_name, last_name="Pending")
    return Membership.objects.create(
        community=community, user=user, role=Role.PARTICIPANT, status=MembershipStatus.PENDING, rules_version_accepted=1
    )


def membership(community: Any, user: Any) -> Membership:
    return Membership.objects.select_related("community", "user").get(community=community, user=user)
