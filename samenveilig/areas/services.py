"""Writes for areas: create or update an area with its derived fields and H3 cover."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from samenveilig.areas import geo
from samenveilig.areas.models import Area, AreaCell, AreaKind
from samenveilig.core.errors import Invalid

GEOMETRY_MESSAGES = {
    "not_polygon": _("The area must be a GeoJSON Polygon or MultiPolygon."),
    "malformed": _("The polygon's coordinates cannot be read."),
    "empty": _("The polygon is empty."),
    "invalid": _("The polygon is not valid (for example, its edges cross each other)."),
    "out_of_range": _("The polygon lies outside the valid range of latitude and longitude."),
}


def polygon_or_invalid(geometry: Any, *, field: str = "geometry") -> Any:
    """Parse a GeoJSON polygon, or raise Invalid with a translated reason."""
    try:
        return geo.parse_polygon(geometry)
    except geo.GeometryError as exc:
        message = GEOMETRY_MESSAGES[exc.kind]
        raise Invalid(message, code=f"geometry.{exc.kind}", fields={field: [message]}) from exc


def geometry_fields(geom: Any) -> dict[str, Any]:
    """The derived columns shared by every model that keeps a polygon (centroid, bounding box, surface)."""
    min_lon, min_lat, max_lon, max_lat = geom.bounds
    centre = geom.representative_point() if not geom.contains(geom.centroid) else geom.centroid
    return {
        "geometry": geo.to_geojson(geom),
        "centroid_lat": centre.y,
        "centroid_lon": centre.x,
        "min_lat": min_lat,
        "min_lon": min_lon,
        "max_lat": max_lat,
        "max_lon": max_lon,
    }


@transaction.atomic
def area_save(
    *, kind: AreaKind | str, code: str, name: str, geometry: dict[str, Any], parent: Area | None = None
) -> tuple[Area, bool]:
    """Create or update the area with this code (polygon in WGS84) and rebuild its cell cover.

    Returns (area, created)."""
    geom = polygon_or_invalid(geometry)
    fields = {
        **geometry_fields(geom),
        "kind": kind,
        "name": name,
        "parent": parent,
        "area_m2": geo.area_m2(geom),
    }
    area, created = Area.objects.update_or_create(code=code, defaults=fields)
    AreaCell.objects.filter(area=area).delete()
    AreaCell.objects.bulk_create(
        [AreaCell(area=area, cell=cell, interior=interior) for cell, interior in geo.polygon_cover(geom)],
        batch_size=500,
    )
    return area, created
