"""What the rest of the platform tells the live channel (docs/live.md). Called inside the transaction of the change;
the event leaves when it commits, so a rolled-back change announces nothing.

Events are small triggers, never content: a page that hears one fetches what changed through its ordinary,
access-checked view. A client that missed events (offline, a restart) is caught up from the records themselves
(live.selectors.replay), so an event lost on the way costs nothing but a delay.

  {"type": "notification", "users": [ids], "n": max id}              notifications for named people
  {"type": "notification", "audience": {...}, "n": max id}           a fan-out's notifications (one event, any size)
  {"type": "notification", "everyone": true, "n": max id}            a very large fan-out (an alert): all look
  {"type": "post", "community": id, "t": published_at in µs}         a post became visible in a community
  {"type": "alert", "alert": id, "orgs": [ids], "users": [ids]}      an alert's answers or state changed: its
                                                                     sender's side (the console) looks
"""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import transaction

from samenveilig.live import broker


def micros(moment: datetime) -> int:
    return int(moment.timestamp() * 1_000_000)


def _after_commit(event: dict[str, Any]) -> None:
    transaction.on_commit(lambda: broker.publish(event))


def notifications_written(*, user_ids: Iterable[int], last_id: int) -> None:
    users = sorted({u for u in user_ids if u is not None})
    if users:
        _after_commit({"type": "notification", "users": users, "n": last_id})


def audience_written(
    *,
    community_id: int | None,
    roles: list[str],
    organisation_ids: list[int],
    exclude_user_id: int | None,
    last_id: int,
) -> None:
    audience = {"community": community_id, "roles": roles, "orgs": organisation_ids, "exclude": exclude_user_id}
    _after_commit({"type": "notification", "audience": audience, "n": last_id})


def post_published(post: Any) -> None:
    """A post or reply became visible to the community's members."""
    if post.published_at is not None:
        _after_commit({"type": "post", "community": post.community_id, "t": micros(post.published_at)})


def everyone_look(*, last_id: int) -> None:
    _after_commit({"type": "notification", "everyone": True, "n": last_id})


def alert_changed(*, alert_id: int, organisation_ids: Iterable[int], user_ids: Iterable[int]) -> None:
    """An answer came in, or the alert was updated or closed: the consoles of its sender's side refresh."""
    event = {"type": "alert", "alert": alert_id, "orgs": sorted(set(organisation_ids)), "users": sorted(set(user_ids))}
    _after_commit(event)
