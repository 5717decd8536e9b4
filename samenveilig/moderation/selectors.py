"""Reads of member conduct: a member's own steps, the steps with one member, the appeals someone may decide."""

from typing import Any

from samenveilig.communities import access as community_access
from samenveilig.communities.models import Community, Membership
from samenveilig.core.permissions import Need
from samenveilig.moderation import services
from samenveilig.moderation.models import Appeal, ConductStep


def my_steps(*, user: Any) -> list[ConductStep]:
    """Every step that concerns the person, in every community (also one they were removed from)."""
    return list(
        ConductStep.objects.filter(membership__user=user)
        .select_related("membership__community", "appeal")
        .order_by("-created_at", "-pk")
    )


def steps_with(*, membership: Membership, viewer: Any) -> list[ConductStep]:
    community_access.check_need(viewer, membership.community, Need.MODERATE)
    return list(ConductStep.objects.filter(membership=membership).select_related("appeal").order_by("created_at"))


def open_appeals(*, community: Community, viewer: Any) -> list[Appeal]:
    """Undecided appeals in the community that this person may decide."""
    found = Appeal.objects.filter(step__membership__community=community, outcome="").select_related(
        "step__membership__user", "step__membership__community"
    )
    return [appeal for appeal in found.order_by("created_at") if services.can_decide(appeal, viewer)]
