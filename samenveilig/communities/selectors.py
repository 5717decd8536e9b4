"""Reads for communities, scoped to the viewer: the public list, a person's own communities, members' first
names, and "which communities cover this point" (an H3 cell look-up, see areas.selectors.owners_covering)."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from django.db.models import Count, Q, QuerySet

from samenveilig.accounts.models import Organisation
from samenveilig.areas import selectors as area_selectors
from samenveilig.communities.models import (
    Community,
    CommunityCell,
    HouseRules,
    Invite,
    Membership,
    MembershipStatus,
    PhaseChange,
)
from samenveilig.core.permissions import Role

ACTIVE = MembershipStatus.ACTIVE


def _with_counts(qs: QuerySet[Community]) -> QuerySet[Community]:
    return (
        qs.select_related("municipality")
        .defer("geometry", "municipality__geometry")
        .annotate(member_count=Count("memberships", filter=Q(memberships__status=ACTIVE), distinct=True))
    )


def communities_public_list(
    *,
    municipality: str | None = None,
    kind: str | None = None,
    phase: int | None = None,
    search: str | None = None,
) -> QuerySet[Community]:
    """Every community with what a stranger may see (no geometry, the active member count as a number), filtered
    by municipality code, type, phase and a search in name and description. One query."""
    qs = _with_counts(Community.objects.all())
    if municipality:
        qs = qs.filter(municipality__code=municipality)
    if kind:
        qs = qs.filter(kind=kind)
    if phase:
        qs = qs.filter(phase=phase)
    if search and search.strip():
        term = search.strip()[:100]
        qs = qs.filter(Q(name__icontains=term) | Q(description__icontains=term))
    return qs.order_by("name", "pk")


def community_ids_for_user(user: Any) -> set[int]:
    """The ids of the communities the person is an active or pending member of, or whose partner they work for."""
    if not getattr(user, "is_authenticated", False):
        return set()
    member_of = Membership.objects.filter(
        user=user, status__in=[MembershipStatus.ACTIVE, MembershipStatus.PENDING]
    ).values_list("community_id", flat=True)
    partner_of = Community.objects.filter(partnership__organisation__staff__user=user).values_list("pk", flat=True)
    return set(member_of) | set(partner_of)


def communities_for_user(user: Any) -> QuerySet[Community]:
    """The person's own communities (active or pending membership, or a partner they work for), by name."""
    if not getattr(user, "is_authenticated", False):
        return Community.objects.none()
    mine = Q(memberships__user=user, memberships__status__in=[ACTIVE, MembershipStatus.PENDING]) | Q(
        partnership__organisation__staff__user=user
    )
    ids = Community.objects.filter(mine).values("pk")
    return _with_counts(Community.objects.filter(pk__in=ids)).order_by("name", "pk")


def memberships_of(user: Any) -> dict[int, Membership]:
    """The person's active and pending memberships, by community id."""
    if not getattr(user, "is_authenticated", False):
        return {}
    statuses = [MembershipStatus.ACTIVE, MembershipStatus.PENDING]
    return {m.community_id: m for m in Membership.objects.filter(user=user, status__in=statuses)}


def join_requests_to_decide(user: Any) -> list[Community]:
    """The communities the person coordinates where people wait to be admitted, each with `asking` (how many)."""
    coordinated = Membership.objects.filter(user=user, role=Role.COORDINATOR, status=ACTIVE).values("community_id")
    return list(
        Community.objects.filter(pk__in=coordinated)
        .annotate(asking=Count("memberships", filter=Q(memberships__status=MembershipStatus.PENDING)))
        .filter(asking__gt=0)
        .order_by("name", "pk")
    )


def communities_covering(*, lat: float, lon: float, margin_m: float = 0) -> list[Community]:
    """The communities whose area contains the point (or lies within `margin_m` metres of it): a look-up in the
    communities' H3 cell cover, then an exact polygon test (areas.selectors.owners_covering)."""
    return area_selectors.owners_covering(
        cell_model=CommunityCell, owner_field="community", lat=lat, lon=lon, margin_m=margin_m
    )


@dataclass(frozen=True)
class MemberView:
    """What another member may see of a member: the first name and the role, never surname, e-mail or address."""

    code: UUID
    first_name: str
    role: str
    role_label: str
    status: str
    joined_at: datetime


def _member_view(m: Membership) -> MemberView:
    return MemberView(
        code=m.code,
        first_name=m.user.first_name or str(m.user.display_name),
        role=m.role,
        role_label=str(Role(m.role).label),
        status=m.status,
        joined_at=m.created_at,
    )


def community_members(*, community: Community, viewer: Any, status: str = ACTIVE) -> list[MemberView]:
    """The members of a community with their first name and role, for a viewer who passed the gate with
    Need.VIEW_MEMBERS (pending members: Need.MANAGE_MEMBERS). One query."""
    rows = (
        Membership.objects.filter(community=community, status=status)
        .select_related("user")
        .only("code", "role", "status", "created_at", "user__first_name")
        .order_by("user__first_name", "pk")
    )
    return [_member_view(m) for m in rows]


def community_coordinators(community: Community) -> list[str]:
    """The first names of the active coordinators: what partner staff see, to know whom to contact."""
    return list(
        Membership.objects.filter(community=community, status=ACTIVE, role=Role.COORDINATOR)
        .order_by("user__first_name", "pk")
        .values_list("user__first_name", flat=True)
    )


def community_member_count(community: Community) -> int:
    return Membership.objects.filter(community=community, status=ACTIVE).count()


def community_partners(community: Community) -> QuerySet[Organisation]:
    return Organisation.objects.filter(partnership__community=community).order_by("kind", "name")


def community_rules(community: Community) -> HouseRules | None:
    return HouseRules.objects.filter(community=community).order_by("-version").first()


def community_rule_versions(community: Community) -> QuerySet[HouseRules]:
    return HouseRules.objects.filter(community=community).order_by("-version")


def community_phase_history(community: Community) -> QuerySet[PhaseChange]:
    return PhaseChange.objects.filter(community=community).select_related("changed_by").order_by("-created_at", "-pk")


def community_invites(community: Community) -> QuerySet[Invite]:
    """The invites of a community, newest first; for coordinators (Need.INVITE)."""
    return Invite.objects.filter(community=community).order_by("-created_at", "-pk")


def community_buurten(community: Community) -> list[Any]:
    return list(community.buurten.defer("geometry").order_by("name"))
