"""Writes for areas: create or update an area with its derived fields and H3 cover; import a GeoJSON file."""

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from shapely.geometry import mapping, shape

from samenveilig.areas import geo
from samenveilig.areas.models import Area, AreaCell, AreaKind
from samenveilig.core import refcache
from samenveilig.core.errors import Invalid

GEOMETRY_MESSAGES = {
    "not_polygon": _("The area must be a GeoJSON Polygon or MultiPolygon."),
    "malformed": _("The polygon's coordinates cannot be read."),
    "empty": _("The polygon is empty."),
    "invalid": _("The polygon is not valid (for example, its edges cross each other)."),
    "out_of_range": _("The polygon lies outside the valid range of latitude and longitude."),
}

# Which kinds may contain which: a buurt lies in a wijk (or directly in a municipality), a wijk in a municipality.
PARENT_KINDS = {
    AreaKind.MUNICIPALITY: (),
    AreaKind.WIJK: (AreaKind.MUNICIPALITY,),
    AreaKind.BUURT: (AreaKind.WIJK, AreaKind.MUNICIPALITY),
}
KIND_ORDER = (AreaKind.MUNICIPALITY, AreaKind.WIJK, AreaKind.BUURT)


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


def _area_problems(*, kind: Any, code: Any, name: Any, parent: Area | None) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    if kind not in AreaKind.values:
        fields["kind"] = [gettext("Choose one of: municipality, wijk, buurt.")]
    if not isinstance(code, str) or not code.strip():
        fields["code"] = [gettext("Every area needs a code.")]
    elif len(code.strip()) > Area._meta.get_field("code").max_length:
        fields["code"] = [gettext("The code is too long (at most 16 characters).")]
    if not isinstance(name, str) or not name.strip():
        fields["name"] = [gettext("Every area needs a name.")]
    elif len(name.strip()) > Area._meta.get_field("name").max_length:
        fields["name"] = [gettext("The name is too long (at most 200 characters).")]
    if parent is not None and kind in AreaKind.values and parent.kind not in PARENT_KINDS[AreaKind(kind)]:
        fields["parent"] = [gettext("A %(kind)s cannot lie in a %(parent)s.") % {"kind": kind, "parent": parent.kind}]
    return fields


@transaction.atomic
def area_save(
    *, kind: AreaKind | str, code: str, name: str, geometry: dict[str, Any], parent: Area | None = None
) -> tuple[Area, bool]:
    """Create or update the area with this code (polygon in WGS84) and rebuild its cell cover.

    Returns (area, created)."""
    problems = _area_problems(kind=kind, code=code, name=name, parent=parent)
    if problems:
        raise Invalid(gettext("The area is not valid."), code="area.invalid", fields=problems)
    geom = polygon_or_invalid(geometry)
    fields = {
        **geometry_fields(geom),
        "kind": kind,
        "name": name.strip(),
        "parent": parent,
        "area_m2": geo.area_m2(geom),
    }
    area, created = Area.objects.update_or_create(code=code.strip(), defaults=fields)
    AreaCell.objects.filter(area=area).delete()
    AreaCell.objects.bulk_create(
        [AreaCell(area=area, cell=cell, interior=interior) for cell, interior in geo.polygon_cover(geom)],
        batch_size=500,
    )
    refcache.bump()  # bulk_create sends no signals: buurt_at must not keep the old cells
    return area, created


# --- import -----------------------------------------------------------------------------------------------------------

WGS84, RD_NEW = "EPSG:4326", "EPSG:28992"
_CRS_NAMES = {
    "epsg:4326": WGS84,
    "epsg::4326": WGS84,
    "epsg:4258": WGS84,  # ETRS89: within a metre of WGS84 in the Netherlands
    "epsg::4258": WGS84,
    "crs84": WGS84,
    "ogc:1.3:crs84": WGS84,
    "epsg:28992": RD_NEW,
    "epsg::28992": RD_NEW,
}
# The area of use of RD New (EPSG:28992), in metres.
_RD_BOUNDS = (-7_000.0, 289_000.0, 300_000.0, 629_000.0)

