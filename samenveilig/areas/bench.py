"""The geo benchmark behind `samenveilig bench geo`: radius searches over synthetic homes, point-in-area look-ups.

Clean-up: everything runs inside ONE database transaction on the configured database (SQLite or PostgreSQL) that
is rolled back at the end, so nothing stays behind, whatever the outcome. While it runs on SQLite it holds the
write lock, so do not run it against an installation that is serving people. The synthetic homes and areas lie in
the North Sea (around 53.6 N, 4.0 E), where no real home is, so the figures are not mixed with existing data; every
answer is checked against a brute-force haversine over the synthetic points ("checked": true).
"""

import math
import random
import statistics
import sys
import time
from typing import Any

import numpy as np
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import connection, transaction

from samenveilig.areas import geo, selectors
from samenveilig.areas.models import AreaKind
from samenveilig.areas.services import area_save

CENTRE = (53.60, 4.00)  # open sea: no real home or area here
HALF_SIZE_M = 5_000.0  # the homes fill a 10 x 10 km square
RADII_M = (100, 500, 2_000, 5_000)
CENTRES = 5
LOOKUPS = 1_000
PREFIX = "bench-geo"


def _box(lat: float, lon: float, dlat: float, dlon: float) -> dict[str, Any]:
    ring = [[lon, lat], [lon + dlon, lat], [lon + dlon, lat + dlat], [lon, lat + dlat], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def _extent() -> tuple[float, float]:
    dlat = HALF_SIZE_M / 111_195.0
    dlon = dlat / math.cos(math.radians(CENTRE[0]))
    return dlat, dlon


def _make_areas() -> int:
    """A municipality of 2 wijken with 8 buurten each (a 4 x 4 grid) over the square."""
    dlat, dlon = _extent()
    south, west = CENTRE[0] - dlat, CENTRE[1] - dlon
    gm, _ = area_save(
        kind=AreaKind.MUNICIPALITY, code="GMBENCH", name="Bench", geometry=_box(south, west, 2 * dlat, 2 * dlon)
    )
    count = 1
    for w in range(2):
        wijk, _ = area_save(
            kind=AreaKind.WIJK,
            code=f"WKBENCH{w}",
            name=f"Bench wijk {w}",
            geometry=_box(south, west + w * dlon, 2 * dlat, dlon),
            parent=gm,
        )
        count += 1
        for row in range(4):
            for col in range(2):
                area_save(
                    kind=AreaKind.BUURT,
                    code=f"BUBENCH{w}{row}{col}",
                    name=f"Bench buurt {w}{row}{col}",
                    geometry=_box(south + row * dlat / 2, west + w * dlon + col * dlon / 2, dlat / 2, dlon / 2),
                    parent=wijk,
                )
                count += 1
    return count


def _make_homes(n: int, rnd: random.Random) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    from samenveilig.accounts.models import Residence, User

    dlat, dlon = _extent()
    lats = np.array([CENTRE[0] + rnd.uniform(-dlat, dlat) for _ in range(n)])
    lons = np.array([CENTRE[1] + rnd.uniform(-dlon, dlon) for _ in range(n)])
    batch = 2_000
    ids: list[int] = []
    for start in range(0, n, batch):
        stop = min(n, start + batch)
        users = User.objects.bulk_create(
            [
                User(username=f"{PREFIX}-{i}", email=f"{PREFIX}-{i}@bench.invalid", password=UNUSABLE_PASSWORD_PREFIX)
                for i in range(start, stop)
            ]
        )
        if users and users[0].pk is None:  # a backend without RETURNING
            by_name = dict(User.objects.filter(username__startswith=f"{PREFIX}-").values_list("username", "pk"))
            for i, user in enumerate(users, start=start):
                user.pk = by_name[f"{PREFIX}-{i}"]
        homes = [
            Residence(
                user_id=user.pk,
                street="Benchstraat",
                house_number=str(i + 1),
                city="Bench",
                **geo.point_fields(float(lats[i]), float(lons[i])),
            )
            for i, user in zip(range(start, stop), users, strict=True)
        ]
        Residence.objects.bulk_create(homes, batch_size=batch)
        ids.extend(user.pk for user in users)
    return lats, lons, np.array(ids)


def _haversine_np(lat: float, lon: float, lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
    p1, p2 = math.radians(lat), np.radians(lats)
    dp, dl = p2 - p1, np.radians(lons - lon)
    a = np.sin(dp / 2) ** 2 + math.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * geo.EARTH_RADIUS_M * np.arcsin(np.minimum(1.0, np.sqrt(a)))


def _expected(lat: float, lon: float, radius: float, lats: np.ndarray, lons: np.ndarray, ids: np.ndarray) -> set[int]:
    distance = _haversine_np(lat, lon, lats, lons)
    expected = set(ids[distance <= radius].tolist())
    for i in np.nonzero(np.abs(distance - radius) < 1e-6)[0]:  # decide ties with the very function under test
        inside = geo.haversine_m(lat, lon, float(lats[i]), float(lons[i])) <= radius
        (expected.add if inside else expected.discard)(int(ids[i]))
    return expected


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


def _time(fn: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def _measure(points: int, seed: int, lookups_n: int) -> dict[str, Any]:
    from samenveilig.accounts.models import Residence

    rnd = random.Random(seed)  # noqa: S311 (synthetic data, not secrets)
    areas_s, area_count = _time(_make_areas)
    homes_s, (lats, lons, user_ids) = _time(lambda: _make_homes(points, rnd))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE accounts_residence")

    dlat, dlon = _extent()
    centres = [
        (CENTRE[0] + rnd.uniform(-dlat / 2, dlat / 2), CENTRE[1] + rnd.uniform(-dlon / 2, dlon / 2))
        for _ in range(CENTRES)
    ]
    ours = Residence.objects.filter(user__username__startswith=f"{PREFIX}-")
    radius_rows = []
    all_checked = True
    for radius in RADII_M:
        full_ms, ids_ms, candidates, results, inner, edge = [], [], [], [], [], []
        checked = True
        selectors.radius_match(Residence.objects.all(), lat=centres[0][0], lon=centres[0][1], radius_m=radius)  # warm
        for lat, lon in centres:
            seconds, homes = _time(
                lambda lat=lat, lon=lon, radius=radius: selectors.residents_within(lat=lat, lon=lon, radius_m=radius)
            )
            full_ms.append(seconds)
            seconds, match = _time(
                lambda lat=lat, lon=lon, radius=radius: selectors.radius_match(
                    Residence.objects.all(), lat=lat, lon=lon, radius_m=radius
                )
            )
            ids_ms.append(seconds)
            candidates.append(match.candidates)
            results.append(len(match.ids))
            inner.append(match.inner_cells)
            edge.append(match.edge_cells)
            found_users = {home.user_id for home in homes}
            checked &= found_users == _expected(lat, lon, radius, lats, lons, user_ids)
            checked &= sorted(match.ids) == sorted(home.pk for home in homes)
        all_checked &= checked
        radius_rows.append(
            {
                "radius_m": radius,
                "resolution": geo.resolution_for_radius(radius),
                "cells_inner": int(statistics.median(inner)),
                "cells_edge": int(statistics.median(edge)),
                "candidates_median": int(statistics.median(candidates)),
                "results_median": int(statistics.median(results)),
                "residents_within_median_ms": _ms(statistics.median(full_ms)),
                "radius_match_ids_median_ms": _ms(statistics.median(ids_ms)),
                "checked": checked,
            }
        )

    lookups = [(CENTRE[0] + rnd.uniform(-dlat, dlat), CENTRE[1] + rnd.uniform(-dlon, dlon)) for _ in range(lookups_n)]
    per_call: dict[str, dict[str, Any]] = {}
    for name, fn in (("areas_at", selectors.areas_at), ("buurt_at", selectors.buurt_at)):
        fn(lat=lookups[0][0], lon=lookups[0][1])  # warm
        times, misses = [], 0
        for lat, lon in lookups:
            seconds, found = _time(lambda lat=lat, lon=lon, fn=fn: fn(lat=lat, lon=lon))
            times.append(seconds)
            misses += not found
        times.sort()
        per_call[name] = {
            "calls": len(times),
            "median_us": round(statistics.median(times) * 1e6, 1),
            "p95_us": round(times[int(0.95 * (len(times) - 1))] * 1e6, 1),
            "not_found": misses,
        }
    return {
        "setup_seconds": {"areas": round(areas_s, 3), "homes": round(homes_s, 3)},
        "areas": area_count,
        "homes": int(ours.count()),
        "centres": CENTRES,
        "radius": radius_rows,
        **per_call,
        "checked": all_checked,
    }


def run(*, points: int = 100_000, seed: int = 1, lookups: int = LOOKUPS) -> dict[str, Any]:
    """Create `points` synthetic homes (with their people) and a synthetic municipality, time the look-ups, and
    roll everything back. `lookups` is the number of random points timed for areas_at and buurt_at.
    Returns the figures as a JSON-ready dict."""
    if points < 1:
        raise ValueError("points must be at least 1")
    started = time.perf_counter()
    with transaction.atomic():
        figures = _measure(points, seed, lookups)
        transaction.set_rollback(True)  # a scratch run: nothing stays behind
    return {
        "benchmark": "geo",
        "database": connection.vendor,
        "python": sys.version.split()[0],
        "points": points,
        "seed": seed,
        **figures,
        "cleanup": "rolled back (one transaction)",
        "total_seconds": round(time.perf_counter() - started, 3),
    }
