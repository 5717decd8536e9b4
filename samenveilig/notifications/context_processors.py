"""What the navigation of every page needs: the number of unread messages, whether to show the partner inbox and the
municipality's overview of signals."""

import functools
from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def nav(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_unread": 0, "nav_partner": False, "nav_municipality": False}

    def unread() -> int:
        from samenveilig.notifications.selectors import unread_count

        return unread_count(user)

    @functools.cache
    def staff_kinds() -> frozenset[str]:  # one query for both links below, and only when the navigation is shown
        from samenveilig.accounts.models import StaffMembership

        return frozenset(StaffMembership.objects.filter(user=user).values_list("organisation__kind", flat=True))

    def partner() -> bool:
        return bool(staff_kinds())

    def municipality() -> bool:  # the overview of signals from the conversations (overview:signals)
        from samenveilig.core.permissions import OrganisationKind

        return user.is_superuser or OrganisationKind.MUNICIPALITY in staff_kinds()

    # Lazy: pages that do not render the navigation (JSON answers, redirects) run no query.
    return {
        "nav_unread": SimpleLazyObject(unread),
        "nav_partner": SimpleLazyObject(partner),
        "nav_municipality": SimpleLazyObject(municipality),
    }
