"""The relevant network of a report: who receives it, per community and report type (handbook 3.2.5, 3.3.4).

A community's rule for a type is its RoutingRule row, or else the default below. Partner organisations are chosen
by kind and by area: an organisation of a listed kind receives the report when its working area covers the
report's point (its buurt, wijk or municipality), or, for a report without a point, one of the community's
buurten; a partner of the community that has no working area recorded receives what concerns the community.

Submitting a report reads the rule and the organisations through `core.refcache` (`cached_rule_for`,
`cached_organisations_for`): they change rarely, cost more than the rest of the look-ups together, and every change
to what they are computed from (`watch_reference_data`) makes every process compute them again.
"""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import OuterRef, Q, Subquery

from samenveilig.accounts.models import Organisation
from samenveilig.areas.models import Area
from samenveilig.communities.models import Community, Partnership
from samenveilig.core import refcache
from samenveilig.core.permissions import OrganisationKind
from samenveilig.reports.models import Audience, HandlingDeadline, ReportType, RoutingRule


@dataclass(frozen=True)
class Rule:
    to_members: bool = False
    to_coordinators: bool = True
    to_initiators: bool = False
    partner_kinds: tuple[str, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict[str, Any]:
        return {
            "to_members": self.to_members,
            "to_coordinators": self.to_coordinators,
            "to_initiators": self.to_initiators,
            "partner_kinds": list(self.partner_kinds),
        }


# The defaults of every community (issue 4): urgent also goes to all members as the SAAR "App" step, unless the
# reporter opts out (Report.share_with_members).
DEFAULTS: dict[str, Rule] = {
    ReportType.URGENT: Rule(to_members=True, to_coordinators=True, partner_kinds=(OrganisationKind.POLICE,)),
    ReportType.OVERLAST: Rule(
        to_coordinators=True, partner_kinds=(OrganisationKind.MUNICIPALITY, OrganisationKind.HOUSING)
    ),
    ReportType.VERBETERIDEE: Rule(
        to_coordinators=True, to_initiators=True, partner_kinds=(OrganisationKind.MUNICIPALITY,)
    ),
    ReportType.INFORMATIE: Rule(to_coordinators=True),
}


def rule_from_row(row: RoutingRule) -> Rule:
    return Rule(
        to_members=row.to_members,
        to_coordinators=row.to_coordinators,
        to_initiators=row.to_initiators,
        partner_kinds=tuple(k for k in OrganisationKind.values if k in (row.partner_kinds or [])),
    )


def rule_for(community: Community, report_type: str) -> Rule:
    row = RoutingRule.objects.filter(community=community, type=report_type).first()
    return rule_from_row(row) if row is not None else DEFAULTS[report_type]


def cached_rule_for(community: Community, report_type: str) -> Rule:
    """rule_for, kept per process until routing data changes (see the module text)."""
    return refcache.cached(("routing.rule", community.pk, report_type), lambda: rule_for(community, report_type))


def rules_for(community: Community) -> dict[str, Rule]:
    """Every type's rule for the community, in the order of ReportType."""
    rows = {row.type: rule_from_row(row) for row in RoutingRule.objects.filter(community=community)}
    return {t: rows.get(t, DEFAULTS[t]) for t in ReportType.values}


def _area_ids(buurt: Area | None, community: Community) -> set[int]:
    """The areas whose organisations work where the report is: its buurt and that buurt's wijk and municipality,
    or without a point the community's buurten, their wijken and the municipality."""
    if buurt is not None:
        ids = {buurt.pk}
        parent_id = buurt.parent_id
        if parent_id is not None and Area.parent.is_cached(buurt):  # areas.selectors.buurt_at loads the wijk
            ids.add(parent_id)
            parent_id = buurt.parent.parent_id
        while parent_id is not None and parent_id not in ids:
            ids.add(parent_id)
            # Two levels per query: a buurt's wijk and municipality take one look-up.
            row = Area.objects.filter(pk=parent_id).values_list("parent_id", "parent__parent_id").first()
            parent_id, grandparent_id = row if row is not None else (None, None)
            if parent_id is None or parent_id in ids:
                break
            ids.add(parent_id)
            parent_id = grandparent_id
        return ids
    ids = set(community.buurten.values_list("pk", flat=True)) | {community.municipality_id}
    wijken = set(Area.objects.filter(pk__in=ids).exclude(parent=None).values_list("parent_id", flat=True))
    return ids | wijken


def organisations_for(
    *, community: Community, kinds: tuple[str, ...], buurt: Area | None, deadline_for: str | None = None
) -> list[Organisation]:
    """The organisations of these kinds that work where the report is (see the module text), by kind and name.
    With `deadline_for` (a report type) each carries `deadline_hours`: its handling deadline for that type, or None."""
    if not kinds:
        return []
    in_area = Q(areas__in=_area_ids(buurt, community))
    partner_without_area = Q(partnership__community=community, areas=None)
    ids = Organisation.objects.filter(Q(kind__in=kinds) & (in_area | partner_without_area)).values("pk")
    found = Organisation.objects.filter(pk__in=ids)
    if deadline_for is not None:
        hours = HandlingDeadline.objects.filter(organisation=OuterRef("pk"), type=deadline_for).values("hours")[:1]
        found = found.annotate(deadline_hours=Subquery(hours))
    return list(found.order_by("kind", "name", "pk"))


def cached_organisations_for(
    *, community: Community, kinds: tuple[str, ...], buurt: Area | None, deadline_for: str | None = None
) -> list[Organisation]:
    """organisations_for, kept per process until routing data changes (see the module text). Read-only."""
    key = ("routing.organisations", community.pk, kinds, buurt.pk if buurt else None, deadline_for)
    return refcache.cached(
        key, lambda: organisations_for(community=community, kinds=kinds, buurt=buurt, deadline_for=deadline_for)
    )


def watch_reference_data() -> None:
    """What the cached rule and organisations are computed from (reports.apps registers it)."""
    refcache.watch(
        RoutingRule,
        HandlingDeadline,
        Organisation,
        Organisation.areas.through,
        Partnership,
        Community.buurten.through,
        Area,
    )


def member_audiences(rule: Rule, *, share_with_members: bool) -> list[str]:
    audiences = []
    if rule.to_members and share_with_members:
        audiences.append(Audience.MEMBERS)
    if rule.to_coordinators:
        audiences.append(Audience.COORDINATORS)
    if rule.to_initiators:
        audiences.append(Audience.INITIATORS)
    return audiences
