"""Areas in the API: public information (the geometry of municipalities, wijken and buurten), so no login needed."""

from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Query, Router

from samenveilig.areas import selectors
from samenveilig.areas.schemas import AreaFeatureOut, AreaLookupOut, AreaOut
from samenveilig.core.api import errors
from samenveilig.core.errors import Invalid

router = Router(tags=["areas"])


@router.get(
    "",
    response={200: list[AreaOut], **errors(422)},
    auth=None,
    summary="List areas",
    description="Municipalities, wijken and buurten, optionally of one kind or within one parent (by code).",
)
def list_areas(
    request: HttpRequest,
    kind: Literal["municipality", "wijk", "buurt"] | None = Query(None, description="Only areas of this kind."),
    parent: str | None = Query(None, max_length=16, description="Only areas that lie in the area with this code."),
) -> list[dict[str, Any]]:
    return [AreaOut.from_area(area) for area in selectors.areas_list(kind=kind, parent_code=parent)]


@router.get(
    "/lookup",
    response={200: AreaLookupOut, **errors(422)},
    auth=None,
    summary="Areas at a point",
    description="The municipality, wijk and buurt that contain a WGS84 point. A point outside every area is a "
    '422 problem with code "area.outside"; an invalid point one with code "invalid" or "point.invalid".',
)
def lookup_areas(
    request: HttpRequest,
    lat: float = Query(..., ge=-90, le=90, description="WGS84 latitude."),
    lon: float = Query(..., ge=-180, le=180, description="WGS84 longitude."),
) -> dict[str, Any]:
    found = selectors.areas_at(lat=lat, lon=lon)
    if not found:
        message = gettext("This point does not lie in any area known to Samen Veilig.")
        raise Invalid(message, code="area.outside", fields={"lat": [message], "lon": [message]})
    first = {}
    for area in found:
        first.setdefault(area.kind, AreaOut.from_area(area))
    return {
        "municipality": first.get("municipality"),
        "wijk": first.get("wijk"),
        "buurt": first.get("buurt"),
        "areas": [AreaOut.from_area(area) for area in found],
    }


@router.get(
    "/{code}",
    response={200: AreaFeatureOut, **errors(404)},
    auth=None,
    summary="One area as a GeoJSON Feature",
)
def get_area(request: HttpRequest, code: str) -> dict[str, Any]:
    area = selectors.area_by_code(code)
    return {
        "type": "Feature",
        "id": area.code,
        "geometry": area.geometry,
        "properties": {
            **AreaOut.from_area(area),
            "area_m2": area.area_m2,
            "bbox": [area.min_lon, area.min_lat, area.max_lon, area.max_lat],
            "children": [child.code for child in selectors.area_children(area)],
        },
    }
