"""Audiences that other apps define for a fan-out (notifications.models.Fanout.audience): a name and its facts,
turned into one SELECT of a column `uid` when the worker writes the fan-out. Alerts register theirs ("who lives in
this alert's target", "who received this alert") in alerts/audiences.py; an unknown name is an error, never an
empty audience, so a message is not silently dropped."""

from collections.abc import Callable
from typing import Any

Sql = tuple[str, list[Any]]
Resolver = Callable[[dict[str, Any]], Sql]
_RESOLVERS: dict[str, Resolver] = {}


def register(name: str) -> Callable[[Resolver], Resolver]:
    def decorate(fn: Resolver) -> Resolver:
        _RESOLVERS[name] = fn
        return fn

    return decorate


def sql_for(audience: dict[str, Any]) -> Sql:
    """The SELECT (with its parameters) of the user ids, as a column `uid`, of a registered audience."""
    return _RESOLVERS[audience["name"]](audience)


def id_list_sql(ids: list[int]) -> Sql:
    """A SELECT of `uid` over a list of ids passed as ONE parameter (a JSON array on SQLite, an array on
    PostgreSQL), so a hundred thousand ids need no hundred thousand placeholders."""
    import json

    from django.db import connection

    if connection.vendor == "postgresql":
        return "SELECT unnest(%s::bigint[]) AS uid", [list(ids)]
    return "SELECT CAST(value AS INTEGER) AS uid FROM json_each(%s)", [json.dumps(list(ids))]
