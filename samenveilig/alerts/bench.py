# ruff: noqa: S608 - every SQL text here is built from our own table names and placeholders; values are parameters
"""The benchmark behind `samenveilig bench alerts`: who an alert reaches among a million homes, and how long until
every recipient has their in-app record.

The population: `points` synthetic residents (default 1,000,000) with home points spread uniformly over a 10 x 10 km
square in the North Sea (around 53.45 N, 3.75 E, where no real home or area is), a municipality over the square, a
police organisation working there and one sender on its staff. Building it takes a while, so it is kept and reused:

* SQLite (no DATABASE_URL): a separate installation of its own in `<data dir>/bench-alerts/` (its own SQLite file,
  `samenveilig.sqlite3`, migrated on first use). `bench alerts` runs the measurement in a child process pointed at
  that directory (`bench alerts-run`, internal), so the installation people use never holds the million rows, and
  `--drop` simply deletes the directory. This is simpler and safer than switching Django's connections in-process.
* PostgreSQL (DATABASE_URL): the configured database itself (give the benchmark a database of its own). The synthetic
  rows are marked: people by the username prefix `bench-alerts-h`, the sender `bench-alerts-sender`, the area code
  GMBENCHALERTS; `--drop` deletes exactly those.

The population is reused when the area's name records the same size and seed and that many homes are there;
`--rebuild` builds it anew. Users and homes go in with raw bulk inserts (executemany on SQLite, COPY on PostgreSQL);
the H3 cells are computed with a Python loop over h3 (about a second per million points). On PostgreSQL the
tables are vacuumed after the build, as autovacuum would in time, so the covering index answers on its own.

Per radius (500 m, 1 km, 2 km), at CENTRES random centres well inside the square (the medians are reported):

* `resolve_ms`: wall time of alerts.targeting.recipient_ids (the recipients found by the database);
* `scan_resolve_ms`: the brute-force floor in the same run: every home point held in memory as NumPy float64 arrays,
  every haversine distance computed and the ids within the radius selected (and made a list, like recipient_ids);
* `checked`: both give the same ids at every centre;
* `fanout_s`: wall time from alerts.services.alert_send (a real police alert, checks included) until
  notifications.services.fan_out_pending() has committed every in-app record; the count of "alert.sent"
  notifications of the alert is checked against the recipients. Each alert, its notifications, deliveries, fan-out
  and audit event are deleted afterwards, so reruns start clean and the population stays reusable. (The task
  queue may keep one waiting fan-out task and one expiry task; both find nothing to do.)
"""

import math
import random
import statistics
import sys
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import h3.api.basic_int as h3i
import numpy as np
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import connection, models, transaction
from django.utils import timezone

from samenveilig.areas import geo

CENTRE = (53.45, 3.75)  # open sea: no real home or area here (and apart from the geo benchmark's square)
HALF_SIZE_M = 5_000.0  # the homes fill a 10 x 10 km square
RADII_M = (500, 1_000, 2_000)
CENTRES = 5
DEFAULT_POINTS = 1_000_000
PREFIX = "bench-alerts"
PEOPLE = f"{PREFIX}-h"  # the residents' usernames: bench-alerts-h0000000, …
SENDER = f"{PREFIX}-sender"
AREA_CODE = "GMBENCHALERTS"
ORGANISATION = "Bench alerts police"
BATCH = 20_000
# The targets (SQLite): at 500 m faster than the in-memory scan; at 2 km resolve ≤ 100 ms, fan-out ≤ 0.5 s.
TARGET_2KM_RESOLVE_MS = 100.0
TARGET_2KM_FANOUT_S = 0.5
ALERT_TEXT = "Benchmark: sinds 15:00 vermist bij de speeltuin. Rode jas, blauwe spijkerbroek, loopt richting het park."

Log = Callable[[str], Any]


def _quiet(_message: str) -> None:
    return None


# --- the population ---------------------------------------------------------------------------------------------------
def _extent() -> tuple[float, float]:
    dlat = HALF_SIZE_M / 111_195.0
    dlon = dlat / math.cos(math.radians(CENTRE[0]))
    return dlat, dlon


def _signature(points: int, seed: int) -> str:
    return f"Bench alerts: {points} homes, seed {seed}"


def _table(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _count_homes() -> int:
    from samenveilig.accounts.models import Residence, User

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM {_table(Residence)} r JOIN {_table(User)} u ON u.id = r.user_id "
            "WHERE u.username LIKE %s",
            [f"{PEOPLE}%"],
        )
        return cursor.fetchone()[0]


