"""Writes for communities. Every function validates, then writes, in one transaction."""

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from shapely.ops import unary_union

from samenveilig.accounts.models import Organisation
from samenveilig.areas import geo
from samenveilig.areas import selectors as area_selectors
from samenveilig.areas.models import Area, AreaKind
from samenveilig.areas.services import geometry_fields, polygon_or_invalid
from samenveilig.communities.models import (
    Community,
    CommunityCell,
    CommunityKind,
    HouseRules,
    Invite,
    Membership,
    MembershipStatus,
    Partnership,
    Phase,
    PhaseChange,
)
from samenveilig.core import refcache
from samenveilig.core.audit import audit_record
from samenveilig.core.errors import Conflict, Invalid
from samenveilig.core.permissions import OrganisationKind, Role
from samenveilig.core.tokens import new_token

MAX_RULES_LENGTH = 10_000
MAX_REASON_LENGTH = 2_000
MAX_INVITE_DAYS = 365

DEFAULT_HOUSE_RULES = _(
    "1. We report what we see: behaviour, place and time, not what someone looks like or where they come from.\n"
    "2. In an emergency call 112 first, then inform the group.\n"
    "3. We never take the law into our own hands and do not confront anyone.\n"
    "4. No names, photos or addresses of suspects or other people in the group.\n"
    "5. We stay friendly and on topic: no quarrels, accusations or chatter.\n"
    "6. The coordinator may remove posts and, after a warning, members who break these rules."
)


# Paths under /communities/ that a slug must not take.
RESERVED_SLUGS = {"nieuw", "uitnodiging", "uitnodigingen", "api"}


def _unique_slug(name: str) -> str:
    base = slugify(name)[:70] or "community"
    if base in RESERVED_SLUGS:
        base = f"{base}-community"
    slug, n = base, 2
    while Community.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _area_geometry(*, buurten: Sequence[Area], geometry: dict[str, Any] | None) -> Any:
    if geometry is not None:
        return polygon_or_invalid(geometry)
    if not buurten:
        message = _("Choose one or more neighbourhoods, or draw the area on the map.")
        raise Invalid(message, code="community.no_area", fields={"buurten": [message]})
    if any(b.kind != AreaKind.BUURT for b in buurten):
        message = _("Only neighbourhoods (buurten) can make up a community's area.")
        raise Invalid(message, code="community.not_a_buurt", fields={"buurten": [message]})
    return unary_union([geo.parse_polygon(b.geometry) for b in buurten])


def _set_cells(community: Community, geom: Any) -> None:
    CommunityCell.objects.filter(community=community).delete()
    CommunityCell.objects.bulk_create(
        [CommunityCell(community=community, cell=c, interior=i) for c, i in geo.polygon_cover(geom)],
        batch_size=500,
    )


@transaction.atomic
def community_create(
    *,
    name: str,
    kind: CommunityKind | str,
    municipality: Area,
    buurten: Sequence[Area] = (),
    geometry: dict[str, Any] | None = None,
    description: str = "",
    approval_required: bool = True,
    house_rules: str | None = None,
    created_by: Any = None,
    phase: Phase | int = Phase.RELATIONSHIPS,
) -> Community:
    """Create a community over some buurten or a drawn polygon, with version 1 of its house rules.

    `phase` is only for importing an existing community (and the demo); phase changes go through
    community_change_phase."""
    geom = _area_geometry(buurten=buurten, geometry=geometry)
    derived = geometry_fields(geom)
    community = Community(
        name=name.strip(),
        slug=_unique_slug(name),
        kind=kind,
        municipality=municipality,
        description=description,
        approval_required=approval_required,
        phase=phase,
        geometry=derived["geometry"],
        centroid_lat=derived["centroid_lat"],
        centroid_lon=derived["centroid_lon"],
    )
    community.full_clean()
    community.save()
    community.buurten.set(buurten)
    _set_cells(community, geom)
    HouseRules.objects.create(
        community=community, version=1, text=house_rules or str(DEFAULT_HOUSE_RULES), created_by=created_by
    )
    audit_record(actor=created_by, action="community.create", obj=community, name=community.name)
    return community


