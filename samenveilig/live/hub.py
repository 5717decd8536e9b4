"""The in-memory hub of one live process: the open connections, indexed by person, community and organisation, and
the dispatch of each event to exactly the connections it concerns. Runs on the process's event loop only."""

import asyncio
import json
from collections import defaultdict
from typing import Any

from samenveilig.live.selectors import Cursor, Viewer

CLOSE = object()  # put on a connection's queue when the client went away


class Connection:
    __slots__ = ("cursor", "queue", "viewer")

    def __init__(self, viewer: Viewer, cursor: Cursor) -> None:
        self.viewer = viewer
        self.cursor = cursor
        self.queue: asyncio.Queue[Any] = asyncio.Queue()

    def frame(self, event: dict[str, Any]) -> bytes | None:
        """The SSE frame of an event for this client, or None when its cursor shows it has it already (replayed)."""
        if event["type"] == "notification":
            if event["n"] <= self.cursor.n:
                return None
            self.cursor = Cursor(event["n"], self.cursor.t)
            name, data = "notification", {"n": event["n"]}
        elif event["type"] == "alert":
            # Not a record the cursor counts: a console that missed one reloads its lists on reconnect anyway.
            return sse_frame(f"alert-{event['alert']}", {"alert": event["alert"]}, str(self.cursor))
        elif event["type"] == "post":
            if event["t"] <= self.cursor.t:
                return None
            self.cursor = Cursor(self.cursor.n, event["t"])
            name, data = f"post-{event['community']}", {"community": event["community"]}
        else:
            return None
        return sse_frame(name, data, str(self.cursor))


def sse_frame(name: str, data: dict[str, Any], event_id: str) -> bytes:
    return f"id: {event_id}\nevent: {name}\ndata: {json.dumps(data)}\n\n".encode()


class Hub:
    def __init__(self) -> None:
        self.by_user: dict[int, set[Connection]] = defaultdict(set)
        self.by_community: dict[int, set[Connection]] = defaultdict(set)
        self.by_organisation: dict[int, set[Connection]] = defaultdict(set)
        self.count = 0

    def add(self, conn: Connection) -> None:
        viewer = conn.viewer
        self.by_user[viewer.user_id].add(conn)
        for community in viewer.communities:
            self.by_community[community].add(conn)
        for organisation in viewer.organisations:
            self.by_organisation[organisation].add(conn)
        self.count += 1

    def remove(self, conn: Connection) -> None:
        viewer = conn.viewer
        for index, keys in (
            (self.by_user, [viewer.user_id]),
            (self.by_community, viewer.communities),
            (self.by_organisation, viewer.organisations),
        ):
            for key in keys:
                found = index.get(key)
                if found is not None:
                    found.discard(conn)
                    if not found:
                        del index[key]
        self.count -= 1

    def targets(self, event: dict[str, Any]) -> set[Connection]:
        if event.get("type") == "post":
            return set(self.by_community.get(event["community"], ()))
        if event.get("type") == "alert":
            found = {c for user in event.get("users") or () for c in self.by_user.get(user, ())}
            for organisation in event.get("orgs") or ():
                found.update(self.by_organisation.get(organisation, ()))
            return found
        if event.get("type") != "notification":
            return set()
        if "users" in event:
            return {c for user in event["users"] for c in self.by_user.get(user, ())}
        if event.get("everyone"):
            return {c for conns in self.by_user.values() for c in conns}
        audience = event.get("audience") or {}
        found: set[Connection] = set()
        community, roles = audience.get("community"), set(audience.get("roles") or ())
        if community is not None:
            for conn in self.by_community.get(community, ()):
                role = conn.viewer.roles.get(community)
                if role is not None and (not roles or role in roles):
                    found.add(conn)
        for organisation in audience.get("orgs") or ():
            found.update(self.by_organisation.get(organisation, ()))
        exclude = audience.get("exclude")
        return {c for c in found if c.viewer.user_id != exclude}

    def dispatch(self, event: dict[str, Any]) -> int:
        """Queue the event on every connection it concerns; returns how many."""
        targets = self.targets(event)
        for conn in targets:
            conn.queue.put_nowait(event)
        return len(targets)
