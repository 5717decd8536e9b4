# ruff: noqa: S608 - every SQL text here is built from our own table names and placeholders; values are parameters
"""Who an alert reaches: the residents whose home point lies inside its target, plus the members who asked for every
alert in a community's whole area (Membership.alerts_whole_area). Always as ONE SELECT of a column `uid`, so the
database finds the recipients and writes their notifications in one statement (notifications.audiences).

A radius: the H3 cells around the centre (areas.geo.radius_cover). Homes in inner cells are in without a distance.
Homes in edge cells are decided in SQL by a flat-earth distance (equirectangular, with the cosine of the mean
latitude, linearised) that is within APPROX_SLACK_M of the great-circle distance for every radius we allow: a
home clearly inside is in, clearly outside is out, and only the few homes in the band of ±APPROX_SLACK_M around
the circle get the haversine, written in SQL exactly as areas.geo.haversine_m computes it. So the answer is the
homes with haversine <= radius, as everywhere else in the platform, in one statement, without reading the homes
into Python.

Buurten: the homes whose buurt is one of them (Residence.buurt, set when the home was stored). A community: the
homes in its area (its H3 cover, a polygon test for the homes in border cells) and its active members.

A coordinator's alert reaches members of their own community only (`members_of`).
"""

import json
import math
from dataclasses import dataclass
from typing import Any

import shapely
from django.db import connection

from samenveilig.areas import geo
from samenveilig.areas import selectors as area_selectors
from samenveilig.notifications.audiences import id_list_sql

APPROX_SLACK_M = 1.0  # measured below 0.01 m up to 6 km between 50° and 54° N (tests/test_targeting.py)
M_PER_DEG = geo.EARTH_RADIUS_M * math.pi / 180


@dataclass(frozen=True)
class Target:
    kind: str  # alerts.models.TargetKind
    lat: float
    lon: float
    radius_m: float | None = None
    buurt_ids: tuple[int, ...] = ()
    community_id: int | None = None
    members_of: int | None = None  # a coordinator's community: only its active members are reached
    exclude_id: int | None = None  # the sender


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _tables() -> dict[str, str]:
    from samenveilig.accounts.models import Residence
    from samenveilig.communities.models import Community, CommunityCell, Membership

    return {
        "residence": _q(Residence._meta.db_table),
        "membership": _q(Membership._meta.db_table),
        "communitycell": _q(CommunityCell._meta.db_table),
        "community_buurten": _q(Community.buurten.through._meta.db_table),
    }


def _placeholders(values: Any) -> str:
    return ", ".join(["%s"] * len(values))


def _distance2_sql(lat: float, lon: float) -> tuple[str, list[Any]]:
    """The squared flat-earth distance (m²) from (lat, lon) to a row's (lat, lon), as SQL arithmetic only."""
    phi = math.radians(lat)
    a = M_PER_DEG
    b = M_PER_DEG * math.cos(phi)
    c = M_PER_DEG * math.sin(phi) * math.pi / 360  # d/dlat of b * cos(mean latitude), per degree
    dy = "((lat - %s) * %s)"
    dx = "((lon - %s) * (%s - %s * (lat - %s)))"
    sql = f"({dy} * {dy} + {dx} * {dx})"
    return sql, [lat, a, lat, a, lon, b, c, lat, lon, b, c, lat]


def approx_distance_m(lat: float, lon: float, plat: float, plon: float) -> float:
    """The same flat-earth distance in Python (for the tests that bound its error)."""
    phi = math.radians(lat)
    b = M_PER_DEG * math.cos(phi) - M_PER_DEG * math.sin(phi) * math.pi / 360 * (plat - lat)
    return math.hypot((plat - lat) * M_PER_DEG, (plon - lon) * b)


