"""Communities in the API: /api/v1/communities …

Public endpoints (the list, one community, its house rules, an invite) need no login; with a token or session
they answer for that person (a member gets the member view). Everything else needs a Bearer token or the browser
session. Gate failures: 404 when the person sees only the public page, 403 "community.forbidden" when they can see
the community but may not do this."""

from typing import Any, Literal
from uuid import UUID

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext
from ninja import Field, Query, Router, Status
from ninja.errors import AuthenticationError

from samenveilig.accounts.auth import TokenAuth
from samenveilig.areas.models import Area, AreaKind
from samenveilig.communities import access, selectors, services
from samenveilig.communities.models import (
    Community,
    HouseRules,
    Invite,
    Membership,
    MembershipStatus,
    Phase,
    PhaseChange,
)
from samenveilig.communities.schemas import (
    CommunityIn,
    CommunityOut,
    CommunitySummaryOut,
    HouseRulesDetailOut,
    HouseRulesIn,
    HouseRulesOut,
    InviteIn,
    InviteOut,
    InvitePublicOut,
    JoinIn,
    KindLiteral,
    LeaveIn,
    MemberOut,
    MembershipOut,
    PhaseIn,
    PhaseOut,
    RejectIn,
    RemoveIn,
    RoleIn,
    RulesAcceptIn,
)
from samenveilig.core.api import errors
from samenveilig.core.errors import Invalid
from samenveilig.core.permissions import Need

router = Router(tags=["communities"])
_token_auth = TokenAuth()


def _viewer(request: HttpRequest) -> Any:
    """The person behind a public endpoint's request: a valid Bearer token, the session, or nobody. A token that
    is sent but not valid is a 401, as on every other endpoint."""
    if request.headers.get("Authorization"):
        user = _token_auth(request)
        if not user:
            raise AuthenticationError()
        return user
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else AnonymousUser()


# --- shapes -----------------------------------------------------------------------------------------------------------
def _rules_out(rules: HouseRules | None) -> dict[str, Any] | None:
    if rules is None:
        return None
    return {"version": rules.version, "text": rules.text, "published_at": rules.created_at}


def _summary(community: Community, member_count: int | None = None) -> dict[str, Any]:
    count = getattr(community, "member_count", None)
    if count is None:
        count = member_count if member_count is not None else selectors.community_member_count(community)
    return {
        "code": community.code,
        "slug": community.slug,
        "name": community.name,
        "kind": community.kind,
        "kind_label": str(community.get_kind_display()),
        "municipality": {"code": community.municipality.code, "name": community.municipality.name},
        "phase": community.phase,
        "phase_label": str(community.get_phase_display()),
        "member_count": count,
        "centroid": [community.centroid_lon, community.centroid_lat],
    }


def _membership_out(membership: Membership) -> dict[str, Any]:
    current = getattr(membership, "current_rules_version", None)
    if current is None:
        current = selectors.community_rules(membership.community)
        current = current.version if current else 0
    return {
        "code": membership.code,
        "community": membership.community.code,
        "role": membership.role,
        "status": membership.status,
        "rules_version_accepted": membership.rules_version_accepted,
        "rules_acceptance_required": membership.status == "active" and membership.rules_version_accepted < current,
        "joined_at": membership.created_at,
    }


def _member_out(member: selectors.MemberView) -> dict[str, Any]:
    return {
        "code": member.code,
        "first_name": member.first_name,
        "role": member.role,
        "status": member.status,
        "joined_at": member.joined_at,
    }


def _history_out(changes: Any) -> list[dict[str, Any]]:
    return [
        {
            "from_phase": c.from_phase,
            "to_phase": c.to_phase,
            "reason": c.reason,
            "changed_by": c.changed_by.first_name if c.changed_by else None,
            "changed_at": c.created_at,
        }
        for c in changes
    ]


def _community_out(user: Any, community: Community) -> dict[str, Any]:
    standing = access.standing_of(user, community)
    view = standing.view
    out = {
        **_summary(community),
        "view": view,
        "description": community.description,
        "approval_required": community.approval_required,
        "buurten": [{"code": b.code, "name": b.name} for b in selectors.community_buurten(community)],
        "geometry": community.geometry,
        "house_rules": _rules_out(selectors.community_rules(community)),
    }
    membership = standing.membership
    if membership is not None and membership.status in ("active", "pending"):
        out["membership"] = _membership_out(membership)
    if view in ("member", "partner"):
        out["partners"] = [{"name": o.name, "kind": o.kind} for o in selectors.community_partners(community)]
        out["phase_history"] = _history_out(selectors.community_phase_history(community))
    if view == "member":
        out["members"] = [_member_out(m) for m in selectors.community_members(community=community, viewer=user)]
    elif view == "partner":
        out["coordinators"] = selectors.community_coordinators(community)
    return out


