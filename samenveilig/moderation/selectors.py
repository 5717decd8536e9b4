"""Reads of member conduct: a member's own steps, the steps with one member, the appeals someone may decide."""

from typing import Any

from django.db.models import Count

from samenveilig.communities import access as community_access
from samenveilig.communities.models import Community, Membership
from samenveilig.core import refcache
from samenveilig.core.permissions import Need
from samenveilig.moderation import checks, services
from samenveilig.moderation.models import Appeal, ConductStep, ModerationSettings


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


def skipped_checks(community: Community) -> frozenset[str]:
    """The checks this community switched off (a social group: `irrelevant`). Asked for every text, so kept per
    process until a community's settings change (core.refcache; ModerationConfig.ready watches the model)."""

    def compute() -> frozenset[str]:
        found = ModerationSettings.objects.filter(community_id=community.pk).values_list("check_irrelevant", flat=True)
        return frozenset({checks.IRRELEVANT}) if found.first() is False else frozenset()

    return refcache.cached(("moderation.skipped", community.pk), compute)


def settings_of(*, community: Community, viewer: Any) -> ModerationSettings:
    """The community's moderation choices (the defaults when it has made none), for its coordinators."""
    community_access.check_need(viewer, community, Need.MODERATE)
    return ModerationSettings.objects.filter(community=community).first() or ModerationSettings(community=community)


# --- for the municipality's overview (conversation.selectors.community_signals) ---------------------------------------
def open_appeal_counts(community_ids: list[int]) -> dict[int, int]:
    """Undecided appeals per community, in one query."""
    return dict(
        Appeal.objects.filter(step__membership__community_id__in=community_ids, outcome="")
        .values("step__membership__community_id")
        .annotate(n=Count("pk"))
        .values_list("step__membership__community_id", "n")
    )