# --- Starting a community (web and API) -------------------------------------------------------------------------------
def _municipality_of(area: Area) -> Area | None:
    current: Area | None = area
    for _step in range(5):
        if current is None or current.kind == AreaKind.MUNICIPALITY:
            return current
        current = current.parent
    return None


def _municipality_for(*, buurten: Sequence[Area], geometry: dict[str, Any] | None) -> Area:
    if geometry is not None:
        geom = polygon_or_invalid(geometry)
        centre = geom.representative_point()
        found = [a for a in area_selectors.areas_at(lat=centre.y, lon=centre.x) if a.kind == AreaKind.MUNICIPALITY]
        if not found:
            message = gettext("The area does not lie in any municipality known to Samen Veilig.")
            raise Invalid(message, code="community.outside", fields={"geometry": [message]})
        return found[0]
    municipalities = {m.pk: m for m in (_municipality_of(b) for b in buurten) if m is not None}
    if len(municipalities) != 1:
        message = gettext("Choose neighbourhoods of one municipality.")
        raise Invalid(message, code="community.municipalities", fields={"buurten": [message]})
    return next(iter(municipalities.values()))


def _start_problems(*, name: Any, kind: Any, description: Any, house_rules: Any) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    if not isinstance(name, str) or len(name.strip()) < 3:
        fields["name"] = [gettext("Give the community a name of at least 3 characters.")]
    elif len(name.strip()) > Community._meta.get_field("name").max_length:
        fields["name"] = [gettext("The name is too long (at most 120 characters).")]
    if kind not in CommunityKind.values:
        fields["kind"] = [gettext("Choose one of the community types.")]
    if not isinstance(description, str) or len(description) > 5_000:
        fields["description"] = [gettext("The description is too long (at most 5000 characters).")]
    if house_rules is not None and (not isinstance(house_rules, str) or len(house_rules) > MAX_RULES_LENGTH):
        fields["house_rules"] = [gettext("The house rules are too long (at most 10000 characters).")]
    return fields


@transaction.atomic
def community_start(
    *,
    by: Any,
    name: str,
    kind: CommunityKind | str,
    buurten: Sequence[Area] = (),
    geometry: dict[str, Any] | None = None,
    description: str = "",
    approval_required: bool = True,
    house_rules: str | None = None,
) -> Community:
    """A signed-in person starts a community: it is created in phase 1 in the municipality of its area, and the
    person becomes its coordinator. Municipality staff bring their municipality in as a partner."""
    problems = _start_problems(name=name, kind=kind, description=description, house_rules=house_rules)
    if problems:
        raise Invalid(gettext("The community is not valid."), code="community.invalid", fields=problems)
    if geometry is None and not buurten:
        message = gettext("Choose one or more neighbourhoods, or draw the area on the map.")
        raise Invalid(message, code="community.no_area", fields={"buurten": [message]})
    if any(b.kind != AreaKind.BUURT for b in buurten):
        message = gettext("Only neighbourhoods (buurten) can make up a community's area.")
        raise Invalid(message, code="community.not_a_buurt", fields={"buurten": [message]})
    municipality = _municipality_for(buurten=buurten, geometry=geometry)
    community = community_create(
        name=name,
        kind=kind,
        municipality=municipality,
        buurten=buurten if geometry is None else (),
        geometry=geometry,
        description=description.strip(),
        approval_required=approval_required,
        house_rules=(house_rules or "").strip() or None,
        created_by=by,
    )
    Membership.objects.create(
        community=community,
        user=by,
        role=Role.COORDINATOR,
        status=MembershipStatus.ACTIVE,
        rules_version_accepted=1,
        rules_accepted_at=timezone.now(),
    )
    own_municipalities = Organisation.objects.filter(staff__user=by, kind=OrganisationKind.MUNICIPALITY)
    for organisation in own_municipalities.distinct():
        Partnership.objects.create(community=community, organisation=organisation)
    return community


