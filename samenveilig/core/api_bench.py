"""The floor endpoint of `samenveilig bench reports`: POST /api/v1/bench/floor.

The least work any accepted report needs: an authenticated API request (the same Bearer token or session auth as
every endpoint) that commits one row in one transaction, written with raw SQL. The benchmark loads it with the
same server and clients as POST /api/v1/reports, so `reports_per_s / floor_per_s` says how much of the request's
cost is the report's own work (docs/serving.md).

Mounted only when SAMENVEILIG_BENCH_ENDPOINTS=1 (set by the benchmark for the server it starts; never in a real
installation): see `enabled()` and samenveilig/api.py.
"""

import os
from typing import Any
from uuid import UUID, uuid4

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status

from samenveilig.core.models import BenchProbe

router = Router(tags=["bench"])

_INSERT = f"INSERT INTO {BenchProbe._meta.db_table} (created_at, actor_id, idempotency_key) VALUES (%s, %s, %s)"  # noqa: S608


def enabled() -> bool:
    """True when this process serves the benchmark's endpoints (SAMENVEILIG_BENCH_ENDPOINTS=1)."""
    value = getattr(settings, "BENCH_ENDPOINTS", None)
    if value is None:
        value = os.environ.get("SAMENVEILIG_BENCH_ENDPOINTS", "").strip().lower() in {"1", "true", "yes", "on"}
    return bool(value)


class FloorOut(Schema):
    ok: bool


def _key(request: HttpRequest) -> UUID:
    try:
        return UUID(request.headers.get("Idempotency-Key", ""))
    except ValueError:
        return uuid4()


@router.post("/floor", response={201: FloorOut}, summary="Benchmark floor: one row, one transaction (bench only)")
def floor(request: HttpRequest) -> Any:
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_INSERT, [now, request.auth.pk, _key(request).hex])
    return Status(201, {"ok": True})
