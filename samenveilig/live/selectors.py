"""Reads for the live channel: who is connecting, where their stream starts, and what they missed (docs/live.md).

These run in the live process's thread pool (they use the ORM, which is synchronous)."""

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import import_module
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.contrib import auth
from django.db.models import Max

from samenveilig.accounts.models import StaffMembership
from samenveilig.communities.models import Membership, MembershipStatus, Partnership
from samenveilig.conversation.models import Post, PostStatus
from samenveilig.notifications.models import Notification

REPLAY_IDS = 100  # notification ids named in one replayed event (the page fetches the rest anyway)


@dataclass
class Viewer:
    """A signed-in person and what they follow, fixed for the life of one connection."""

    user_id: int
    roles: dict[int, str] = field(default_factory=dict)  # community id -> role, for active members
    partner_of: set[int] = field(default_factory=set)  # communities their organisations are partners of
    organisations: set[int] = field(default_factory=set)

    @property
    def communities(self) -> set[int]:
        return set(self.roles) | self.partner_of


@dataclass
class Cursor:
    """Where a client is: the last notification id and the publication time (µs) of the last post it heard of.
    Sent as each event's id, so the browser hands it back (Last-Event-ID) when it reconnects."""

    n: int
    t: int

    def __str__(self) -> str:
        return f"{self.n}.{self.t}"

    @classmethod
    def parse(cls, value: str) -> "Cursor | None":
        try:
            n, t = value.strip().split(".")
            return cls(max(int(n), 0), max(int(t), 0))
        except ValueError:
            return None


def viewer_for_session(session_key: str) -> Viewer | None:
    """The person signed in with this session cookie, or None."""
    if not session_key:
        return None
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    user = auth.get_user(SimpleNamespace(session=store))  # checks the session's hash against the user's
    if not user.is_authenticated or not user.is_active:
        return None
    return viewer_for_user(user.pk)


def viewer_for_user(user_id: int) -> Viewer:
    roles = dict(
        Membership.objects.filter(user_id=user_id, status=MembershipStatus.ACTIVE).values_list("community_id", "role")
    )
    organisations = set(StaffMembership.objects.filter(user_id=user_id).values_list("organisation_id", flat=True))
    partner_of = (
        set(Partnership.objects.filter(organisation_id__in=organisations).values_list("community_id", flat=True))
        if organisations
        else set()
    )
    return Viewer(user_id=user_id, roles=roles, partner_of=partner_of, organisations=organisations)


def start_cursor() -> Cursor:
    """For a client without Last-Event-ID: from now on."""
    last = Notification.objects.aggregate(last=Max("pk"))["last"] or 0
    return Cursor(n=last, t=int(time.time() * 1_000_000))


def replay(viewer: Viewer, since: Cursor) -> list[tuple[str, dict[str, Any], Cursor]]:
    """The events a client at `since` missed, read from the records: (event name, data, cursor after it)."""
    found: list[tuple[str, dict[str, Any], Cursor]] = []
    cursor = Cursor(since.n, since.t)
    ids = list(
        Notification.objects.filter(recipient_id=viewer.user_id, pk__gt=since.n)
        .order_by("pk")
        .values_list("pk", flat=True)[:REPLAY_IDS]
    )
    if ids:
        newest = Notification.objects.filter(recipient_id=viewer.user_id).aggregate(last=Max("pk"))["last"]
        cursor = Cursor(max(newest or 0, cursor.n), cursor.t)
        found.append(("notification", {"replay": True, "ids": ids}, Cursor(cursor.n, cursor.t)))
    if viewer.communities:
        after = datetime.fromtimestamp(since.t / 1_000_000, tz=UTC)
        latest = (
            Post.objects.filter(
                community_id__in=viewer.communities, status=PostStatus.PUBLISHED, published_at__gt=after
            )
            .values("community_id")
            .annotate(last=Max("published_at"))
            .order_by("last")  # oldest first: each event's cursor covers every event before it
        )
        for row in latest:
            micros = int(row["last"].timestamp() * 1_000_000)
            cursor = Cursor(cursor.n, max(cursor.t, micros))
            found.append(
                (
                    f"post-{row['community_id']}",
                    {"replay": True, "community": row["community_id"]},
                    Cursor(cursor.n, cursor.t),
                )
            )
    return found