def haversine_sql(lat: float, lon: float) -> tuple[str, list[Any]]:
    """areas.geo.haversine_m from (lat, lon) to a row's (lat, lon) as SQL, operation by operation in the same order
    (the same libm functions on both databases), so it decides a home on the circle as Python would."""
    k = math.pi / 180  # math.radians(x) is x * (pi / 180)
    p1 = math.radians(lat)
    s1 = "sin(((lat * %s) - %s) / 2)"
    s2 = "sin(((lon - %s) * %s) / 2)"
    a = f"(({s1} * {s1}) + ((%s * cos(lat * %s)) * ({s2} * {s2})))"
    sql = f"(%s * asin(CASE WHEN sqrt({a}) < 1.0 THEN sqrt({a}) ELSE 1.0 END))"
    a_params = [k, p1, k, p1, math.cos(p1), k, lon, k, lon, k]
    return sql, [2 * geo.EARTH_RADIUS_M, *a_params, *a_params]


def _radius_sql(t: dict[str, str], lat: float, lon: float, radius_m: float) -> tuple[str, list[Any]]:
    cover = geo.radius_cover(lat, lon, radius_m)
    column = cover.column
    parts: list[str] = []
    params: list[Any] = []
    if cover.inner:
        inner = sorted(cover.inner)
        parts.append(f"SELECT user_id AS uid FROM {t['residence']} WHERE {column} IN ({_placeholders(inner)})")
        params += inner
    if cover.edge:
        edge = sorted(cover.edge)
        d2, d2_params = _distance2_sql(lat, lon)
        exact, exact_params = haversine_sql(lat, lon)
        low, high = max(radius_m - APPROX_SLACK_M, 0.0) ** 2, (radius_m + APPROX_SLACK_M) ** 2
        # CASE evaluates lazily: the haversine only for the few homes within the slack of the circle.
        parts.append(
            f"SELECT user_id AS uid FROM {t['residence']} WHERE {column} IN ({_placeholders(edge)}) "
            f"AND CASE WHEN {d2} <= %s THEN 1 WHEN {d2} > %s THEN 0 WHEN {exact} <= %s THEN 1 ELSE 0 END = 1"
        )
        params += [*edge, *d2_params, low, *d2_params, high, *exact_params, radius_m]
    return " UNION ALL ".join(parts) if parts else "", params


def _community_homes_sql(t: dict[str, str], community_id: int) -> tuple[str, list[Any]]:
    """The homes inside a community's area: interior cells of its cover in SQL, border cells by a polygon test."""
    from samenveilig.accounts.models import Residence
    from samenveilig.communities.models import Community, CommunityCell

    cells = list(CommunityCell.objects.filter(community_id=community_id).values_list("cell", "interior"))
    parts, params = [], []
    interior = [cell for cell, inside in cells if inside]
    border = [cell for cell, inside in cells if not inside]
    if interior:
        parts.append(
            f"SELECT r.user_id AS uid FROM {t['residence']} r JOIN {t['communitycell']} c ON c.cell = r.h3_r9 "
            "WHERE c.community_id = %s AND c.interior = %s"
        )
        params += [community_id, True]
    if border:
        rows = list(Residence.objects.filter(h3_r9__in=border).values_list("user_id", "lat", "lon"))
        if rows:
            shape = area_selectors.owner_shape(Community.objects.only("geometry").get(pk=community_id))
            inside = shapely.covers(shape, shapely.points([r[2] for r in rows], [r[1] for r in rows]))
            ids = [row[0] for row, ok in zip(rows, inside, strict=True) if ok]
            if ids:
                sql, more = id_list_sql(ids)
                parts.append(sql)
                params += more
    return " UNION ALL ".join(parts), params


def _opted_in_sql(t: dict[str, str], community_ids: list[int]) -> tuple[str, list[Any]]:
    if not community_ids:
        return "", []
    return (
        f"SELECT user_id AS uid FROM {t['membership']} WHERE community_id IN ({_placeholders(community_ids)}) "
        "AND status = %s AND alerts_whole_area = %s",
        [*community_ids, "active", True],
    )


