"""The permission gates for communities (CONVENTIONS §4): one gate per object type.

Who may do what in a community (roles are not a hierarchy: each need lists exactly who holds it):

| need            | granted to                                                                                      |
|-----------------|-------------------------------------------------------------------------------------------------|
| VIEW_PUBLIC     | everyone, also anonymous visitors: name, type, area, phase, house rules, how to join            |
| VIEW            | active members (any role): members' first names, partners; partner staff: coordinators' first   |
|                 | names and the member count                                                                      |
| VIEW_MEMBERS    | active members (any role)                                                                       |
| MANAGE_MEMBERS  | coordinators                                                                                    |
| INVITE          | coordinators                                                                                    |
| EDIT_RULES      | coordinators                                                                                    |
| EDIT            | coordinators                                                                                    |
| CHANGE_PHASE    | coordinators, facilitators, staff of an involved municipality                                   |
| REPORT          | active members (any role)                                                                       |
| EDIT_ROUTING    | coordinators (who receives the community's reports, reports.routing)                            |
| POST            | active members (any role): write in the conversation, react, report a post                      |
| POST_INFO       | staff of a partner organisation: post voorlichting                                              |
| MODERATE        | coordinators: the queue, pinning, conduct steps                                                  |

Admins (is_superuser) hold every need. A pending, removed or departed member and the staff of an organisation that
is not a partner of the community are strangers. A need that is not granted raises NotFound when the person can
see only the public page (nothing inside the community shows), and Forbidden (403, "community.forbidden") when
the person can see the community's own page but may not do this.
"""

import copy
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from uuid import UUID

from django.db import connection
from django.utils.translation import gettext_lazy as _

from samenveilig.accounts import selectors as account_selectors
from samenveilig.accounts.models import StaffMembership
from samenveilig.communities.models import Community, HouseRules, Invite, Membership, MembershipStatus
from samenveilig.core import refcache
from samenveilig.core.errors import Forbidden, NotFound
from samenveilig.core.permissions import Need, OrganisationKind, Role

FORBIDDEN_MESSAGE = _("You can see this community, but you are not allowed to do this here.")

ROLE_NEEDS: dict[str, frozenset[Need]] = {
    Role.PARTICIPANT: frozenset({Need.VIEW_PUBLIC, Need.VIEW, Need.VIEW_MEMBERS, Need.REPORT, Need.POST}),
    Role.INITIATOR: frozenset({Need.VIEW_PUBLIC, Need.VIEW, Need.VIEW_MEMBERS, Need.REPORT, Need.POST}),
    Role.FACILITATOR: frozenset(
        {Need.VIEW_PUBLIC, Need.VIEW, Need.VIEW_MEMBERS, Need.CHANGE_PHASE, Need.REPORT, Need.POST}
    ),
    Role.COORDINATOR: frozenset(
        {
            Need.VIEW_PUBLIC,
            Need.VIEW,
            Need.VIEW_MEMBERS,
            Need.MANAGE_MEMBERS,
            Need.INVITE,
            Need.EDIT_RULES,
            Need.EDIT,
            Need.CHANGE_PHASE,
            Need.REPORT,
            Need.EDIT_ROUTING,
            Need.POST,
            Need.MODERATE,
        }
    ),
}
PARTNER_NEEDS: dict[str, frozenset[Need]] = {
    OrganisationKind.MUNICIPALITY: frozenset({Need.VIEW_PUBLIC, Need.VIEW, Need.CHANGE_PHASE, Need.POST_INFO}),
}
DEFAULT_PARTNER_NEEDS = frozenset({Need.VIEW_PUBLIC, Need.VIEW, Need.POST_INFO})
STRANGER_NEEDS = frozenset({Need.VIEW_PUBLIC})


@dataclass(frozen=True)
class Standing:
    """What one person is in one community."""

    membership: Membership | None = None  # of any status
    partner_kinds: frozenset[str] = field(default_factory=frozenset)  # kinds of involved organisations they work for
    is_admin: bool = False

    @property
    def active_role(self) -> str | None:
        m = self.membership
        return m.role if m is not None and m.status == MembershipStatus.ACTIVE else None

    @property
    def is_pending(self) -> bool:
        return self.membership is not None and self.membership.status == MembershipStatus.PENDING

    @property
    def is_partner(self) -> bool:
        return bool(self.partner_kinds)

    @property
    def needs(self) -> frozenset[Need]:
        if self.is_admin:
            return frozenset(Need)
        granted = set(STRANGER_NEEDS)
        if self.active_role:
            granted |= ROLE_NEEDS[self.active_role]
        for kind in self.partner_kinds:
            granted |= PARTNER_NEEDS.get(kind, DEFAULT_PARTNER_NEEDS)
        return frozenset(granted)

    def grants(self, need: Need) -> bool:
        return need in self.needs

    @property
    def view(self) -> str:
        """Which page the person sees: "member" (active members, admins), "partner", "pending" or "public"."""
        if self.is_admin or self.active_role:
            return "member"
        if self.is_partner:
            return "partner"
        if self.is_pending:
            return "pending"
        return "public"

    @property
    def rules_acceptance_required(self) -> bool:
        return bool(self.membership is not None and getattr(self.membership, "rules_outdated", False))