# --- Phases -----------------------------------------------------------------------------------------------------------
@transaction.atomic
def community_change_phase(*, community: Community, to_phase: Phase | int, by: Any, reason: str = "") -> PhaseChange:
    """Move the community to another phase of the method: forward one step at a time, back any number of steps
    with a reason. Every change is kept (PhaseChange) and audit-logged."""
    reason = (reason or "").strip()
    if to_phase not in Phase.values:
        message = gettext("Choose phase 1, 2, 3 or 4.")
        raise Invalid(message, code="phase.invalid", fields={"phase": [message]})
    if len(reason) > MAX_REASON_LENGTH:
        message = gettext("The reason is too long (at most 2000 characters).")
        raise Invalid(message, code="phase.reason_too_long", fields={"reason": [message]})
    # Lock the row: two people moving forward at once must not skip a phase between them.
    locked = Community.objects.select_for_update().get(pk=community.pk)
    current = locked.phase
    if to_phase == current:
        message = gettext("The community is already in this phase.")
        raise Invalid(message, code="phase.same", fields={"phase": [message]})
    if to_phase > current + 1:
        message = gettext("A phase cannot be skipped: move forward one phase at a time (next: phase %(next)d).") % {
            "next": current + 1
        }
        raise Invalid(message, code="phase.skip", fields={"phase": [message]})
    if to_phase < current and not reason:
        message = gettext("Say why the community moves back to an earlier phase.")
        raise Invalid(message, code="phase.reason_required", fields={"reason": [message]})
    Community.objects.filter(pk=locked.pk).update(phase=to_phase, updated_at=timezone.now())
    refcache.bump()  # an update sends no signal: the kept communities (communities.access) must see the new phase
    community.phase = to_phase
    change = PhaseChange.objects.create(
        community=locked, from_phase=current, to_phase=to_phase, reason=reason, changed_by=by
    )
    audit_record(
        actor=by, action="community.phase", obj=locked, from_phase=current, to_phase=int(to_phase), reason=reason
    )
    return change


# --- House rules ------------------------------------------------------------------------------------------------------
def current_rules(community: Community) -> HouseRules | None:
    return HouseRules.objects.filter(community=community).order_by("-version").first()


@transaction.atomic
def house_rules_publish(*, community: Community, text: str, by: Any) -> HouseRules:
    """Publish a new version of the house rules (the previous version + 1). Old versions are never edited; members
    who accepted an older version are asked to accept the new one."""
    text = (text or "").strip()
    if len(text) < 10:
        message = gettext("Write the house rules (at least 10 characters).")
        raise Invalid(message, code="rules.empty", fields={"text": [message]})
    if len(text) > MAX_RULES_LENGTH:
        message = gettext("The house rules are too long (at most 10000 characters).")
        raise Invalid(message, code="rules.too_long", fields={"text": [message]})
    Community.objects.select_for_update().filter(pk=community.pk).first()  # one publisher at a time
    previous = current_rules(community)
    if previous is not None and previous.text.strip() == text:
        message = gettext("This text is the same as the current version.")
        raise Invalid(message, code="rules.unchanged", fields={"text": [message]})
    rules = HouseRules.objects.create(
        community=community, version=(previous.version if previous else 0) + 1, text=text, created_by=by
    )
    audit_record(actor=by, action="rules.publish", obj=community, version=rules.version)
    return rules


def _check_rules_version(community: Community, version: Any, *, field: str) -> HouseRules:
    current = current_rules(community)
    if version in (None, "", 0, False) or current is None:
        message = gettext("Accept the house rules to take part.")
        raise Invalid(message, code="rules.not_accepted", fields={field: [message]})
    if isinstance(version, bool) or not isinstance(version, int):
        message = gettext("This version of the house rules does not exist.")
        raise Invalid(message, code="rules.unknown", fields={field: [message]})
    if version < current.version:
        message = gettext(
            "You accepted version %(old)d of the house rules, but version %(current)d applies now. Read and accept "
            "the current version."
        ) % {"old": version, "current": current.version}
        raise Invalid(message, code="rules.outdated", fields={field: [message]})
    if version > current.version:
        message = gettext("This version of the house rules does not exist.")
        raise Invalid(message, code="rules.unknown", fields={field: [message]})
    return current


