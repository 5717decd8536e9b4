"""Reads for areas: which areas hold a point, which points lie within a radius, which owners of a cell cover
(areas, communities) cover a point. Every look-up is an index look-up on an H3 cell column followed by an exact
test in Python, so it works the same on SQLite and PostgreSQL (no GIS extension).

Area geometry is public information, so these selectors take no viewer; `residents_within` returns personal data
and is meant for services that have already passed a gate (alerts, inquiries), never for a view directly.
"""

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

from samenveilig.areas import geo
from samenveilig.areas.models import Area, AreaCell, AreaKind
from samenveilig.core import refcache
from samenveilig.core.errors import Invalid, NotFound

MAX_RADIUS_M = 50_000.0
KIND_RANK = {AreaKind.MUNICIPALITY: 0, AreaKind.WIJK: 1, AreaKind.BUURT: 2}


# --- input checks -----------------------------------------------------------------------------------------------------
def check_point(lat: Any, lon: Any) -> None:
    """Raise Invalid (code "point.invalid") unless lat/lon are finite WGS84 degrees."""
    if not geo.valid_latlon(lat, lon):
        message = gettext("Give a valid point: latitude between -90 and 90, longitude between -180 and 180.")
        raise Invalid(message, code="point.invalid", fields={"lat": [message], "lon": [message]})


def check_radius(radius_m: Any, *, allow_zero: bool = False) -> None:
    ok = isinstance(radius_m, int | float) and not isinstance(radius_m, bool) and radius_m == radius_m
    if ok and (radius_m > MAX_RADIUS_M or radius_m < 0 or (radius_m == 0 and not allow_zero)):
        ok = False
    if not ok:
        message = gettext("Give a radius from 0 to %(max)d metres.") % {"max": MAX_RADIUS_M}
        raise Invalid(message, code="radius.invalid", fields={"radius_m": [message]})


# --- polygon tests ----------------------------------------------------------------------------------------------------
def owner_shape(owner: models.Model) -> BaseGeometry:
    """The owner's `geometry` (GeoJSON, WGS84) as a shapely geometry. Not cached here (a geometry can change with
    QuerySet.update()); buurt_at keeps the shapes it needs through core.refcache."""
    return shape(owner.geometry)


def _covers(owner: models.Model, lat: float, lon: float) -> bool:
    return owner_shape(owner).covers(Point(lon, lat))  # on the border counts as inside


# --- which areas hold a point -----------------------------------------------------------------------------------------
def _sorted_areas(areas: list[Area]) -> list[Area]:
    return sorted(areas, key=lambda a: (KIND_RANK.get(a.kind, 9), a.code))


def areas_at(*, lat: float, lon: float) -> list[Area]:
    """The areas (municipality, wijk, buurt, in that order) that contain the point; on a shared border both
    neighbours. One query: the point's cell in the area covers; interior cells need no polygon test."""
    check_point(lat, lon)
    cell = geo.cell_at(lat, lon, geo.COVER_RES)
    rows = AreaCell.objects.filter(cell=cell).select_related("area__parent").defer("area__parent__geometry")
    return _sorted_areas([row.area for row in rows if row.interior or _covers(row.area, lat, lon)])


def buurt_at(*, lat: float, lon: float) -> Area | None:
    """The buurt that contains the point (the one with the lowest code when it lies on a border), or None; with its
    `parent` (the wijk) loaded, both without their geometry. Every report asks this, so the buurten under a cell and
    their shapes are kept per process until an area changes (core.refcache; areas.apps watches Area and AreaCell)."""
    check_point(lat, lon)
    cell = geo.cell_at(lat, lon, geo.COVER_RES)
    for area, interior in refcache.cached(("areas.buurten_under", cell), lambda: _buurten_under(cell)):
        if interior or _kept_shape(area.pk).covers(Point(lon, lat)):  # on the border counts as inside
            return area
    return None


def _buurten_under(cell: int) -> list[tuple[Area, bool]]:
    rows = (
        AreaCell.objects.filter(cell=cell, area__kind=AreaKind.BUURT)
        .select_related("area__parent")  # its wijk too: routing looks up the areas above a report
        .defer("area__geometry", "area__parent__geometry")
    )
    return [(row.area, row.interior) for row in sorted(rows, key=lambda row: row.area.code)]


def _kept_shape(area_id: int) -> BaseGeometry:
    return refcache.cached(("areas.shape", area_id), lambda: owner_shape(Area.objects.only("geometry").get(pk=area_id)))


# --- which points lie within a radius ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class RadiusMatch:
    ids: list[Any]  # primary keys of the points within the radius
    candidates: int  # rows read from the cells
    inner_cells: int
    edge_cells: int
    res: int


def radius_match(queryset: QuerySet, *, lat: float, lon: float, radius_m: float) -> RadiusMatch:
    """The primary keys of the rows (any model with the GeoPoint columns) within `radius_m` metres of the point,
    with the counts a benchmark wants. One lean query (pk, cell, lat, lon: the covering index)."""
    check_point(lat, lon)
    check_radius(radius_m, allow_zero=True)
    cover = geo.radius_cover(lat, lon, radius_m)
    if not cover.cells:
        return RadiusMatch([], 0, 0, 0, cover.res)
    rows = queryset.filter(**{f"{cover.column}__in": list(cover.cells)}).values_list("pk", cover.column, "lat", "lon")
    inner, haversine = cover.inner, geo.haversine_m
    ids, candidates = [], 0
    for pk, cell, plat, plon in rows:
        candidates += 1
        if cell in inner or haversine(lat, lon, plat, plon) <= radius_m:
            ids.append(pk)
    return RadiusMatch(ids, candidates, len(cover.inner), len(cover.edge), cover.res)


