"""A per-process cache of reference data, right after every change, in every process.

Reference data changes rarely and is read on every report: the routing rule of a community and type, the partner
organisations (with their deadlines) that work where a report is, the buurt under a map cell. Each costs an ORM
query of 1-5 ms, more than a whole authenticated request that writes one row (docs/serving.md). So hot paths keep
what they computed in this process, under the current *generation*: one row (core.ReferenceGeneration) whose token
every change to reference data replaces, in the transaction of the change. One read of that row (a primary-key
look-up in raw SQL) tells whether what this process kept is still current, in this process or any other: the web
processes, the workers and the command line all see the same row.

Who changes the token:
* `watch(Model, …)` (each app's AppConfig.ready) replaces it on every save and delete of those models (and every
  change through a many-to-many `through` model), so the admin and the services are covered alike;
* `bump()`, called by code that writes those models without signals (bulk_create, QuerySet.update).

Cached values are shared by every thread of the process: treat them as read-only.
"""

import threading
import uuid
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.db import connection
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save

from samenveilig.core.models import ReferenceGeneration

T = TypeVar("T")
_ROW = 1
_TABLE = ReferenceGeneration._meta.db_table
_READ = f"SELECT token FROM {_TABLE} WHERE id = %s"  # noqa: S608 (a constant table name)
_UPSERT = (
    f"INSERT INTO {_TABLE} (id, token) VALUES (%s, %s) "  # noqa: S608
    "ON CONFLICT (id) DO UPDATE SET token = excluded.token"
)
_MISSING = object()
_lock = threading.Lock()
_kept: dict[str, Any] = {"token": None, "values": {}}


def current_token() -> str | None:
    """The current generation's token, or None when the row is missing (then nothing is cached)."""
    with connection.cursor() as cursor:
        cursor.execute(_READ, [_ROW])
        row = cursor.fetchone()
    return row[0] if row else None


def cached(key: Hashable, compute: Callable[[], T]) -> T:
    """The value kept under `key` in this generation, or `compute()` kept for the rest of it."""
    token = current_token()
    if token is None:
        return compute()
    with _lock:
        if _kept["token"] != token:
            _kept["token"], _kept["values"] = token, {}
        values = _kept["values"]
    value = values.get(key, _MISSING)
    if value is _MISSING:
        # Computed after the token was read: a change committed in between gives the new data under the old token,
        # which nobody reads once they have seen the new token.
        value = compute()
        values[key] = value
    return value


def bump() -> None:
    """Start a new generation (in the caller's transaction): every process recomputes what it kept."""
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT, [_ROW, uuid.uuid4().hex])


def clear() -> None:
    """Forget what this process kept (tests, between cases)."""
    with _lock:
        _kept["token"], _kept["values"] = None, {}


def _changed(sender: Any, **kwargs: Any) -> None:
    if kwargs.get("raw"):  # loaddata: nothing has been read from it yet
        return
    action = kwargs.get("action")
    if action is not None and not action.startswith("post_"):
        return
    bump()


def watch(*models: type[Model]) -> None:
    """Replace the token whenever a row of one of these models changes. For a many-to-many field pass its `through`
    model (`Organisation.areas.through`): its add, remove, set and clear count as changes."""
    for model in models:
        label = model._meta.label
        post_save.connect(_changed, sender=model, dispatch_uid=f"refcache-save-{label}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"refcache-delete-{label}")
        m2m_changed.connect(_changed, sender=model, dispatch_uid=f"refcache-m2m-{label}")
