"""The demo's geography, pure functions only: the outline of Gemeente Voorbeeld, its wijken and buurten, streets and
homes. Everything is computed in a local metric frame (metres east and north of ORIGIN) and converted to WGS84 at the
end; the buurten are snapped to one shared 1e-7 degree grid so that neighbours share their edges exactly (they tile
the municipality without gaps or overlaps, also after GeoJSON rounding).
"""

import math
import random
from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely import affinity
from shapely.geometry import LineString, MultiPoint, Point, Polygon, box
from shapely.geometry.base import BaseGeometry
from shapely.ops import substring

# A fictional spot in the middle of the country, between Utrecht and Amersfoort.
ORIGIN_LAT, ORIGIN_LON = 52.1, 5.3
M_PER_DEG_LAT = 110_574.0
M_PER_DEG_LON = 111_320.0 * math.cos(math.radians(ORIGIN_LAT))
GRID = 1e-7  # degrees: the precision of stored GeoJSON coordinates (about 1 cm)
RADIUS_M = 1500.0  # mean radius of the municipality (about 7 km²)


def to_degrees(geom: BaseGeometry) -> BaseGeometry:
    """Local metres -> (lon, lat)."""

    def convert(coords: np.ndarray) -> np.ndarray:
        return np.column_stack((ORIGIN_LON + coords[:, 0] / M_PER_DEG_LON, ORIGIN_LAT + coords[:, 1] / M_PER_DEG_LAT))

    return shapely.transform(geom, convert)


def latlon(x: float, y: float) -> tuple[float, float]:
    """Local metres -> (lat, lon), rounded like stored coordinates."""
    return round(ORIGIN_LAT + y / M_PER_DEG_LAT, 7), round(ORIGIN_LON + x / M_PER_DEG_LON, 7)


def random_point_in(poly: BaseGeometry, rng: random.Random, tries: int = 500) -> Point:
    min_x, min_y, max_x, max_y = poly.bounds
    for _ in range(tries):
        p = Point(rng.uniform(min_x, max_x), rng.uniform(min_y, max_y))
        if poly.contains(p):
            return p
    return poly.representative_point()


def shrink(poly: BaseGeometry, metres: float) -> BaseGeometry:
    """The polygon shrunk by up to `metres` (less when it would vanish)."""
    for d in (metres, metres * 0.6, metres * 0.35, metres * 0.15):
        inner = poly.buffer(-d)
        if not inner.is_empty and inner.area > 0.15 * poly.area:
            return inner
    return poly


def outline(rng: random.Random) -> Polygon:
    """An irregular, star-shaped outline: a sum of a few waves around a circle, with a little noise."""
    waves = [(2, 0.12, rng.uniform(0, 2 * math.pi)), (3, 0.08, rng.uniform(0, 2 * math.pi))]
    waves.append((5, 0.04, rng.uniform(0, 2 * math.pi)))
    points = []
    n = 36
    for i in range(n):
        theta = 2 * math.pi * i / n
        r = RADIUS_M * (1 + sum(a * math.sin(k * theta + phi) for k, a, phi in waves))
        r *= 1 + rng.uniform(-0.035, 0.035)
        points.append((r * math.cos(theta), r * math.sin(theta)))
    return Polygon(points)


def voronoi_split(poly: Polygon, seeds: list[Point]) -> list[BaseGeometry]:
    """The Voronoi cells of `seeds`, clipped to `poly`, in the order of the seeds."""
    min_x, min_y, max_x, max_y = poly.bounds
    frame = box(min_x - 5000, min_y - 5000, max_x + 5000, max_y + 5000)
    cells = shapely.voronoi_polygons(MultiPoint(seeds), extend_to=frame, ordered=True)
    return [cell.intersection(poly) for cell in cells.geoms]


def spread_seeds(poly: BaseGeometry, n: int, rng: random.Random) -> list[Point]:
    """n points inside `poly`, not too close together (dart throwing with a shrinking distance)."""
    spacing = 0.65 * math.sqrt(poly.area / n)
    inner = poly.buffer(-0.15 * spacing)
    if inner.is_empty:
        inner = poly
    seeds: list[Point] = []
    while len(seeds) < n:
        for _ in range(400):
            p = random_point_in(inner, rng)
            if all(p.distance(q) >= spacing for q in seeds):
                seeds.append(p)
                break
        else:
            spacing *= 0.85
    return seeds


def largest_polygon(geom: BaseGeometry) -> Polygon:
    if geom.geom_type == "Polygon":
        return geom
    return max(shapely.get_parts(geom), key=lambda g: g.area)


