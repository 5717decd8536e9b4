from typing import Any, Literal

from ninja import Field, Schema

from samenveilig.areas.models import Area


class CentroidOut(Schema):
    lat: float = Field(..., description="WGS84 latitude of a point inside the area.")
    lon: float = Field(..., description="WGS84 longitude of a point inside the area.")


class AreaOut(Schema):
    code: str = Field(..., description="CBS code, e.g. BU03630000.")
    name: str
    kind: Literal["municipality", "wijk", "buurt"]
    parent: str | None = Field(None, description="The code of the area this one lies in.")
    centroid: CentroidOut

    @staticmethod
    def from_area(area: Area) -> dict[str, Any]:
        return {
            "code": area.code,
            "name": area.name,
            "kind": area.kind,
            "parent": area.parent.code if area.parent_id else None,
            "centroid": {"lat": area.centroid_lat, "lon": area.centroid_lon},
        }


class AreaPropertiesOut(AreaOut):
    area_m2: float = Field(..., description="Surface in square metres.")
    bbox: list[float] = Field(..., description="West, south, east, north (WGS84 degrees).")
    children: list[str] = Field(..., description="Codes of the areas that lie in this one.")


class GeometryOut(Schema):
    type: Literal["Polygon", "MultiPolygon"]
    coordinates: list[Any] = Field(..., description="GeoJSON coordinates, longitude first (RFC 7946).")


class AreaFeatureOut(Schema):
    """One area as a GeoJSON Feature (RFC 7946)."""

    type: Literal["Feature"] = "Feature"
    id: str
    geometry: GeometryOut
    properties: AreaPropertiesOut


class AreaLookupOut(Schema):
    """The areas at a point. On a shared border `buurt` is the one with the lowest code and `areas` lists all."""

    municipality: AreaOut | None
    wijk: AreaOut | None
    buurt: AreaOut | None
    areas: list[AreaOut]
