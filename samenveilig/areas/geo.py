"""Pure geometry helpers: H3 cells for points, radii and polygons; exact distances; GeoJSON in and out.

Distances are great-circle distances on a sphere of the mean Earth radius (haversine). "Exact" in this module means
exact for that metric: a point counts as within `r` metres when `haversine_m(...) <= r`, whichever way it was found.

Radius search (measured in shared/research/perf-limits.md §6): take the H3 cells around the centre at a resolution
that suits the radius, keep only the cells that can hold a point within the radius, ask the database for points in
those cells (B-tree index on the cell column), and apply the exact distance only to points in edge cells. A cell is
an inner cell when its centre lies within r - R of the search centre, R being that cell's own circumradius (the
largest distance from its centre to a vertex): by the triangle inequality every point in it is within r. A cell is
an edge cell when its centre lies within r + R and it is not inner. The cells are collected ring by ring until a
whole ring holds neither kind; the rings form closed loops around the centre, so no farther cell can qualify.

Polygon cover: every cell at COVER_RES that overlaps the polygon, with the cells wholly inside it marked interior.
The cover is computed with a small safety distance (COVER_EPSILON_DEG, about 10 cm) on both sides: H3 cell edges
are great-circle arcs whose vertices we see as straight lines, and the difference (millimetres) must never drop a
point. So an "overlap" cell may lie up to 10 cm outside the polygon (the exact test then rejects its points) and an
"interior" cell lies at least 10 cm inside it (its points need no polygon test).
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import h3
import h3.api.basic_int as h3i
import numpy as np
import shapely
from shapely.geometry import Point, mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient
from shapely.ops import nearest_points
from shapely.validation import explain_validity

EARTH_RADIUS_M = 6_371_008.8
POINT_RESOLUTIONS = (7, 9)
COVER_RES = 9  # resolution of the area and community cell covers
COORDINATE_DECIMALS = 7  # stored GeoJSON precision: about 1 cm
COVER_EPSILON_DEG = 1e-6  # safety distance of polygon covers (11 cm north-south, 7 cm east-west at 52° N)
_TOLERANCE_M = 0.01  # floating-point slack when classifying cells; far below any meaningful distance

# An upper bound for any cell's circumradius relative to the average edge length: measured at most 1.102 over
# 20,000 random cells of res 7 and 9 worldwide; cells near the bound get their exact circumradius instead.
_CIRCUMRADIUS_BOUND = 1.15
_AVG_EDGE_M = {res: h3.average_hexagon_edge_length(res, "m") for res in range(16)}


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres between two WGS84 points."""
    # Written as plain products, operation by operation as alerts.targeting.haversine_sql does in SQL, so the
    # database and Python decide a point on the circle the same way.
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    s1, s2 = math.sin(dp / 2), math.sin(dl / 2)
    a = s1 * s1 + (math.cos(p1) * math.cos(p2)) * (s2 * s2)
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def valid_latlon(lat: Any, lon: Any) -> bool:
    """True for finite numbers (not booleans) within -90..90 and -180..180."""
    return (
        isinstance(lat, int | float)
        and isinstance(lon, int | float)
        and not isinstance(lat, bool)
        and not isinstance(lon, bool)
        and math.isfinite(lat)
        and math.isfinite(lon)
        and -90 <= lat <= 90
        and -180 <= lon <= 180
    )


def cell_at(lat: float, lon: float, res: int) -> int:
    return h3i.latlng_to_cell(lat, lon, res)


def point_fields(lat: float, lon: float) -> dict[str, Any]:
    """The column values of an areas.models.GeoPoint for this point."""
    return {"lat": lat, "lon": lon, **{f"h3_r{res}": cell_at(lat, lon, res) for res in POINT_RESOLUTIONS}}


def resolution_for_radius(radius_m: float) -> int:
    """Res 9 cells (edge ~200 m) up to 3 km, res 7 (edge ~1.4 km) beyond: few candidates, a short IN-list.

    At 3 km a res-9 cover has about 300 cells; a res-7 cover of the same circle reads about twice the rows."""
    return 9 if radius_m <= 3000 else 7


@lru_cache(maxsize=65536)
def cell_circumradius_m(cell: int) -> float:
    """The largest distance from the cell's centre to any point of the cell (its farthest vertex)."""
    clat, clon = h3i.cell_to_latlng(cell)
    return max(haversine_m(clat, clon, vlat, vlon) for vlat, vlon in h3i.cell_to_boundary(cell))


@dataclass(frozen=True)
class RadiusCover:
    res: int
    inner: frozenset[int]  # every point of these cells is within the radius
    edge: frozenset[int]  # points here need the exact distance check

    @property
    def cells(self) -> frozenset[int]:
        return self.inner | self.edge

    @property
    def column(self) -> str:
        return f"h3_r{self.res}"