def population_ready(points: int, seed: int) -> bool:
    from samenveilig.areas.models import Area

    area = Area.objects.filter(code=AREA_CODE).only("name").first()
    return area is not None and area.name == _signature(points, seed) and _count_homes() == points


def drop(*, log: Log = _quiet) -> dict[str, int]:
    """Delete the synthetic population (and any alert its sender left) from the configured database."""
    from samenveilig.accounts.models import Organisation, Residence, User
    from samenveilig.alerts.models import Alert
    from samenveilig.areas.models import Area

    with transaction.atomic():
        for alert in Alert.objects.filter(sender__username=SENDER):
            _undo_alert(alert)
        with connection.cursor() as cursor:
            people = f"SELECT id FROM {_table(User)} WHERE username LIKE %s"
            cursor.execute(f"DELETE FROM {_table(Residence)} WHERE user_id IN ({people})", [f"{PEOPLE}%"])
            homes = max(cursor.rowcount, 0)
            cursor.execute(f"DELETE FROM {_table(User)} WHERE username LIKE %s", [f"{PEOPLE}%"])
            users = max(cursor.rowcount, 0)
        User.objects.filter(username=SENDER).delete()
        Organisation.objects.filter(name=ORGANISATION, description=PREFIX).delete()
        Area.objects.filter(code=AREA_CODE).delete()
    log(f"bench: dropped {users:,} synthetic people and {homes:,} homes")
    return {"people": users, "homes": homes}


