"""Pure geometry helpers: H3 cells for points, radii and polygons; exact distances; GeoJSON in and out.

Design (measured in shared/research/perf-limits.md §6): a radius search takes the H3 cells around the centre at a
resolution that suits the radius, keeps only cells whose centre lies within r + margin ("pruned"), asks the
database for points in those cells (B-tree index on the cell column), and applies the exact haversine distance only
to points in edge cells: cells whose centre lies within r - margin are wholly inside the circle.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import h3
import h3.api.basic_int as h3i
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

EARTH_RADIUS_M = 6_371_008.8
POINT_RESOLUTIONS = (7, 9)
COVER_RES = 9  # resolution of the area and community cell covers

# Largest distance from a cell's centre to any point of the cell, with a safety factor: a hexagon's
# circumradius equals its edge length, and H3 edges vary up to ~1.2x the average across the globe.
_CELL_RADIUS_M = {res: 1.25 * h3.average_hexagon_edge_length(res, "m") for res in range(16)}


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres between two WGS84 points."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def valid_latlon(lat: float, lon: float) -> bool:
    return (
        isinstance(lat, int | float)
        and isinstance(lon, int | float)
        and math.isfinite(lat)
        and math.isfinite(lon)
        and -90 <= lat <= 90
        and -180 <= lon <= 180
    )


def cell_at(lat: float, lon: float, res: int) -> int:
    return h3i.latlng_to_cell(lat, lon, res)


def point_fields(lat: float, lon: float) -> dict[str, Any]:
    """The column values of a areas.models.GeoPoint for this point."""
    return {"lat": lat, "lon": lon, **{f"h3_r{res}": cell_at(lat, lon, res) for res in POINT_RESOLUTIONS}}


def resolution_for_radius(radius_m: float) -> int:
    """Res 9 cells (~200 m) for neighbourhood radii, res 7 (~1.4 km) for large ones: keeps the IN-list short."""
    return 9 if radius_m <= 1500 else 7


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


def radius_cover(lat: float, lon: float, radius_m: float) -> RadiusCover:
    """The H3 cells that together hold every point within `radius_m` of (lat, lon)."""
    res = resolution_for_radius(radius_m)
    margin = _CELL_RADIUS_M[res]
    centre = cell_at(lat, lon, res)
    k = math.ceil((radius_m + 2 * margin) / (1.5 * h3.average_hexagon_edge_length(res, "m"))) + 1
    inner, edge = set(), set()
    for cell in h3i.grid_disk(centre, k):
        clat, clon = h3i.cell_to_latlng(cell)
        distance = haversine_m(lat, lon, clat, clon)
        if distance <= radius_m - margin:
            inner.add(cell)
        elif distance <= radius_m + margin:
            edge.add(cell)
    return RadiusCover(res=res, inner=frozenset(inner), edge=frozenset(edge))


class GeometryError(ValueError):
    """A geometry that cannot be used; the message says why (English, for logs; callers translate the kind)."""

    def __init__(self, kind: str, detail: str = ""):
        self.kind = kind
        self.detail = detail
        super().__init__(f"{kind}: {detail}" if detail else kind)


def parse_polygon(geometry: dict[str, Any]) -> BaseGeometry:
    """A valid, non-empty Polygon or MultiPolygon in WGS84 from a GeoJSON geometry, or GeometryError."""
    if not isinstance(geometry, dict) or geometry.get("type") not in {"Polygon", "MultiPolygon"}:
        raise GeometryError("not_polygon")
    try:
        geom = shape(geometry)
    except Exception as exc:  # shapely raises several types for malformed coordinates
        raise GeometryError("malformed", str(exc)) from exc
    if geom.is_empty:
        raise GeometryError("empty")
    if not geom.is_valid:
        raise GeometryError("invalid", explain_validity(geom))
    min_lon, min_lat, max_lon, max_lat = geom.bounds
    if not (valid_latlon(min_lat, min_lon) and valid_latlon(max_lat, max_lon)):
        raise GeometryError("out_of_range")
    return geom


def to_geojson(geom: BaseGeometry) -> dict[str, Any]:
    data = mapping(geom)
    return {"type": data["type"], "coordinates": _listify(data["coordinates"])}


def _listify(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return [_listify(v) for v in value]
    return round(value, 7) if isinstance(value, float) else value


def polygon_cover(geom: BaseGeometry, res: int = COVER_RES) -> list[tuple[int, bool]]:
    """Every cell at `res` that overlaps the polygon, with True for cells wholly inside it."""
    h3shape = h3.geo_to_h3shape(to_geojson(geom))
    overlap = set(h3i.h3shape_to_cells_experimental(h3shape, res, "overlap"))
    full = set(h3i.h3shape_to_cells_experimental(h3shape, res, "full"))
    return sorted((cell, cell in full) for cell in overlap)


def area_m2(geom: BaseGeometry) -> float:
    """Surface in square metres, computed on the ellipsoid (pyproj.Geod)."""
    from pyproj import Geod

    surface, _ = Geod(ellps="WGS84").geometry_area_perimeter(geom)
    return abs(surface)


def distance_to_polygon_m(geom: BaseGeometry, lat: float, lon: float) -> float:
    """Metres from the point to the polygon (0 when inside): exact on the ellipsoid to the nearest boundary point."""
    from shapely.geometry import Point
    from shapely.ops import nearest_points

    point = Point(lon, lat)
    if geom.covers(point):
        return 0.0
    nearest = nearest_points(geom.boundary, point)[0]
    return haversine_m(lat, lon, nearest.y, nearest.x)


def cells_near_polygon(cover: Iterable[int], margin_m: float, res: int = COVER_RES) -> set[int]:
    """The cover grown by `margin_m`: every cell with a point within `margin_m` of a covered cell."""
    k = math.ceil(margin_m / (1.5 * h3.average_hexagon_edge_length(res, "m"))) + 1
    grown: set[int] = set()
    for cell in cover:
        grown.update(h3i.grid_disk(cell, k))
    return grown