def radius_cover(lat: float, lon: float, radius_m: float, res: int | None = None) -> RadiusCover:
    """The H3 cells that together hold every point within `radius_m` of (lat, lon), split in inner and edge cells.

    `res` defaults to resolution_for_radius(radius_m)."""
    if radius_m < 0 or not math.isfinite(radius_m):
        raise ValueError("radius_m must be a finite number >= 0")
    res = resolution_for_radius(radius_m) if res is None else res
    bound = _CIRCUMRADIUS_BOUND * _AVG_EDGE_M[res]
    centre = cell_at(lat, lon, res)
    inner: set[int] = set()
    edge: set[int] = set()

    def classify(cell: int) -> bool:
        clat, clon = h3i.cell_to_latlng(cell)
        distance = haversine_m(lat, lon, clat, clon)
        if distance - bound > radius_m + _TOLERANCE_M:
            return False  # certainly too far, no need for the exact circumradius
        circumradius = cell_circumradius_m(cell)
        if distance + circumradius <= radius_m - _TOLERANCE_M:
            inner.add(cell)
        elif distance - circumradius <= radius_m + _TOLERANCE_M:
            edge.add(cell)
        else:
            return False
        return True

    k = 0
    while True:
        try:
            ring = h3i.grid_ring(centre, k)
        except h3.H3BaseException:  # a pentagon nearby (never in the Netherlands): fall back to a generous disk
            k_max = math.ceil((radius_m + 2 * bound) / _AVG_EDGE_M[res]) + 2
            for cell in h3i.grid_disk(centre, k_max):
                classify(cell)
            break
        if not any([classify(cell) for cell in ring]):  # a list, so every cell of the ring gets classified
            break
        k += 1
    return RadiusCover(res=res, inner=frozenset(inner), edge=frozenset(edge))


class GeometryError(ValueError):
    """A geometry that cannot be used; the message says why (English, for logs; callers translate the kind)."""

    def __init__(self, kind: str, detail: str = ""):
        self.kind = kind
        self.detail = detail
        super().__init__(f"{kind}: {detail}" if detail else kind)


def parse_polygon(geometry: dict[str, Any]) -> BaseGeometry:
    """A valid, non-empty Polygon or MultiPolygon in WGS84 from a GeoJSON geometry, or GeometryError.

    The result is 2-D and rounded to COORDINATE_DECIMALS, exactly as to_geojson() will store it, so the cell
    cover and every later polygon test see the same shape."""
    if not isinstance(geometry, dict) or geometry.get("type") not in {"Polygon", "MultiPolygon"}:
        raise GeometryError("not_polygon")
    try:
        geom = shape(geometry)
        geom = shapely.force_2d(geom)
        coords = shapely.get_coordinates(geom)
    except Exception as exc:  # shapely raises several types for malformed coordinates
        raise GeometryError("malformed", str(exc)) from exc
    if geom.is_empty:
        raise GeometryError("empty")
    if not np.isfinite(coords).all():
        raise GeometryError("malformed", "coordinates must be finite numbers")
    lons, lats = coords[:, 0], coords[:, 1]
    if lons.min() < -180 or lons.max() > 180 or lats.min() < -90 or lats.max() > 90:
        raise GeometryError("out_of_range")
    geom = shapely.transform(geom, lambda xy: np.round(xy, COORDINATE_DECIMALS))
    if not geom.is_valid:
        raise GeometryError("invalid", explain_validity(geom))
    if geom.area == 0:
        raise GeometryError("empty")
    return geom


def to_geojson(geom: BaseGeometry) -> dict[str, Any]:
    data = mapping(geom)
    return {"type": data["type"], "coordinates": _listify(data["coordinates"])}


def _listify(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return [_listify(v) for v in value]
    return round(value, COORDINATE_DECIMALS) if isinstance(value, float) else value


def _h3_cells(geom: BaseGeometry, res: int, mode: str) -> set[int]:
    if geom.is_empty:
        return set()
    return set(h3i.h3shape_to_cells_experimental(h3.geo_to_h3shape(mapping(geom)), res, mode))


def polygon_cover(geom: BaseGeometry, res: int = COVER_RES) -> list[tuple[int, bool]]:
    """Every cell at `res` that overlaps the polygon, with True for cells wholly inside it (see the module text)."""
    overlap = _h3_cells(geom.buffer(COVER_EPSILON_DEG), res, "overlap")
    full = _h3_cells(geom.buffer(-COVER_EPSILON_DEG), res, "full")
    return sorted((cell, cell in full) for cell in overlap | full)


def area_m2(geom: BaseGeometry) -> float:
    """Surface in square metres, computed on the WGS84 ellipsoid (pyproj.Geod).

    Geod sums signed ring areas, so every exterior is oriented counter-clockwise and every hole clockwise first."""
    from pyproj import Geod

    parts = getattr(geom, "geoms", [geom])
    geod = Geod(ellps="WGS84")
    return sum(abs(geod.geometry_area_perimeter(orient(part, sign=1.0))[0]) for part in parts)


def distance_to_polygon_m(geom: BaseGeometry, lat: float, lon: float) -> float:
    """Metres from the point to the polygon (0 when inside or on its edge).

    The nearest boundary point is found in a local equirectangular frame around the point (longitude scaled by
    cos(latitude), so the frame is true to scale near the point; plain degrees would favour east-west neighbours
    1.6 times at 52° N), and the distance to it is the haversine distance."""
    if geom.covers(Point(lon, lat)):
        return 0.0
    scale = math.cos(math.radians(lat))
    local = shapely.transform(geom.boundary, lambda xy: np.column_stack(((xy[:, 0] - lon) * scale, xy[:, 1] - lat)))
    nearest = nearest_points(local, Point(0.0, 0.0))[0]
    return haversine_m(lat, lon, lat + nearest.y, lon + nearest.x / scale)


def cells_near_polygon(cover: Iterable[int], margin_m: float, res: int = COVER_RES) -> set[int]:
    """The cover grown by `margin_m`: every cell that holds a point within `margin_m` of a covered cell.

    Neighbouring cell centres lie at least 1.5 edge lengths apart per ring (the shortest way across a ring), and
    the smallest cells are 0.8 times the average, hence the factor; one extra ring covers the cell's own size."""
    k = math.ceil(margin_m / (1.5 * 0.8 * _AVG_EDGE_M[res])) + 1
    grown: set[int] = set()
    for cell in cover:
        grown.update(h3i.grid_disk(cell, k))
    return grown