# Property names per kind, in order of preference: CBS wijk- en buurtkaart (2022 and later, then the older upper-case
# columns), the `statcode`/`statnaam` of the CBS gebiedsindelingen, then the generic `code`/`name`.
_CODE_KEYS = {
    AreaKind.BUURT: ("buurtcode", "bu_code", "statcode", "code"),
    AreaKind.WIJK: ("wijkcode", "wk_code", "statcode", "code"),
    AreaKind.MUNICIPALITY: ("gemeentecode", "gm_code", "statcode", "code"),
}
_NAME_KEYS = {
    AreaKind.BUURT: ("buurtnaam", "bu_naam", "statnaam", "name", "naam"),
    AreaKind.WIJK: ("wijknaam", "wk_naam", "statnaam", "name", "naam"),
    AreaKind.MUNICIPALITY: ("gemeentenaam", "gm_naam", "statnaam", "name", "naam"),
}
_PARENT_KEYS = {
    AreaKind.BUURT: (("wijkcode", AreaKind.WIJK), ("wk_code", AreaKind.WIJK), ("gemeentecode", AreaKind.MUNICIPALITY))
    + (("gm_code", AreaKind.MUNICIPALITY),),
    AreaKind.WIJK: (("gemeentecode", AreaKind.MUNICIPALITY), ("gm_code", AreaKind.MUNICIPALITY)),
    AreaKind.MUNICIPALITY: (),
}
_CODE_PREFIXES = {"BU": AreaKind.BUURT, "WK": AreaKind.WIJK, "GM": AreaKind.MUNICIPALITY}
_KIND_WORDS = {
    "buurt": AreaKind.BUURT,
    "neighbourhood": AreaKind.BUURT,
    "wijk": AreaKind.WIJK,
    "district": AreaKind.WIJK,
    "municipality": AreaKind.MUNICIPALITY,
    "gemeente": AreaKind.MUNICIPALITY,
}


@dataclass
class ImportResult:
    created: dict[str, int] = field(default_factory=lambda: dict.fromkeys(AreaKind.values, 0))
    updated: dict[str, int] = field(default_factory=lambda: dict.fromkeys(AreaKind.values, 0))
    skipped_water: int = 0
    crs: str = WGS84

    def lines(self) -> list[str]:
        """One line per kind that occurred, e.g. "buurt: created 8, updated 0"."""
        return [
            gettext("%(kind)s: created %(created)d, updated %(updated)d")
            % {"kind": kind, "created": self.created[kind], "updated": self.updated[kind]}
            for kind in KIND_ORDER
            if self.created[kind] or self.updated[kind]
        ]


@dataclass
class _Planned:
    index: int
    kind: AreaKind
    code: str
    name: str
    geometry: dict[str, Any]
    parent_code: str | None = None
    parent_kinds: tuple[AreaKind, ...] = ()


class _FeatureProblems:
    """Collects the reasons per feature; raised at once so a file's author sees every problem in one go."""

    LIMIT = 50

    def __init__(self) -> None:
        self.fields: dict[str, list[str]] = {}

    def add(self, index: int, message: str) -> None:
        self.fields.setdefault(f"features[{index}]", []).append(message)

    def raise_if_any(self) -> None:
        if not self.fields:
            return
        count = len(self.fields)
        shown = dict(list(self.fields.items())[: self.LIMIT])
        first_key, first = next(iter(shown.items()))
        message = gettext(
            "The file was not imported: %(count)d feature(s) have problems, nothing was changed. "
            "The first: %(key)s: %(reason)s"
        ) % {"count": count, "key": first_key, "reason": first[0]}
        raise Invalid(message, code="import.invalid_feature", fields=shown)


def _file_error(message: str, code: str) -> Invalid:
    return Invalid(message, code=code, fields={"file": [message]})


def _crs_of(collection: dict[str, Any]) -> str | None:
    """The CRS named by the (pre-RFC 7946) `crs` member, None when there is none, Invalid when it is unknown."""
    crs = collection.get("crs")
    if crs is None:
        return None
    name = crs.get("properties", {}).get("name") if isinstance(crs, dict) else None
    if isinstance(name, str):
        key = name.lower().removeprefix("urn:ogc:def:crs:").removeprefix("http://www.opengis.net/def/crs/")
        key = key.replace("/0/", ":").replace("/", ":")
        if key in _CRS_NAMES:
            return _CRS_NAMES[key]
    message = gettext(
        "The file's coordinate reference system %(crs)s is not supported: use WGS84 (EPSG:4326) or RD New (EPSG:28992)."
    ) % {"crs": name if isinstance(name, str) else "?"}
    raise _file_error(message, "import.unknown_crs")


def _crs_from_coordinates(shapes: list[Any]) -> str:
    coords = shapely.get_coordinates(shapes)
    if len(coords) and not (coords[:, 0].min() < -180 or coords[:, 0].max() > 180 or abs(coords[:, 1]).max() > 90):
        return WGS84
    x0, y0, x1, y1 = _RD_BOUNDS
    xs, ys = coords[:, 0], coords[:, 1]
    if len(coords) and xs.min() >= x0 and xs.max() <= x1 and ys.min() >= y0 and ys.max() <= y1:
        return RD_NEW
    message = gettext(
        "The coordinates are neither WGS84 longitude/latitude nor RD New (EPSG:28992) metres; "
        "name the coordinate reference system in the file's `crs` member."
    )
    raise _file_error(message, "import.unknown_crs")


