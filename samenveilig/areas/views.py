"""Public pages about areas: the list of municipalities with their wijken and buurten, one area on a map, and
"which area is this point in"."""

import json
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from samenveilig.areas import selectors
from samenveilig.areas.forms import PointForm
from samenveilig.core.errors import Invalid, NotFound


@require_GET
def area_list(request: HttpRequest) -> HttpResponse:
    return render(request, "areas/list.html", {"tree": selectors.area_tree(), "form": PointForm()})


def _feature(area: Any, role: str) -> dict[str, Any]:
    return {"type": "Feature", "geometry": area.geometry, "properties": {"name": area.name, "role": role}}


@require_GET
def area_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        area = selectors.area_by_code(code)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc
    children = list(selectors.area_children(area).defer(None))
    features = [_feature(area, "area"), *(_feature(child, "child") for child in children)]
    context = {
        "area": area,
        "ancestors": selectors.area_ancestors(area),
        "children": children,
        "surface_km2": area.area_m2 / 1_000_000,
        "geojson_json": json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":")),
    }
    return render(request, "areas/detail.html", context)


@require_GET
def area_lookup(request: HttpRequest) -> HttpResponse:
    """GET ?lat=&lon=: the areas at a point; bad input re-renders the form with status 422."""
    form = PointForm(request.GET or None)
    context: dict[str, Any] = {"form": form, "found": None}
    if not request.GET:
        return render(request, "areas/lookup.html", context)
    if not form.is_valid():
        return render(request, "areas/lookup.html", context, status=422)
    lat, lon = form.cleaned_data["lat"], form.cleaned_data["lon"]
    try:
        found = selectors.areas_at(lat=lat, lon=lon)
    except Invalid as exc:
        form.add_error(None, str(exc.message))
        return render(request, "areas/lookup.html", context, status=422)
    if not found:
        form.add_error(None, _("This point does not lie in any area known to Samen Veilig."))
        return render(request, "areas/lookup.html", context, status=422)
    point = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": {}}
    features = [_feature(area, area.kind) for area in found if area.kind == "buurt"] or [_feature(found[-1], "area")]
    context.update(
        found=found,
        geojson_json=json.dumps({"type": "FeatureCollection", "features": [*features, point]}, separators=(",", ":")),
    )
    return render(request, "areas/lookup.html", context)
