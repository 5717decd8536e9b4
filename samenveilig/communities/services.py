"""Writes for communities. Every function validates, then writes, in one transaction."""

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from shapely.ops import unary_union

from samenveilig.areas import geo
from samenveilig.areas.models import Area, AreaKind
from samenveilig.areas.services import geometry_fields, polygon_or_invalid
from samenveilig.communities.models import Community, CommunityCell, CommunityKind, HouseRules, Phase
from samenveilig.core.audit import audit_record
from samenveilig.core.errors import Invalid

DEFAULT_HOUSE_RULES = _(
    "1. We report what we see: behaviour, place and time, not what someone looks like or where they come from.\n"
    "2. In an emergency call 112 first, then inform the group.\n"
    "3. We never take the law into our own hands and do not confront anyone.\n"
    "4. No names, photos or addresses of suspects or other people in the group.\n"
    "5. We stay friendly and on topic: no quarrels, accusations or chatter.\n"
    "6. The coordinator may remove posts and, after a warning, members who break these rules."
)


def _unique_slug(name: str) -> str:
    base = slugify(name)[:70] or "community"
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