def points_within(queryset: QuerySet, *, lat: float, lon: float, radius_m: float) -> list[Any]:
    """The rows of `queryset` (a model with the GeoPoint columns lat, lon, h3_r7, h3_r9) whose point lies within
    `radius_m` metres of (lat, lon), exactly (haversine <= radius_m), in one query.

    The rows come from the pruned cell cover (`h3_r9` or `h3_r7` IN (…)); rows in inner cells are accepted without
    computing their distance, rows in edge cells are kept when their haversine distance is at most the radius.
    Building model instances costs the most for large answers; a fan-out that needs only keys uses radius_match."""
    check_point(lat, lon)
    check_radius(radius_m, allow_zero=True)
    cover = geo.radius_cover(lat, lon, radius_m)
    if not cover.cells:
        return []
    column, inner, haversine = cover.column, cover.inner, geo.haversine_m
    rows = queryset.filter(**{f"{column}__in": list(cover.cells)})
    return [row for row in rows if getattr(row, column) in inner or haversine(lat, lon, row.lat, row.lon) <= radius_m]


def residents_within(*, lat: float, lon: float, radius_m: float) -> list[Any]:
    """The homes (Residence, with their person) within `radius_m` metres of the point. Personal data: for services
    behind a gate only."""
    from samenveilig.accounts.models import Residence

    return points_within(Residence.objects.select_related("user"), lat=lat, lon=lon, radius_m=radius_m)


# --- which owners of a cell cover hold a point ------------------------------------------------------------------------
def owners_covering(
    *, cell_model: type[models.Model], owner_field: str, lat: float, lon: float, margin_m: float = 0
) -> list[Any]:
    """The owners (e.g. communities via CommunityCell.community) whose `geometry` contains the point, or lies
    within `margin_m` metres of it; ordered by primary key.

    Without a margin: one query on the point's cell; an interior cell needs no polygon test. With a margin: the
    cells within the margin of the point (a radius cover at the cover resolution), then the owners of those cells
    (two queries), kept when their exact distance (geo.distance_to_polygon_m) is at most the margin."""
    check_point(lat, lon)
    check_radius(margin_m, allow_zero=True)
    field = cell_model._meta.get_field(owner_field)
    point_cell = geo.cell_at(lat, lon, geo.COVER_RES)
    if margin_m == 0:
        rows = cell_model.objects.filter(cell=point_cell).select_related(owner_field)
        owners = {}
        for row in rows:
            owner = getattr(row, owner_field)
            if row.interior or _covers(owner, lat, lon):
                owners[owner.pk] = owner
        return [owners[pk] for pk in sorted(owners)]

    cover = geo.radius_cover(lat, lon, margin_m, res=geo.COVER_RES)
    rows = list(cell_model.objects.filter(cell__in=list(cover.cells)).values_list(field.attname, "cell", "interior"))
    if not rows:
        return []
    sure = {owner_id for owner_id, cell, interior in rows if interior and cell == point_cell}
    candidates = field.related_model._default_manager.filter(pk__in={owner_id for owner_id, _, _ in rows})
    return [
        owner
        for owner in candidates.order_by("pk")
        if owner.pk in sure or geo.distance_to_polygon_m(owner_shape(owner), lat, lon) <= margin_m
    ]


# --- lists and details (public information) ---------------------------------------------------------------------------
def areas_list(*, kind: str | None = None, parent_code: str | None = None) -> QuerySet[Area]:
    """Areas without their geometry, with their parent, ordered by kind rank and name."""
    qs = Area.objects.select_related("parent").defer("geometry", "parent__geometry")
    if kind:
        qs = qs.filter(kind=kind)
    if parent_code:
        qs = qs.filter(parent__code=parent_code)
    rank = models.Case(
        *(models.When(kind=k, then=models.Value(v)) for k, v in KIND_RANK.items()),
        default=models.Value(9),
        output_field=models.IntegerField(),
    )
    return qs.annotate(kind_rank=rank).order_by("kind_rank", "name", "code")


def area_by_code(code: str) -> Area:
    """The area with this code (with its parent), or NotFound."""
    area = Area.objects.select_related("parent").filter(code=code).first()
    if area is None:
        raise NotFound()
    return area


def area_children(area: Area) -> QuerySet[Area]:
    return Area.objects.filter(parent=area).defer("geometry").order_by("name", "code")


def area_ancestors(area: Area) -> list[Area]:
    """The chain of parents, the outermost first (at most two steps in practice)."""
    chain: list[Area] = []
    current = area.parent
    while current is not None and len(chain) < 5:
        chain.insert(0, current)
        current = current.parent
    return chain


@dataclass
class AreaTreeNode:
    area: Area
    children: list["AreaTreeNode"]


def area_tree() -> list[AreaTreeNode]:
    """Every area as a tree (municipalities, their wijken, their buurten) in one query; areas whose parent is
    missing come out at the top level."""
    areas = list(areas_list())
    nodes = {area.pk: AreaTreeNode(area, []) for area in areas}
    roots: list[AreaTreeNode] = []
    for area in areas:
        parent = nodes.get(area.parent_id) if area.parent_id else None
        (parent.children if parent else roots).append(nodes[area.pk])
    return roots