def _invite_out(request: HttpRequest, invite: Invite) -> dict[str, Any]:
    return {
        "code": invite.code,
        "url": request.build_absolute_uri(reverse("communities:join", args=[invite.token])),
        "qr_url": request.build_absolute_uri(reverse("communities:invite_qr", args=[invite.token])),
        "note": invite.note,
        "state": services.invite_state(invite),
        "created_at": invite.created_at,
        "expires_at": invite.expires_at,
        "max_uses": invite.max_uses,
        "uses": invite.uses,
        "requires_approval": invite.requires_approval,
        "revoked_at": invite.revoked_at,
    }


def _phase_out(community: Community) -> dict[str, Any]:
    return {
        "phase": community.phase,
        "phase_label": str(Phase(community.phase).label),
        "history": _history_out(selectors.community_phase_history(community)),
    }


# --- list, create, one ------------------------------------------------------------------------------------------------
class CommunityListItemOut(CommunitySummaryOut):
    """A community in the list; with `scope=mine` also the caller's role in it."""

    my_role: str | None = Field(
        None, description="scope=mine: your role as an active member (null: pending, or partner staff)."
    )


@router.get(
    "",
    response={200: list[CommunityListItemOut], **errors(401, 422)},
    auth=None,
    summary="List communities",
    description="`scope=mine` (the default when you are signed in): your own communities, where you are an active "
    "or pending member or work for a partner, with `my_role`. `scope=all` (the default without login): the public "
    "directory, with what anybody may see. Filters for both: municipality code, type, phase, a search text; with "
    "`lat` and `lon` only the communities whose area covers that point (within `margin_m` metres).",
)
def list_communities(
    request: HttpRequest,
    scope: Literal["mine", "all"] | None = Query(  # noqa: B008
        None, description='"mine" (default when signed in) or "all" (default otherwise).'
    ),
    municipality: str | None = Query(None, max_length=16, description="Code of a municipality, e.g. GM0344."),
    kind: KindLiteral | None = Query(None, description="Only communities of this type."),  # noqa: B008
    phase: int | None = Query(None, ge=1, le=4, description="Only communities in this phase."),
    q: str | None = Query(None, max_length=100, description="Search in name and description."),
    lat: float | None = Query(None, ge=-90, le=90, description="WGS84 latitude of a point."),
    lon: float | None = Query(None, ge=-180, le=180, description="WGS84 longitude of a point."),
    margin_m: float = Query(0, ge=0, le=50_000, description="With lat/lon: also communities this close (metres)."),
) -> list[dict[str, Any]]:
    user = _viewer(request)
    signed_in = bool(getattr(user, "is_authenticated", False))
    scope = scope or ("mine" if signed_in else "all")
    if scope == "mine" and not signed_in:
        raise AuthenticationError()
    qs = selectors.communities_public_list(municipality=municipality, kind=kind, phase=phase, search=q)
    if (lat is None) != (lon is None):
        message = gettext("Give both lat and lon, or neither.")
        raise Invalid(message, code="point.incomplete", fields={"lat": [message], "lon": [message]})
    if lat is not None and lon is not None:
        covering = {c.pk for c in selectors.communities_covering(lat=lat, lon=lon, margin_m=margin_m)}
        qs = qs.filter(pk__in=covering)
    if scope == "all":
        return [_summary(c) for c in qs]
    qs = qs.filter(pk__in=selectors.communities_for_user(user).values("pk"))
    roles = dict(
        Membership.objects.filter(user=user, status=MembershipStatus.ACTIVE).values_list("community_id", "role")
    )
    return [{**_summary(c), "my_role": roles.get(c.pk)} for c in qs]


@router.post(
    "",
    response={201: CommunityOut, **errors(401, 403, 422)},
    summary="Start a community",
    description="The signed-in person starts a community over some buurten (codes) or a GeoJSON polygon and becomes "
    'its coordinator. Codes: "community.no_area", "community.not_a_buurt", "community.municipalities", '
    '"community.outside", "geometry.*".',
)
def create_community(request: HttpRequest, payload: CommunityIn) -> Status:
    codes = list(dict.fromkeys(payload.buurten))
    buurten = list(Area.objects.filter(code__in=codes, kind=AreaKind.BUURT))
    if len(buurten) != len(codes):
        missing = sorted(set(codes) - {b.code for b in buurten})
        message = gettext("Unknown neighbourhood codes: %(codes)s.") % {"codes": ", ".join(missing)}
        raise Invalid(message, code="community.unknown_buurt", fields={"buurten": [message]})
    community = services.community_start(
        by=request.auth,
        name=payload.name,
        kind=payload.kind,
        buurten=buurten,
        geometry=payload.geometry,
        description=payload.description,
        approval_required=payload.approval_required,
        house_rules=payload.house_rules,
    )
    community = access.access_community(request.auth, community.code, need=Need.VIEW)
    return Status(201, _community_out(request.auth, community))