@transaction.atomic
def house_rules_accept(*, membership: Membership, version: int) -> Membership:
    """The member accepts the current version of the house rules; an older version is refused (rules.outdated)."""
    if membership.status not in (MembershipStatus.ACTIVE, MembershipStatus.PENDING):
        raise Conflict(gettext("You are no longer a member of this community."), code="membership.not_active")
    current = _check_rules_version(membership.community, version, field="version")
    if membership.rules_version_accepted != current.version:
        membership.rules_version_accepted = current.version
        membership.rules_accepted_at = timezone.now()
        membership.save(update_fields=["rules_version_accepted", "rules_accepted_at", "updated_at"])
        audit_record(actor=membership.user, action="rules.accept", obj=membership, version=current.version)
    return membership


# --- Invites ----------------------------------------------------------------------------------------------------------
@transaction.atomic
def invite_create(
    *,
    community: Community,
    by: Any,
    note: str = "",
    days: int = settings.INVITE_DEFAULT_DAYS,
    max_uses: int | None = None,
    requires_approval: bool | None = None,
) -> Invite:
    """A new invite link with a random token, valid for `days` days and at most `max_uses` joins (None: no limit).
    Whether the coordinator approves who joins follows the community unless `requires_approval` says otherwise."""
    fields: dict[str, list[str]] = {}
    note = (note or "").strip()
    if len(note) > Invite._meta.get_field("note").max_length:
        fields["note"] = [gettext("The note is too long (at most 200 characters).")]
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_INVITE_DAYS:
        fields["days"] = [gettext("An invite is valid for 1 to 365 days.")]
    if max_uses is not None and (isinstance(max_uses, bool) or not isinstance(max_uses, int) or max_uses < 1):
        fields["max_uses"] = [gettext("The maximum number of uses is at least 1, or empty for no limit.")]
    if fields:
        raise Invalid(gettext("The invite is not valid."), code="invite.invalid", fields=fields)
    invite = Invite.objects.create(
        community=community,
        token=new_token(),
        created_by=by,
        note=note,
        expires_at=timezone.now() + timedelta(days=days),
        max_uses=max_uses,
        requires_approval=community.approval_required if requires_approval is None else requires_approval,
    )
    audit_record(actor=by, action="invite.create", obj=community, invite=str(invite.code), max_uses=max_uses)
    return invite


@transaction.atomic
def invite_revoke(*, invite: Invite, by: Any) -> Invite:
    """Stop the invite from working. Revoking twice keeps the first moment."""
    if invite.revoked_at is None:
        invite.revoked_at = timezone.now()
        invite.save(update_fields=["revoked_at", "updated_at"])
        audit_record(actor=by, action="invite.revoke", obj=invite.community, invite=str(invite.code))
    return invite


def invite_state(invite: Invite, *, now: Any = None) -> str:
    """ "revoked", "expired", "used_up" or "usable"."""
    now = now or timezone.now()
    if invite.revoked_at is not None:
        return "revoked"
    if invite.expires_at <= now:
        return "expired"
    if invite.max_uses is not None and invite.uses >= invite.max_uses:
        return "used_up"
    return "usable"


def _invite_unusable(state: str) -> Invalid:
    messages = {
        "revoked": gettext("This invite has been withdrawn. Ask the coordinator for a new one."),
        "expired": gettext("This invite has expired. Ask the coordinator for a new one."),
        "used_up": gettext("This invite has been used as often as allowed. Ask the coordinator for a new one."),
    }
    return Invalid(messages[state], code=f"invite.{state}")


def invite_check(invite: Invite) -> None:
    """Raise Invalid (invite.revoked / invite.expired / invite.used_up) unless the invite can be used now."""
    state = invite_state(invite)
    if state != "usable":
        raise _invite_unusable(state)


