"""Helpers for the areas tests: points at a given distance, synthetic homes, brute-force answers."""

import math
import random
from typing import Any

from samenveilig.accounts.models import Residence, User
from samenveilig.areas import geo


def destination(lat: float, lon: float, distance_m: float, bearing_deg: float) -> tuple[float, float]:
    """The point `distance_m` metres from (lat, lon) in direction `bearing_deg` on geo's sphere."""
    delta = distance_m / geo.EARTH_RADIUS_M
    theta = math.radians(bearing_deg)
    p1, l1 = math.radians(lat), math.radians(lon)
    p2 = math.asin(math.sin(p1) * math.cos(delta) + math.cos(p1) * math.sin(delta) * math.cos(theta))
    l2 = l1 + math.atan2(
        math.sin(theta) * math.sin(delta) * math.cos(p1), math.cos(delta) - math.sin(p1) * math.sin(p2)
    )
    return math.degrees(p2), math.degrees(l2)


def make_homes(points: list[tuple[float, float]], *, prefix: str = "home") -> list[Residence]:
    """One person with a home per point (bulk inserted); returns the homes in the order of `points`."""
    users = User.objects.bulk_create(
        [
            User(username=f"{prefix}{i}", email=f"{prefix}{i}@example.org", password="!", first_name="Home")
            for i in range(len(points))
        ]
    )
    if users and users[0].pk is None:  # backends without RETURNING ids
        by_name = dict(User.objects.filter(username__startswith=prefix).values_list("username", "pk"))
        for i, user in enumerate(users):
            user.pk = by_name[f"{prefix}{i}"]
    homes = [
        Residence(
            user_id=user.pk, street="Teststraat", house_number=str(i + 1), city="Testdorp", **geo.point_fields(*p)
        )
        for i, (user, p) in enumerate(zip(users, points, strict=True))
    ]
    Residence.objects.bulk_create(homes, batch_size=1000)
    return list(Residence.objects.filter(user__username__startswith=prefix).order_by("user_id"))


def random_points(n: int, *, seed: int, centre: tuple[float, float], half_size_deg: tuple[float, float]) -> list[Any]:
    rnd = random.Random(seed)
    lat, lon = centre
    dlat, dlon = half_size_deg
    return [(lat + rnd.uniform(-dlat, dlat), lon + rnd.uniform(-dlon, dlon)) for _ in range(n)]


def brute_force(homes: list[Residence], lat: float, lon: float, radius_m: float) -> set[int]:
    return {h.pk for h in homes if geo.haversine_m(lat, lon, h.lat, h.lon) <= radius_m}


def straddle(cell: int, *, gap_deg: float = 1e-7) -> tuple[tuple[float, float], tuple[float, float]]:
    """Two points at most `gap_deg` apart on either side of the edge between `cell` and a neighbour: bisection along
    the line between the two cell centres."""
    import h3.api.basic_int as h3i

    res = h3i.get_resolution(cell)
    neighbour = next(c for c in h3i.grid_ring(cell, 1))
    a, b = h3i.cell_to_latlng(cell), h3i.cell_to_latlng(neighbour)
    while abs(a[0] - b[0]) + abs(a[1] - b[1]) > gap_deg:
        mid = ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
        if h3i.latlng_to_cell(*mid, res) == cell:
            a = mid
        else:
            b = mid
    return a, b