def standing_of(user: Any, community: Community) -> Standing:
    """The person's standing in the community (two small queries, cached on the community object per person)."""
    if not getattr(user, "is_authenticated", False):
        return Standing()
    cache = community.__dict__.setdefault("_sv_standing", {})
    if user.pk in cache:
        return cache[user.pk]
    membership = _membership_with_rules(community.pk, user.pk)
    if membership is not None:
        membership.community = community
        current = membership.sv_current_rules or 0
        membership.rules_outdated = (
            membership.status == MembershipStatus.ACTIVE and membership.rules_version_accepted < current
        )
        membership.current_rules_version = current
    kinds: frozenset[str] = frozenset()
    if account_selectors.user_is_partner_staff(user):  # known per request: residents skip this query
        kinds = frozenset(
            StaffMembership.objects.filter(user=user, organisation__partnership__community=community).values_list(
                "organisation__kind", flat=True
            )
        )
    standing = Standing(membership=membership, partner_kinds=kinds, is_admin=bool(user.is_superuser))
    cache[user.pk] = standing
    return standing


@cache
def _membership_sql() -> str:
    qn = connection.ops.quote_name
    m, h = Membership._meta, HouseRules._meta
    m_community, m_user = qn(m.get_field("community").column), qn(m.get_field("user").column)
    h_version, h_community = qn(h.get_field("version").column), qn(h.get_field("community").column)
    return (
        f"SELECT m.*, (SELECT h.{h_version} FROM {qn(h.db_table)} h WHERE h.{h_community} = m.{m_community} "  # noqa: S608 - identifiers are the models'
        f"ORDER BY h.{h_version} DESC LIMIT 1) AS sv_current_rules "
        f"FROM {qn(m.db_table)} m WHERE m.{m_community} = %s AND m.{m_user} = %s"
    )


def _membership_with_rules(community_id: int, user_id: int) -> Membership | None:
    """The person's membership (any status) with the community's current house-rules version as
    `sv_current_rules`, in one query. Raw SQL on purpose: it gates nearly every request in a community, and the
    ORM spent ~1 ms building this query against ~0.2 ms for the whole raw look-up (docs/serving.md)."""
    return next(iter(Membership.objects.raw(_membership_sql(), [community_id, user_id])), None)


def _community(code_or_slug: Any) -> Community:
    """The community by public code or slug. Kept per process (core.refcache: every save of a community starts a
    new generation), so a request does not load and decode the community's area each time; each caller gets its
    own copy, with nothing of another request's standing on it."""
    if isinstance(code_or_slug, Community):
        return code_or_slug
    if isinstance(code_or_slug, UUID):
        lookup = {"code": code_or_slug}
    else:
        text = str(code_or_slug)
        try:
            lookup = {"code": UUID(text)}
        except ValueError:
            lookup = {"slug": text}
    ((field, value),) = lookup.items()
    # A code or slug that does not exist raises inside: misses are never kept (a crawler's guesses would pile up).
    kept = refcache.cached(("communities.community", field, str(value)), lambda: _load_community(lookup))
    community = copy.copy(kept)
    community.__dict__.pop("_sv_standing", None)
    return community


def _load_community(lookup: dict[str, Any]) -> Community:
    try:
        return Community.objects.select_related("municipality").defer("municipality__geometry").get(**lookup)
    except Community.DoesNotExist as exc:
        raise NotFound() from exc


def check_need(user: Any, community: Community, need: Need) -> Standing:
    """Raise NotFound or Forbidden unless the person holds `need` in the community; return their standing."""
    standing = standing_of(user, community)
    if standing.grants(need):
        return standing
    if standing.grants(Need.VIEW):
        raise Forbidden(FORBIDDEN_MESSAGE, code="community.forbidden")
    raise NotFound()


def access_community(user: Any, code_or_slug: Any, *, need: Need) -> Community:
    """The community with this public code or slug if `user` holds `need` in it (see the table above)."""
    community = _community(code_or_slug)
    check_need(user, community, need)
    return community


def access_membership(user: Any, community: Any, member_code: Any, *, need: Need) -> Membership:
    """A membership (by its public code) in a community, if `user` holds `need` in that community."""
    community = access_community(user, community, need=need)
    try:
        membership = Membership.objects.select_related("user").get(community=community, code=UUID(str(member_code)))
    except (Membership.DoesNotExist, ValueError) as exc:
        raise NotFound() from exc
    membership.community = community
    return membership


def access_own_membership(user: Any, community: Any) -> Membership:
    """The person's own active or pending membership of the community (to accept rules or leave); else NotFound."""
    community = _community(community)
    standing = standing_of(user, community)
    membership = standing.membership
    if membership is None or membership.status not in (MembershipStatus.ACTIVE, MembershipStatus.PENDING):
        raise NotFound()
    return membership


def access_invite(user: Any, community: Any, invite_code: Any, *, need: Need = Need.INVITE) -> Invite:
    """An invite (by its public code) of a community whose invites `user` may manage."""
    community = access_community(user, community, need=need)
    try:
        invite = Invite.objects.get(community=community, code=UUID(str(invite_code)))
    except (Invite.DoesNotExist, ValueError) as exc:
        raise NotFound() from exc
    invite.community = community
    return invite


def invite_by_token(token: str) -> Invite:
    """The invite with this token (anyone holding the link may see it); unknown tokens are NotFound."""
    if not isinstance(token, str) or not 20 <= len(token) <= 64:
        raise NotFound()
    invite = Invite.objects.select_related("community__municipality").filter(token=token).first()
    if invite is None:
        raise NotFound()
    return invite