@router.get(
    "/{uuid:code}",
    response={200: CommunityOut, **errors(401, 404)},
    auth=None,
    summary="One community",
    description="The shape depends on who asks (`view`): the public part for strangers and pending members, with "
    "members' first names for active members, with the coordinators' first names for partner staff.",
)
def get_community(request: HttpRequest, code: UUID) -> dict[str, Any]:
    user = _viewer(request)
    community = access.access_community(user, code, need=Need.VIEW_PUBLIC)
    return _community_out(user, community)


# --- members ----------------------------------------------------------------------------------------------------------
@router.get(
    "/{uuid:code}/members",
    response={200: list[MemberOut], **errors(401, 403, 404)},
    summary="Members of a community",
    description="First names and roles of the active members, for active members. `status=pending`: the people "
    "waiting for approval, for coordinators.",
)
def list_members(
    request: HttpRequest,
    code: UUID,
    status: str = Query("active", pattern="^(active|pending)$", description="active or pending"),
) -> list[dict[str, Any]]:
    need = Need.MANAGE_MEMBERS if status == "pending" else Need.VIEW_MEMBERS
    community = access.access_community(request.auth, code, need=need)
    return [
        _member_out(m) for m in selectors.community_members(community=community, viewer=request.auth, status=status)
    ]


def _member_action(request: HttpRequest, code: UUID, member_code: UUID) -> Membership:
    return access.access_membership(request.auth, code, member_code, need=Need.MANAGE_MEMBERS)


@router.post(
    "/{uuid:code}/members/{uuid:member_code}/approve",
    response={200: MemberOut, **errors(401, 403, 404, 409)},
    summary="Admit a person who asked to join",
)
def approve_member(request: HttpRequest, code: UUID, member_code: UUID) -> dict[str, Any]:
    membership = services.membership_approve(membership=_member_action(request, code, member_code), by=request.auth)
    return _member_out(selectors._member_view(membership))


@router.post(
    "/{uuid:code}/members/{uuid:member_code}/reject",
    response={200: MemberOut, **errors(401, 403, 404, 409)},
    summary="Decline a person who asked to join",
)
def reject_member(request: HttpRequest, code: UUID, member_code: UUID, payload: RejectIn) -> dict[str, Any]:
    membership = services.membership_reject(
        membership=_member_action(request, code, member_code), by=request.auth, reason=payload.reason
    )
    return _member_out(selectors._member_view(membership))


@router.post(
    "/{uuid:code}/members/{uuid:member_code}/remove",
    response={200: MemberOut, **errors(401, 403, 404, 409)},
    summary="Remove a member, with a reason",
    description='The reason is required ("membership.reason_required") and logged. Coordinators leave rather than '
    'remove themselves ("membership.remove_self").',
)
def remove_member(request: HttpRequest, code: UUID, member_code: UUID, payload: RemoveIn) -> dict[str, Any]:
    membership = services.membership_remove(
        membership=_member_action(request, code, member_code), by=request.auth, reason=payload.reason
    )
    return _member_out(selectors._member_view(membership))


@router.post(
    "/{uuid:code}/members/{uuid:member_code}/role",
    response={200: MemberOut, **errors(401, 403, 404, 409)},
    summary="Give a member another role",
)
def set_member_role(request: HttpRequest, code: UUID, member_code: UUID, payload: RoleIn) -> dict[str, Any]:
    membership = services.membership_set_role(
        membership=_member_action(request, code, member_code), role=payload.role, by=request.auth
    )
    return _member_out(selectors._member_view(membership))


@router.post(
    "/{uuid:code}/leave",
    response={200: MembershipOut, **errors(401, 404, 409)},
    summary="Leave a community",
)
def leave_community(request: HttpRequest, code: UUID, payload: LeaveIn) -> dict[str, Any]:
    membership = access.access_own_membership(request.auth, code)
    membership = services.membership_leave(membership=membership, reason=payload.reason)
    return _membership_out(membership)


# --- phase ------------------------------------------------------------------------------------------------------------
@router.post(
    "/{uuid:code}/phase",
    response={200: PhaseOut, **errors(401, 403, 404)},
    summary="Change the phase",
    description='Forward one phase at a time ("phase.skip"), back any number with a reason '
    '("phase.reason_required"); the same phase is "phase.same". For coordinators, facilitators and staff of an '
    "involved municipality.",
)
def change_phase(request: HttpRequest, code: UUID, payload: PhaseIn) -> dict[str, Any]:
    community = access.access_community(request.auth, code, need=Need.CHANGE_PHASE)
    services.community_change_phase(community=community, to_phase=payload.phase, by=request.auth, reason=payload.reason)
    return _phase_out(community)