def communities_touched(target: Target) -> list[int]:
    """The communities whose area meets the target (their members who opted in hear every alert there)."""
    from samenveilig.areas.models import AreaCell
    from samenveilig.communities.models import CommunityCell

    if target.members_of is not None:
        return [target.members_of]
    if target.kind == "radius":
        owners = area_selectors.owners_covering(
            cell_model=CommunityCell, owner_field="community", lat=target.lat, lon=target.lon, margin_m=target.radius_m
        )
        return [owner.pk for owner in owners]
    if target.kind == "buurten":
        cells = AreaCell.objects.filter(area_id__in=target.buurt_ids).values("cell")
        return sorted(set(CommunityCell.objects.filter(cell__in=cells).values_list("community_id", flat=True)))
    return [target.community_id] if target.community_id is not None else []


def recipients_sql(target: Target) -> tuple[str, list[Any]]:
    """One SELECT of the column `uid` (possibly with repeats: the caller says DISTINCT) of everybody the target
    reaches. Runs a small query itself for the homes in a community's border cells (a polygon test)."""
    t = _tables()
    parts: list[tuple[str, list[Any]]] = []
    if target.kind == "radius":
        parts.append(_radius_sql(t, target.lat, target.lon, float(target.radius_m or 0)))
    elif target.kind == "buurten":
        ids = list(target.buurt_ids)
        parts.append((f"SELECT user_id AS uid FROM {t['residence']} WHERE buurt_id IN ({_placeholders(ids)})", ids))
    elif target.kind == "community" and target.community_id is not None:
        parts.append(_community_homes_sql(t, target.community_id))
        parts.append(
            (
                f"SELECT user_id AS uid FROM {t['membership']} WHERE community_id = %s AND status = %s",
                [target.community_id, "active"],
            )
        )
    parts.append(_opted_in_sql(t, communities_touched(target)))
    parts = [(sql, params) for sql, params in parts if sql]
    if not parts:
        return "SELECT user_id AS uid FROM " + t["residence"] + " WHERE 1 = 0", []
    sql = " UNION ALL ".join(f"SELECT uid FROM ({part}) AS p{i}" for i, (part, _) in enumerate(parts))
    params = [p for _, part_params in parts for p in part_params]
    conditions = []
    if target.members_of is not None:
        conditions.append(f"q.uid IN (SELECT user_id FROM {t['membership']} WHERE community_id = %s AND status = %s)")
        params += [target.members_of, "active"]
    if target.exclude_id is not None:
        conditions.append("q.uid <> %s")
        params.append(target.exclude_id)
    if conditions:
        sql = f"SELECT q.uid AS uid FROM ({sql}) AS q WHERE {' AND '.join(conditions)}"
    return sql, params


def recipient_ids(target: Target) -> list[int]:
    """Everybody the target reaches, each once, in no particular order. The ids come back as ONE value (a JSON
    array on SQLite, an array on PostgreSQL): a hundred thousand rows materialised one by one in Python cost more
    than finding them (measured at 2 km among 1,000,000: 85 ms against 51 ms). The repeats (a member who opted in
    and lives in the target) are dropped here; a set costs a few milliseconds, a DISTINCT in the database more."""
    sql, params = recipients_sql(target)
    postgres = connection.vendor == "postgresql"
    aggregate = "array_agg(uid)" if postgres else "json_group_array(uid)"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {aggregate} FROM ({sql}) AS r", params)
        value = cursor.fetchone()[0]
    ids = (value or []) if postgres else json.loads(value)
    return list(set(ids))


def recipient_counts(target: Target) -> dict[str, int]:
    """How many people the target reaches, and how many of them chose each outside channel for alerts (the
    preview before sending). Counts only: never who or where."""
    from samenveilig.notifications.models import PERSONAL_CHANNELS, ChannelChoice

    sql, params = recipients_sql(target)
    choices = _q(ChannelChoice._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(DISTINCT uid) FROM ({sql}) AS r", params)  # noqa: S608
        total = cursor.fetchone()[0]
        cursor.execute(
            f"SELECT channel, COUNT(*) FROM {choices} WHERE category = %s AND user_id IN "  # noqa: S608
            f"(SELECT uid FROM ({sql}) AS r) GROUP BY channel",
            ["alert", *params],
        )
        per_channel = dict(cursor.fetchall())
    return {"total": total, "app": total, **{str(c): int(per_channel.get(str(c), 0)) for c in PERSONAL_CHANNELS}}