def _take_one_use(invite: Invite) -> None:
    """Count one use, race-safe: a single conditional UPDATE, so two people can never both take the last use."""
    now = timezone.now()
    taken = (
        Invite.objects.filter(pk=invite.pk, revoked_at__isnull=True, expires_at__gt=now)
        .filter(Q(max_uses__isnull=True) | Q(uses__lt=F("max_uses")))
        .update(uses=F("uses") + 1, updated_at=now)
    )
    if not taken:
        invite.refresh_from_db()
        raise _invite_unusable(invite_state(invite) if invite_state(invite) != "usable" else "used_up")
    invite.refresh_from_db(fields=["uses"])


@transaction.atomic
def membership_join(*, invite: Invite, user: Any, accept_rules_version: int | None) -> Membership:
    """Join the invite's community, accepting the current house rules. Pending until a coordinator approves when
    the invite asks for approval, otherwise active at once."""
    invite_check(invite)
    community = invite.community
    existing = Membership.objects.select_for_update().filter(community=community, user=user).first()
    if existing is not None and existing.status in (MembershipStatus.ACTIVE, MembershipStatus.PENDING):
        message = (
            gettext("You are already a member of this community.")
            if existing.status == MembershipStatus.ACTIVE
            else gettext("You have already asked to join; a coordinator will look at it.")
        )
        raise Conflict(message, code="membership.duplicate")
    if existing is not None and existing.status == MembershipStatus.REMOVED:
        message = gettext("You were removed from this community and cannot join again with an invite.")
        raise Conflict(message, code="membership.removed")
    rules = _check_rules_version(community, accept_rules_version, field="accept_rules_version")
    _take_one_use(invite)
    status = MembershipStatus.PENDING if invite.requires_approval else MembershipStatus.ACTIVE
    now = timezone.now()
    membership = existing or Membership(community=community, user=user)
    membership.role = Role.PARTICIPANT
    membership.status = status
    membership.rules_version_accepted = rules.version
    membership.rules_accepted_at = now
    membership.invite = invite
    membership.ended_at = None
    membership.end_reason = ""
    membership.save()
    audit_record(actor=user, action="membership.join", obj=membership, status=status, invite=str(invite.code))
    return membership


# --- Members ----------------------------------------------------------------------------------------------------------
def _lock(membership: Membership) -> Membership:
    locked = Membership.objects.select_for_update().select_related("community", "user").get(pk=membership.pk)
    membership.status = locked.status
    return locked


@transaction.atomic
def membership_approve(*, membership: Membership, by: Any) -> Membership:
    locked = _lock(membership)
    if locked.status != MembershipStatus.PENDING:
        raise Conflict(gettext("This person is not waiting for approval."), code="membership.not_pending")
    locked.status = MembershipStatus.ACTIVE
    locked.save(update_fields=["status", "updated_at"])
    audit_record(actor=by, action="membership.approve", obj=locked)
    return locked


@transaction.atomic
def membership_reject(*, membership: Membership, by: Any, reason: str = "") -> Membership:
    locked = _lock(membership)
    if locked.status != MembershipStatus.PENDING:
        raise Conflict(gettext("This person is not waiting for approval."), code="membership.not_pending")
    locked.status = MembershipStatus.REJECTED
    locked.ended_at = timezone.now()
    locked.end_reason = (reason or "").strip()[:MAX_REASON_LENGTH]
    locked.save(update_fields=["status", "ended_at", "end_reason", "updated_at"])
    audit_record(actor=by, action="membership.reject", obj=locked, reason=locked.end_reason)
    return locked


def _active_coordinators(community: Community) -> int:
    return Membership.objects.filter(community=community, status=MembershipStatus.ACTIVE, role=Role.COORDINATOR).count()