# --- house rules ------------------------------------------------------------------------------------------------------
@router.get(
    "/{uuid:code}/rules",
    response={200: HouseRulesDetailOut, **errors(401, 404)},
    auth=None,
    summary="The house rules, every version",
)
def get_rules(request: HttpRequest, code: UUID) -> dict[str, Any]:
    user = _viewer(request)
    community = access.access_community(user, code, need=Need.VIEW_PUBLIC)
    versions = list(selectors.community_rule_versions(community))
    membership = access.standing_of(user, community).membership
    return {
        "current": _rules_out(versions[0] if versions else None),
        "versions": [_rules_out(v) for v in versions],
        "membership": _membership_out(membership)
        if membership is not None and membership.status in ("active", "pending")
        else None,
    }


@router.post(
    "/{uuid:code}/rules",
    response={201: HouseRulesOut, **errors(401, 403, 404)},
    summary="Publish a new version of the house rules",
    description="For coordinators. The new version is the previous one + 1; members are asked to accept it.",
)
def publish_rules(request: HttpRequest, code: UUID, payload: HouseRulesIn) -> Status:
    community = access.access_community(request.auth, code, need=Need.EDIT_RULES)
    rules = services.house_rules_publish(community=community, text=payload.text, by=request.auth)
    return Status(201, _rules_out(rules))


@router.post(
    "/{uuid:code}/rules/accept",
    response={200: MembershipOut, **errors(401, 404, 409)},
    summary="Accept the current house rules",
    description='Only the current version can be accepted: an older one is "rules.outdated".',
)
def accept_rules(request: HttpRequest, code: UUID, payload: RulesAcceptIn) -> dict[str, Any]:
    membership = access.access_own_membership(request.auth, code)
    membership = services.house_rules_accept(membership=membership, version=payload.version)
    membership.current_rules_version = payload.version
    return _membership_out(membership)


# --- invites ----------------------------------------------------------------------------------------------------------
@router.get(
    "/{uuid:code}/invites",
    response={200: list[InviteOut], **errors(401, 403, 404)},
    summary="The invites of a community",
)
def list_invites(request: HttpRequest, code: UUID) -> list[dict[str, Any]]:
    community = access.access_community(request.auth, code, need=Need.INVITE)
    return [_invite_out(request, invite) for invite in selectors.community_invites(community)]


@router.post(
    "/{uuid:code}/invites",
    response={201: InviteOut, **errors(401, 403, 404)},
    summary="Create an invite link",
)
def create_invite(request: HttpRequest, code: UUID, payload: InviteIn) -> Status:
    community = access.access_community(request.auth, code, need=Need.INVITE)
    invite = services.invite_create(
        community=community,
        by=request.auth,
        note=payload.note,
        days=payload.days,
        max_uses=payload.max_uses,
        requires_approval=payload.requires_approval,
    )
    return Status(201, _invite_out(request, invite))


@router.post(
    "/{uuid:code}/invites/{uuid:invite_code}/revoke",
    response={200: InviteOut, **errors(401, 403, 404)},
    summary="Withdraw an invite link",
)
def revoke_invite(request: HttpRequest, code: UUID, invite_code: UUID) -> dict[str, Any]:
    invite = access.access_invite(request.auth, code, invite_code)
    return _invite_out(request, services.invite_revoke(invite=invite, by=request.auth))


@router.get(
    "/invites/{token}",
    response={200: InvitePublicOut, **errors(401, 404)},
    auth=None,
    summary="What an invite link leads to",
)
def get_invite(request: HttpRequest, token: str) -> dict[str, Any]:
    _viewer(request)
    invite = access.invite_by_token(token)
    return {
        "state": services.invite_state(invite),
        "requires_approval": invite.requires_approval,
        "community": _summary(invite.community),
        "house_rules": _rules_out(selectors.community_rules(invite.community)),
    }


@router.post(
    "/invites/{token}/join",
    response={201: MembershipOut, **errors(401, 404, 409)},
    summary="Join a community with an invite",
    description='Accept the current house rules. Errors: "invite.expired", "invite.revoked", "invite.used_up", '
    '"rules.not_accepted", "rules.outdated" (422); "membership.duplicate", "membership.removed" (409). With '
    "approval required the membership stays pending until a coordinator admits you.",
)
def join_community(request: HttpRequest, token: str, payload: JoinIn) -> Status:
    invite = access.invite_by_token(token)
    membership = services.membership_join(
        invite=invite, user=request.auth, accept_rules_version=payload.accept_rules_version
    )
    membership.current_rules_version = payload.accept_rules_version
    return Status(201, _membership_out(membership))


__all__ = ["router", "PhaseChange"]