def _box(lat: float, lon: float, dlat: float, dlon: float) -> dict[str, Any]:
    ring = [[lon, lat], [lon + dlon, lat], [lon + dlon, lat + dlat], [lon, lat + dlat], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def _template(obj: models.Model) -> tuple[list[str], list[Any]]:
    """The columns of a model instance (all but its auto primary key) and their database values."""
    columns, values = [], []
    for f in obj._meta.concrete_fields:
        if f.primary_key:
            continue
        columns.append(f.column)
        values.append(f.get_db_prep_save(f.pre_save(obj, True), connection))
    return columns, values


def _insert(model: type[models.Model], columns: list[str], rows: Iterable[Sequence[Any]]) -> None:
    """Raw bulk insert: COPY on PostgreSQL, the driver's executemany on SQLite (no ORM objects)."""
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {_table(model)} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    sql = f"INSERT INTO {_table(model)} ({names}) VALUES ({', '.join(['?'] * len(columns))})"
    raw = connection.connection
    batch: list[Sequence[Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            raw.executemany(sql, batch)
            batch = []
    if batch:
        raw.executemany(sql, batch)


def build(points: int, seed: int, *, log: Log = _quiet) -> None:
    """The synthetic population, in one transaction: the area, the police and its sender, people and homes."""
    from samenveilig.accounts.models import Organisation, Residence, StaffMembership, User
    from samenveilig.areas.models import AreaKind
    from samenveilig.areas.services import area_save
    from samenveilig.core.permissions import OrganisationKind

    dlat, dlon = _extent()
    rng = np.random.default_rng(seed)
    lats = np.round(CENTRE[0] + rng.uniform(-dlat, dlat, points), 7)
    lons = np.round(CENTRE[1] + rng.uniform(-dlon, dlon, points), 7)
    codes = random.Random(seed)  # noqa: S311 (synthetic data, not secrets)
    with transaction.atomic():
        margin = 0.01  # the municipality is a little larger than the square of homes
        area, _ = area_save(
            kind=AreaKind.MUNICIPALITY,
            code=AREA_CODE,
            name=_signature(points, seed),
            geometry=_box(
                CENTRE[0] - dlat - margin, CENTRE[1] - dlon - margin, 2 * (dlat + margin), 2 * (dlon + margin)
            ),
        )
        police = Organisation.objects.create(name=ORGANISATION, kind=OrganisationKind.POLICE, description=PREFIX)
        police.areas.set([area])
        sender = User.objects.create(
            username=SENDER,
            email=f"{SENDER}@bench.invalid",
            password=UNUSABLE_PASSWORD_PREFIX,
            first_name="Bench",
        )
        StaffMembership.objects.create(organisation=police, user=sender, title="bench")

        log(f"bench: inserting {points:,} people")
        started = time.perf_counter()
        user_columns, user_values = _template(
            User(username="x", email="x@bench.invalid", password=UNUSABLE_PASSWORD_PREFIX, first_name="Bewoner")
        )
        at = {name: user_columns.index(name) for name in ("username", "email", "code")}

        def people() -> Iterable[list[Any]]:
            for i in range(points):
                row = list(user_values)
                row[at["username"]] = f"{PEOPLE}{i:07d}"
                row[at["email"]] = f"{PEOPLE}{i:07d}@bench.invalid"
                code = uuid.UUID(int=codes.getrandbits(128), version=4)
                row[at["code"]] = code if connection.vendor == "postgresql" else code.hex
                yield row

        _insert(User, user_columns, people())
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id, username FROM {_table(User)} WHERE username LIKE %s", [f"{PEOPLE}%"])
            ids = np.zeros(points, dtype=np.int64)
            for pk, username in cursor.fetchall():
                ids[int(username[len(PEOPLE) :])] = pk
        log(f"bench: people in {time.perf_counter() - started:.1f} s; computing H3 cells")

        started = time.perf_counter()
        lat_list, lon_list = lats.tolist(), lons.tolist()
        r7 = [h3i.latlng_to_cell(a, b, 7) for a, b in zip(lat_list, lon_list, strict=True)]
        r9 = [h3i.latlng_to_cell(a, b, 9) for a, b in zip(lat_list, lon_list, strict=True)]
        log(f"bench: cells in {time.perf_counter() - started:.1f} s; inserting {points:,} homes")
        started = time.perf_counter()
        home_columns, home_values = _template(
            Residence(user_id=0, street="Benchstraat", city="Bench", lat=0.0, lon=0.0, h3_r7=0, h3_r9=0)
        )
        home_at = {
            name: home_columns.index(name) for name in ("user_id", "house_number", "lat", "lon", "h3_r7", "h3_r9")
        }
        id_list = ids.tolist()

        def homes() -> Iterable[list[Any]]:
            for i in range(points):
                row = list(home_values)
                row[home_at["user_id"]] = id_list[i]
                row[home_at["house_number"]] = str(i + 1)
                row[home_at["lat"]] = lat_list[i]
                row[home_at["lon"]] = lon_list[i]
                row[home_at["h3_r7"]] = r7[i]
                row[home_at["h3_r9"]] = r9[i]
                yield row

        _insert(Residence, home_columns, homes())
        log(f"bench: homes in {time.perf_counter() - started:.1f} s")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # VACUUM sets the visibility map, without which the covering index cannot answer alone (an index-only
            # scan): measured right after the COPY, the 2 km look-up took 4x as long. Autovacuum would do it later.
            verb = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
            cursor.execute(f"{verb} {_table(User)}")
            cursor.execute(f"{verb} {_table(Residence)}")
        else:
            cursor.execute("ANALYZE")
            if not connection.in_atomic_block:  # the WAL holds the whole build: fold it into the database file
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def ensure_population(points: int, seed: int, *, rebuild: bool, log: Log = _quiet) -> float:
    """Build the population unless the same one is there; returns the seconds spent building (0 when reused)."""
    if not rebuild and population_ready(points, seed):
        log(f"bench: reusing the population of {points:,} homes")
        return 0.0
    started = time.perf_counter()
    drop(log=log)
    build(points, seed, log=log)
    return time.perf_counter() - started


def _load_homes() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every synthetic home as NumPy arrays (lat, lon as float64; user ids), in id order."""
    from samenveilig.accounts.models import Residence, User

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT r.user_id, r.lat, r.lon FROM {_table(Residence)} r JOIN {_table(User)} u ON u.id = r.user_id "
            "WHERE u.username LIKE %s ORDER BY r.user_id",
            [f"{PEOPLE}%"],
        )
        rows = cursor.fetchall()
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    lats = np.fromiter((r[1] for r in rows), dtype=np.float64, count=len(rows))
    lons = np.fromiter((r[2] for r in rows), dtype=np.float64, count=len(rows))
    return lats, lons, ids


# --- the measurement --------------------------------------------------------------------------------------------------
def _haversine_np(lat: float, lon: float, lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
    p1, p2 = math.radians(lat), np.radians(lats)
    dp, dl = p2 - p1, np.radians(lons - lon)
    a = np.sin(dp / 2) ** 2 + math.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * geo.EARTH_RADIUS_M * np.arcsin(np.minimum(1.0, np.sqrt(a)))


def scan(lat: float, lon: float, radius: float, lats: np.ndarray, lons: np.ndarray, ids: np.ndarray) -> list[int]:
    """The brute-force floor: every distance computed, the ids within the radius (in id order, as a list)."""
    return ids[_haversine_np(lat, lon, lats, lons) <= radius].tolist()


def _ties(found: list[int], lat: float, lon: float, radius: float, lats: Any, lons: Any, ids: Any) -> set[int]:
    """The scan's answer with homes within a micrometre of the circle decided by areas.geo.haversine_m, the
    function the platform (and the SQL band) decides with, so rounding in NumPy cannot fail the check."""
    expected = set(found)
    distance = _haversine_np(lat, lon, lats, lons)
    for i in np.nonzero(np.abs(distance - radius) < 1e-6)[0]:
        inside = geo.haversine_m(lat, lon, float(lats[i]), float(lons[i])) <= radius
        (expected.add if inside else expected.discard)(int(ids[i]))
    return expected


def _undo_alert(alert: Any) -> None:
    """Delete an alert and everything its sending wrote (raw deletes: no ORM cascade over 100,000 rows)."""
    from samenveilig.alerts.models import Alert
    from samenveilig.core.models import AuditEvent
    from samenveilig.notifications.models import Delivery, Fanout, Notification

    fanout_id = alert.fanout_id
    notifications, deliveries = _table(Notification), _table(Delivery)
    with connection.cursor() as cursor:
        if fanout_id is not None:
            cursor.execute(
                f"DELETE FROM {deliveries} WHERE notification_id IN "
                f"(SELECT id FROM {notifications} WHERE fanout_id = %s)",
                [fanout_id],
            )
            cursor.execute(f"DELETE FROM {notifications} WHERE fanout_id = %s", [fanout_id])
    AuditEvent.objects.filter(object_type=Alert._meta.label_lower, object_id=str(alert.pk)).delete()
    Alert.objects.filter(pk=alert.pk).delete()
    if fanout_id is not None:
        Fanout.objects.filter(pk=fanout_id).delete()


def _send_and_fan_out(sender: Any, lat: float, lon: float, radius: int) -> tuple[float, Any]:
    from samenveilig.alerts import services
    from samenveilig.notifications.services import fan_out_pending

    data = services.AlertInput(
        kind="missing", title="Benchmark: vermist", text=ALERT_TEXT, lat=lat, lon=lon, radius_m=radius
    )
    started = time.perf_counter()
    sent = services.alert_send(sender=sender, data=data, idempotency_key=uuid.uuid4())
    fan_out_pending()
    return time.perf_counter() - started, sent.alert


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


def measure(
    *, points: int = DEFAULT_POINTS, seed: int = 1, rebuild: bool = False, centres: int = CENTRES, log: Log = _quiet
) -> dict[str, Any]:
    """Build or reuse the population on the configured database, then time every radius. JSON-ready figures."""
    from samenveilig.accounts.models import User
    from samenveilig.alerts import targeting
    from samenveilig.alerts.audiences import SENT_KIND
    from samenveilig.notifications.models import Notification

    if points < 1:
        raise ValueError("points must be at least 1")
    build_s = ensure_population(points, seed, rebuild=rebuild, log=log)
    sender = User.objects.get(username=SENDER)
    log("bench: reading every home point into memory")
    lats, lons, ids = _load_homes()

    rnd = random.Random(f"{seed}-centres")  # noqa: S311 (synthetic data, not secrets)
    dlat, dlon = _extent()
    inner = (HALF_SIZE_M - max(RADII_M) - 500) / HALF_SIZE_M  # every circle lies well inside the square
    spots = [
        (CENTRE[0] + rnd.uniform(-dlat, dlat) * inner, CENTRE[1] + rnd.uniform(-dlon, dlon) * inner)
        for _ in range(centres)
    ]
    seconds, alert = _send_and_fan_out(sender, spots[0][0], spots[0][1], RADII_M[0])  # warm: imports, caches
    with transaction.atomic():
        _undo_alert(alert)
    rows = []
    for radius in RADII_M:
        resolve, scanned, fanouts, counts = [], [], [], []
        checked = True
        warm = targeting.Target(kind="radius", lat=spots[0][0], lon=spots[0][1], radius_m=radius, exclude_id=sender.pk)
        targeting.recipient_ids(warm)
        scan(spots[0][0], spots[0][1], radius, lats, lons, ids)
        for lat, lon in spots:
            target = targeting.Target(kind="radius", lat=lat, lon=lon, radius_m=radius, exclude_id=sender.pk)
            started = time.perf_counter()
            found = targeting.recipient_ids(target)
            resolve.append(time.perf_counter() - started)
            started = time.perf_counter()
            floor = scan(lat, lon, radius, lats, lons, ids)
            scanned.append(time.perf_counter() - started)
            checked &= set(found) == _ties(floor, lat, lon, radius, lats, lons, ids) and len(found) == len(set(found))
            counts.append(len(found))

            seconds, alert = _send_and_fan_out(sender, lat, lon, radius)
            try:
                written = Notification.objects.filter(fanout_id=alert.fanout_id, kind=SENT_KIND).count()
                if written != len(found):
                    raise AssertionError(f"the fan-out wrote {written} notifications for {len(found)} recipients")
                fanouts.append(seconds)
            finally:
                with transaction.atomic():
                    _undo_alert(alert)
        row = {
            "radius_m": radius,
            "recipients": int(statistics.median(counts)),
            "resolve_ms": _ms(statistics.median(resolve)),
            "scan_resolve_ms": _ms(statistics.median(scanned)),
            "fanout_s": round(statistics.median(fanouts), 4),
            "checked": checked,
            "runs": {
                "recipients": counts,
                "resolve_ms": [_ms(s) for s in resolve],
                "scan_resolve_ms": [_ms(s) for s in scanned],
                "fanout_s": [round(s, 4) for s in fanouts],
            },
        }
        log(
            f"bench: {radius} m: {row['recipients']:,} recipients, resolve {row['resolve_ms']} ms, "
            f"scan {row['scan_resolve_ms']} ms, fan-out {row['fanout_s']} s"
        )
        rows.append(row)

    by_radius = {row["radius_m"]: row for row in rows}
    small, large = by_radius[500], by_radius[2_000]
    targets = {
        "500m_resolve_below_scan": small["resolve_ms"] < small["scan_resolve_ms"],
        "2km_resolve_ms_max": TARGET_2KM_RESOLVE_MS,
        "2km_resolve_met": large["resolve_ms"] <= TARGET_2KM_RESOLVE_MS,
        "2km_fanout_s_max": TARGET_2KM_FANOUT_S,
        "2km_fanout_met": large["fanout_s"] <= TARGET_2KM_FANOUT_S,
        "set_for": "sqlite",
    }
    targets["met"] = all(targets[k] for k in ("500m_resolve_below_scan", "2km_resolve_met", "2km_fanout_met"))
    return {
        "benchmark": "alerts",
        "database": connection.vendor,
        "database_version": _database_version(),
        "python": sys.version.split()[0],
        "population": int(len(ids)),
        "seed": seed,
        "centres": centres,
        "radii": rows,
        "targets": targets,
        "checked": all(row["checked"] for row in rows),
        "build_seconds": round(build_s, 1),
        "measured_at": timezone.now().isoformat(timespec="seconds"),
    }


def _database_version() -> str:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
    import sqlite3

    return f"SQLite {sqlite3.sqlite_version}"


# --- the command (`samenveilig bench alerts`) -------------------------------------------------------------------------
def run(*, points: int, seed: int, rebuild: bool, drop_only: bool, log: Log) -> dict[str, Any]:
    """SQLite: in the separate installation `<data dir>/bench-alerts/` (a child process); PostgreSQL: here, on the
    configured database. `drop_only` removes the population instead of measuring."""
    import json
    import os
    import shutil
    import subprocess

    from django.conf import settings

    if connection.vendor != "sqlite":
        if drop_only:
            return {"benchmark": "alerts", "dropped": drop(log=log)}
        return measure(points=points, seed=seed, rebuild=rebuild, log=log)

    from samenveilig.core.management.commands.bench import _child_env

    data_dir = settings.DATA_DIR / "bench-alerts"
    if drop_only:
        existed = data_dir.exists()
        shutil.rmtree(data_dir, ignore_errors=True)
        log(f"bench: removed {data_dir}" if existed else f"bench: nothing to remove at {data_dir}")
        return {"benchmark": "alerts", "dropped": str(data_dir) if existed else None}
    data_dir.mkdir(parents=True, exist_ok=True)
    env = _child_env(data_dir)
    base = [sys.executable, "-m", "samenveilig.cli"]
    log(f"bench: the benchmark's own installation is {data_dir}")
    subprocess.run([*base, "migrate", "--verbosity", "0"], env=env, check=True, timeout=1800)  # noqa: S603
    args = ["bench", "alerts-run", "--points", str(points), "--seed", str(seed), *(["--rebuild"] if rebuild else [])]
    done = subprocess.run(  # noqa: S603
        [*base, *args], env=env, stdout=subprocess.PIPE, text=True, timeout=3 * 3600, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"`samenveilig {' '.join(args)}` failed (exit {done.returncode}); see above.")
    result = json.loads(done.stdout)
    result["database_file"] = os.fspath(data_dir / "samenveilig.sqlite3")
    return result