def snap_tiling(pieces: list[BaseGeometry]) -> list[BaseGeometry]:
    """Snap polygons that tile an area to the GRID so that neighbours share exact edges (no slivers).

    All edges are noded together on the grid, the faces are rebuilt, and each face goes to the piece that holds it."""
    edges = shapely.union_all([p.boundary for p in pieces], grid_size=GRID)
    faces = list(shapely.get_parts(shapely.polygonize(list(shapely.get_parts(edges)))))
    owned: list[list[BaseGeometry]] = [[] for _ in pieces]
    for face in faces:
        inside = face.representative_point()
        owner = next((i for i, p in enumerate(pieces) if p.contains(inside)), None)
        if owner is None:
            owner = min(range(len(pieces)), key=lambda i: pieces[i].distance(inside))
        owned[owner].append(face)
    return [shapely.union_all(faces_, grid_size=GRID) for faces_ in owned]


@dataclass
class BuurtShape:
    code: str
    name: str
    theme: str
    density: float
    metres: Polygon  # in the local frame (before snapping)
    degrees: BaseGeometry = None  # snapped WGS84 polygon


@dataclass
class WijkShape:
    code: str
    name: str
    buurten: list[BuurtShape] = field(default_factory=list)
    degrees: BaseGeometry = None


def split_municipality(
    rng: random.Random, plan: list[tuple[str, str, list[tuple[str, str, str, float]]]], municipality_code: str
) -> tuple[BaseGeometry, list[WijkShape]]:
    """Cut the outline into wijken (Voronoi of a few seeds around the centre), each wijk into buurten."""
    shape = outline(rng)
    start = rng.uniform(0, 2 * math.pi)
    wijk_seeds = []
    for i in range(len(plan)):
        angle = start + 2 * math.pi * i / len(plan) + rng.uniform(-0.25, 0.25)
        dist = RADIUS_M * rng.uniform(0.45, 0.6)
        wijk_seeds.append(Point(dist * math.cos(angle), dist * math.sin(angle)))
    wijken: list[WijkShape] = []
    for (wcode, wname, buurt_plan), cell in zip(plan, voronoi_split(shape, wijk_seeds), strict=True):
        wijk_poly = largest_polygon(cell)
        wijk = WijkShape(code=f"WK{municipality_code[2:]}{wcode}", name=wname)
        seeds = spread_seeds(wijk_poly, len(buurt_plan), rng)
        for (bcode, bname, theme, density), bcell in zip(buurt_plan, voronoi_split(wijk_poly, seeds), strict=True):
            wijk.buurten.append(
                BuurtShape(
                    code=f"BU{municipality_code[2:]}{wcode}{bcode}",
                    name=bname,
                    theme=theme,
                    density=density,
                    metres=largest_polygon(bcell),
                )
            )
        wijken.append(wijk)
    buurten = [b for w in wijken for b in w.buurten]
    snapped = snap_tiling([to_degrees(b.metres) for b in buurten])
    for b, geom in zip(buurten, snapped, strict=True):
        b.degrees = geom
    for w in wijken:
        w.degrees = shapely.union_all([b.degrees for b in w.buurten], grid_size=GRID)
    whole = shapely.union_all([w.degrees for w in wijken], grid_size=GRID)
    return whole, wijken


def rectangle(centre: Point, width: float, height: float, angle_deg: float) -> Polygon:
    rect = box(-width / 2, -height / 2, width / 2, height / 2)
    return affinity.translate(affinity.rotate(rect, angle_deg, origin=(0, 0)), centre.x, centre.y)


# --- Streets and homes ---------------------------------------------------------------------------------------------


@dataclass
class Street:
    name: str
    line: LineString  # metres
    buurt: str


@dataclass
class House:
    buurt: str
    street: str
    number: str
    postcode: str
    x: float
    y: float


def postcode_letters():
    """AA, AB, … in order, skipping the combinations PostNL does not use (SA, SD, SS)."""
    letters = "ABCDEFGHJKLMNPRTVWXZ"
    for a in letters:
        for b in letters:
            if a + b not in {"SA", "SD", "SS"}:
                yield a + b