def _text(value: Any) -> str:
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _first(props: dict[str, Any], keys: tuple[str, ...]) -> str:
    for key in keys:
        if text := _text(props.get(key)):
            return text
    return ""


def _kind_of(props: dict[str, Any], forced: AreaKind | None) -> AreaKind | None:
    if forced is not None:
        return forced
    if word := _text(props.get("kind")).lower():
        return _KIND_WORDS.get(word)
    for key, kind in (("buurtcode", "buurt"), ("bu_code", "buurt"), ("wijkcode", "wijk"), ("wk_code", "wijk")):
        if _text(props.get(key)):
            return AreaKind(kind)
    for key in ("statcode", "code", "gemeentecode", "gm_code"):
        prefix = _text(props.get(key))[:2].upper()
        if prefix in _CODE_PREFIXES:
            return _CODE_PREFIXES[prefix]
    return None


def _plan_feature(index: int, feature: Any, raw: Any, forced: AreaKind | None, problems: _FeatureProblems) -> Any:
    props = {str(k).lower(): v for k, v in (feature.get("properties") or {}).items()}
    kind = _kind_of(props, forced)
    if kind is None:
        problems.add(
            index, gettext("Its kind cannot be told from its properties; give --kind buurt, wijk or municipality.")
        )
        return None
    code, name = _first(props, _CODE_KEYS[kind]), _first(props, _NAME_KEYS[kind])
    if not code:
        problems.add(index, gettext("It has no code (for example buurtcode, wijkcode, gemeentecode or code)."))
    elif len(code) > Area._meta.get_field("code").max_length:
        problems.add(index, gettext("Its code %(code)s is too long (at most 16 characters).") % {"code": code})
    if not name:
        problems.add(index, gettext("It has no name (for example buurtnaam, wijknaam, gemeentenaam or name)."))
    elif len(name) > Area._meta.get_field("name").max_length:
        problems.add(index, gettext("Its name is too long (at most 200 characters)."))
    parent_code, parent_kinds = None, PARENT_KINDS[kind]
    for key, parent_kind in _PARENT_KEYS[kind]:
        if value := _text(props.get(key)):
            parent_code, parent_kinds = value, (parent_kind,)
            break
    if parent_code is None and kind != AreaKind.MUNICIPALITY and (value := _text(props.get("parent"))):
        parent_code = value
    try:
        geom = geo.parse_polygon(mapping(raw))
    except geo.GeometryError as exc:
        problems.add(index, str(GEOMETRY_MESSAGES[exc.kind]) + (f" ({exc.detail})" if exc.detail else ""))
        return None
    if not code or not name or problems.fields.get(f"features[{index}]"):
        return None
    return _Planned(index, kind, code, name, geo.to_geojson(geom), parent_code, parent_kinds)


def _is_water(props: dict[str, Any]) -> bool:
    lowered = {str(k).lower(): v for k, v in props.items()}
    return _text(lowered.get("water")).upper() == "JA"