@transaction.atomic
def membership_remove(*, membership: Membership, by: Any, reason: str) -> Membership:
    """A coordinator removes a member, with a reason (logged). Removing yourself is leaving (membership_leave)."""
    reason = (reason or "").strip()
    if not reason:
        message = gettext("Give the reason for removing this member.")
        raise Invalid(message, code="membership.reason_required", fields={"reason": [message]})
    if len(reason) > MAX_REASON_LENGTH:
        message = gettext("The reason is too long (at most 2000 characters).")
        raise Invalid(message, code="membership.reason_too_long", fields={"reason": [message]})
    if getattr(by, "pk", None) is not None and membership.user_id == by.pk:
        message = gettext("You cannot remove yourself; leave the community instead.")
        raise Invalid(message, code="membership.remove_self")
    locked = _lock(membership)
    if locked.status not in (MembershipStatus.ACTIVE, MembershipStatus.PENDING):
        raise Conflict(gettext("This person is no longer a member."), code="membership.not_active")
    locked.status = MembershipStatus.REMOVED
    locked.ended_at = timezone.now()
    locked.end_reason = reason
    locked.save(update_fields=["status", "ended_at", "end_reason", "updated_at"])
    membership.status, membership.ended_at, membership.end_reason = locked.status, locked.ended_at, reason
    audit_record(actor=by, action="membership.remove", obj=locked, reason=reason, role=locked.role)
    return locked


@transaction.atomic
def membership_reinstate(*, membership: Membership, by: Any, reason: str) -> Membership:
    """Undo a removal (an appeal was upheld for the member): active again, with the same role."""
    locked = _lock(membership)
    if locked.status != MembershipStatus.REMOVED:
        raise Conflict(gettext("This person was not removed."), code="membership.not_removed")
    locked.status, locked.ended_at, locked.end_reason = MembershipStatus.ACTIVE, None, ""
    locked.save(update_fields=["status", "ended_at", "end_reason", "updated_at"])
    membership.status, membership.ended_at, membership.end_reason = locked.status, None, ""
    audit_record(actor=by, action="membership.reinstate", obj=locked, reason=reason)
    return locked


@transaction.atomic
def membership_leave(*, membership: Membership, reason: str = "") -> Membership:
    """The member leaves the community. The last coordinator cannot leave before appointing another."""
    locked = _lock(membership)
    if locked.status not in (MembershipStatus.ACTIVE, MembershipStatus.PENDING):
        raise Conflict(gettext("You are no longer a member of this community."), code="membership.not_active")
    if (
        locked.status == MembershipStatus.ACTIVE
        and locked.role == Role.COORDINATOR
        and _active_coordinators(locked.community) <= 1
    ):
        message = gettext("You are the only coordinator: appoint another coordinator before you leave.")
        raise Conflict(message, code="membership.last_coordinator")
    locked.status = MembershipStatus.LEFT
    locked.ended_at = timezone.now()
    locked.end_reason = (reason or "").strip()[:MAX_REASON_LENGTH]
    locked.save(update_fields=["status", "ended_at", "end_reason", "updated_at"])
    audit_record(actor=locked.user, action="membership.leave", obj=locked)
    return locked


@transaction.atomic
def membership_set_role(*, membership: Membership, role: Role | str, by: Any) -> Membership:
    """Give an active member another role (coordinators appoint coordinators, initiators and facilitators).
    Roles are not a hierarchy: this only says which tasks the person has in this community."""
    if role not in Role.values:
        message = gettext("Choose one of the roles.")
        raise Invalid(message, code="role.invalid", fields={"role": [message]})
    locked = _lock(membership)
    if locked.status != MembershipStatus.ACTIVE:
        raise Conflict(gettext("Only active members can get a role."), code="membership.not_active")
    if locked.role == role:
        return locked
    if locked.role == Role.COORDINATOR and _active_coordinators(locked.community) <= 1:
        message = gettext("This is the only coordinator: appoint another coordinator first.")
        raise Conflict(message, code="membership.last_coordinator")
    old = locked.role
    locked.role = role
    locked.save(update_fields=["role", "updated_at"])
    membership.role = role
    audit_record(actor=by, action="membership.role", obj=locked, from_role=old, to_role=str(role))
    return locked