def lay_streets(
    *,
    rng: random.Random,
    region: BaseGeometry,
    houses_needed: int,
    buurt: str,
    pc4: int,
    names: "StreetNamer",
    theme: str,
    first_street_through: Point | None = None,
    forced_first_name: str | None = None,
    min_length: float = 80.0,
) -> tuple[list[Street], list[House]]:
    """Lay straight streets across `region` (in two main directions, like most Dutch neighbourhoods) and put houses
    on both sides (odd numbers left, even right) until `houses_needed` houses stand. Houses keep clear of other
    streets; a street's numbers share a postcode per block of twenty."""
    base_angle = rng.uniform(0, math.pi / 2)
    streets: list[Street] = []
    houses: list[House] = []
    occupied: BaseGeometry | None = None
    street_lines: list[LineString] = []
    letters = postcode_letters()
    spacing_choices = [12.0, 14.0, 16.0, 19.0, 23.0, 28.0]
    attempts = 0
    min_x, min_y, max_x, max_y = region.bounds
    diag = math.hypot(max_x - min_x, max_y - min_y)
    while len(houses) < houses_needed and attempts < 1500:
        attempts += 1
        if attempts == 1 and first_street_through is not None:
            p = first_street_through
        else:
            p = random_point_in(region, rng)
        angle = base_angle + rng.choice([0.0, math.pi / 2]) + rng.gauss(0, 0.07)
        half = rng.uniform(70, 190)
        dx, dy = math.cos(angle), math.sin(angle)
        line = LineString([(p.x - dx * diag, p.y - dy * diag), (p.x + dx * diag, p.y + dy * diag)])
        clipped = line.intersection(region)
        if clipped.is_empty:
            continue
        parts = [g for g in shapely.get_parts(clipped) if g.geom_type == "LineString"]
        if not parts:
            continue
        part = min(parts, key=lambda g: g.distance(p))
        # Keep a piece of at most 2 * half around p.
        t = part.project(p)
        seg = substring(part, max(0.0, t - half), min(part.length, t + half))
        if seg.length < min_length and not (attempts > 800 and seg.length >= 40):
            continue
        if occupied is not None and seg.difference(occupied).length < 0.7 * seg.length:
            continue
        name = forced_first_name if (not streets and forced_first_name) else names.next(theme)
        street = Street(name=name, line=seg, buurt=buurt)
        spacing = rng.choice(spacing_choices)
        offsets = np.arange(8.0, seg.length - 8.0, spacing)
        if len(offsets) == 0:
            continue
        sx, sy = seg.coords[0]
        ex, ey = seg.coords[-1]
        ux, uy = (ex - sx) / seg.length, (ey - sy) / seg.length
        nx, ny = -uy, ux
        others = shapely.union_all(street_lines) if street_lines else None
        added = 0
        for side, first_number in ((1.0, 1), (-1.0, 2)):
            xs = sx + ux * offsets + side * nx * 11.0
            ys = sy + uy * offsets + side * ny * 11.0
            ok = shapely.contains_xy(region, xs, ys)
            if others is not None:
                ok &= ~shapely.dwithin(others, shapely.points(xs, ys), 9.0)
            number = first_number
            pc = None
            for x, y, keep in zip(xs, ys, ok, strict=True):
                if not keep:
                    number += 2
                    continue
                if len(houses) >= houses_needed:
                    break
                block = (number - 1) // 20
                if pc is None or pc[0] != block:
                    pc = (block, f"{pc4} {next(letters)}")
                houses.append(
                    House(buurt=buurt, street=name, number=str(number), postcode=pc[1], x=float(x), y=float(y))
                )
                number += 2
                added += 1
        if added == 0:
            continue
        streets.append(street)
        street_lines.append(seg)
        buffer = seg.buffer(38.0)
        occupied = buffer if occupied is None else occupied.union(buffer)
    # A region too small or odd for enough streets: the rest of the homes fill in along the streets it has.
    if len(houses) < houses_needed and not streets:
        centre = region.representative_point()
        streets.append(
            Street(
                name=names.next(theme), line=LineString([(centre.x, centre.y), (centre.x + 1, centre.y)]), buurt=buurt
            )
        )
    while len(houses) < houses_needed:
        street = rng.choice(streets)
        t = rng.uniform(0, street.line.length)
        base = street.line.interpolate(t)
        for _ in range(50):
            p = Point(base.x + rng.uniform(-25, 25), base.y + rng.uniform(-25, 25))
            if region.contains(p):
                break
        else:
            p = base if region.contains(base) else random_point_in(region, rng)
        number = 1001 + len(houses)
        houses.append(
            House(buurt=buurt, street=street.name, number=str(number), postcode=f"{pc4} {next(letters)}", x=p.x, y=p.y)
        )
    return streets, houses


class StreetNamer:
    """Unique street names in the municipality, from each buurt's theme first."""

    def __init__(self, rng: random.Random, themes: dict[str, list[tuple[str, str]]], suffixes: list[str]):
        self.rng = rng
        self.suffixes = suffixes
        self.queues: dict[str, list[tuple[str, str]]] = {}
        self.words: dict[str, list[str]] = {}
        for theme, parts in themes.items():
            items = list(parts)
            rng.shuffle(items)
            self.queues[theme] = items
            self.words[theme] = [prefix for prefix, suffix in parts if suffix] or ["Nieuwe "]
        self.used: set[str] = set()

    def reserve(self, name: str) -> str:
        self.used.add(name)
        return name

    def next(self, theme: str) -> str:
        queue = self.queues[theme]
        while queue:
            prefix, suffix = queue.pop(0)
            if prefix + suffix not in self.used:
                return self.reserve(prefix + suffix)
        # The theme is used up: the same words with other suffixes (Merelstraat -> Merelhof).
        for _ in range(200):
            name = self.rng.choice(self.words[theme]) + self.rng.choice(self.suffixes)
            if name not in self.used:
                return self.reserve(name)
        n = 2
        while f"{name} {n}" in self.used:
            n += 1
        return self.reserve(f"{name} {n}")