@transaction.atomic
def areas_import(*, collection: Any, kind: str | None = None) -> ImportResult:
    """Create or update the areas of a GeoJSON FeatureCollection (WGS84, or RD New which is transformed), linking
    each buurt to its wijk and each wijk to its municipality by code. All or nothing: any bad feature raises Invalid
    naming every feature index with its reason, and nothing is changed. CBS water parts (water = "JA") are skipped.
    """
    if kind is not None and kind not in AreaKind.values:
        raise _file_error(gettext("Choose one of: municipality, wijk, buurt."), "import.unknown_kind")
    forced = AreaKind(kind) if kind else None
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise _file_error(gettext("The file is not a GeoJSON FeatureCollection."), "import.not_feature_collection")
    features = collection.get("features")
    if not isinstance(features, list):
        raise _file_error(gettext("The FeatureCollection has no list of features."), "import.not_feature_collection")
    if not features:
        raise _file_error(gettext("The file holds no features."), "import.empty")
    crs = _crs_of(collection)

    result = ImportResult()
    problems = _FeatureProblems()
    shapes: list[tuple[int, dict[str, Any], Any]] = []
    for index, feature in enumerate(features):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            problems.add(index, gettext("It is not a GeoJSON Feature."))
            continue
        if not isinstance(feature.get("properties") or {}, dict):
            problems.add(index, gettext("Its properties are not a JSON object."))
            continue
        if _is_water(feature.get("properties") or {}):
            result.skipped_water += 1
            continue
        geometry = feature.get("geometry")
        if not isinstance(geometry, dict) or geometry.get("type") not in {"Polygon", "MultiPolygon"}:
            problems.add(index, str(GEOMETRY_MESSAGES["not_polygon"]))
            continue
        try:
            raw = shape(geometry)
            if raw.is_empty or not all(math.isfinite(v) for v in raw.bounds):
                raise ValueError("empty or not finite")
        except Exception:  # shapely raises several types for malformed coordinates
            problems.add(index, str(GEOMETRY_MESSAGES["malformed"]))
            continue
        shapes.append((index, feature, shapely.force_2d(raw)))
    if shapes and crs is None:
        crs = _crs_from_coordinates([raw for _, _, raw in shapes])
    result.crs = crs or WGS84
    if result.crs == RD_NEW and shapes:
        shapes = [(index, feature, raw) for index, feature, raw in _from_rd_new(shapes)]

    planned: list[_Planned] = []
    for index, feature, raw in shapes:
        if (plan := _plan_feature(index, feature, raw, forced, problems)) is not None:
            planned.append(plan)

    first_index: dict[str, int] = {}
    for plan in planned:
        if plan.code in first_index:
            problems.add(
                plan.index,
                gettext("Its code %(code)s was already used by feature %(other)d.")
                % {"code": plan.code, "other": first_index[plan.code]},
            )
        else:
            first_index[plan.code] = plan.index
    in_file = {plan.code: plan.kind for plan in planned}
    wanted = {plan.code for plan in planned} | {plan.parent_code for plan in planned if plan.parent_code}
    existing = dict(Area.objects.filter(code__in=wanted).values_list("code", "kind"))
    for plan in planned:
        if plan.code in existing and existing[plan.code] != plan.kind:
            problems.add(
                plan.index,
                gettext("Its code %(code)s already belongs to a %(other)s, not a %(kind)s.")
                % {"code": plan.code, "other": existing[plan.code], "kind": plan.kind},
            )
        if plan.parent_code is None:
            continue
        parent_kind = in_file.get(plan.parent_code) or existing.get(plan.parent_code)
        if parent_kind is None:
            problems.add(
                plan.index,
                gettext(
                    "It lies in %(parent)s, which is neither in this file nor imported before; "
                    "import the wijken and municipalities first, or include them in the file."
                )
                % {"parent": plan.parent_code},
            )
        elif parent_kind not in plan.parent_kinds:
            problems.add(
                plan.index,
                gettext("It lies in %(parent)s, which is a %(other)s; a %(kind)s cannot lie in a %(other)s.")
                % {"parent": plan.parent_code, "other": parent_kind, "kind": plan.kind},
            )
    problems.raise_if_any()

    saved: dict[str, Area] = {}
    for kind_now in KIND_ORDER:
        for plan in (p for p in planned if p.kind == kind_now):
            parent = None
            if plan.parent_code:
                if plan.parent_code not in saved:
                    saved[plan.parent_code] = Area.objects.get(code=plan.parent_code)
                parent = saved[plan.parent_code]
            area, created = area_save(
                kind=plan.kind, code=plan.code, name=plan.name, geometry=plan.geometry, parent=parent
            )
            saved[plan.code] = area
            (result.created if created else result.updated)[plan.kind] += 1
    return result


def _from_rd_new(shapes: list[tuple[int, dict[str, Any], Any]]) -> list[tuple[int, dict[str, Any], Any]]:
    """Transform RD New (EPSG:28992) shapes to WGS84 longitude/latitude; coordinates outside RD New's area of use
    are refused (a file that names RD New but holds degrees would otherwise land somewhere in the sea)."""
    from pyproj import Transformer

    x0, y0, x1, y1 = _RD_BOUNDS
    coords = shapely.get_coordinates([raw for _, _, raw in shapes])
    if coords[:, 0].min() < x0 or coords[:, 0].max() > x1 or coords[:, 1].min() < y0 or coords[:, 1].max() > y1:
        message = gettext("The file names RD New (EPSG:28992), but its coordinates lie outside the Netherlands.")
        raise _file_error(message, "import.unknown_crs")
    to_wgs84 = Transformer.from_crs(RD_NEW, WGS84, always_xy=True)

    def transform(xy: Any) -> Any:
        return np.column_stack(to_wgs84.transform(xy[:, 0], xy[:, 1]))

    return [(index, feature, shapely.transform(raw, transform)) for index, feature, raw in shapes]
