"""The hub's routing of the events alerts add: an alert's changes reach its sender's side only; a very large
fan-out (an alert to a whole district) makes every connected client look, each at its own inbox."""

from django.test import SimpleTestCase

from samenveilig.live.hub import Connection, Hub
from samenveilig.live.selectors import Cursor, Viewer


def _conn(user_id: int, *, organisations: set[int] = frozenset(), roles: dict[int, str] | None = None) -> Connection:
    return Connection(Viewer(user_id=user_id, roles=roles or {}, organisations=set(organisations)), Cursor(10, 0))


class HubTests(SimpleTestCase):
    def setUp(self) -> None:
        self.hub = Hub()
        self.police = _conn(1, organisations={7})
        self.coordinator = _conn(2, roles={3: "coordinator"})
        self.resident = _conn(3, roles={3: "participant"})
        for conn in (self.police, self.coordinator, self.resident):
            self.hub.add(conn)

    def test_an_alert_change_reaches_only_the_sender_side(self) -> None:
        event = {"type": "alert", "alert": 5, "orgs": [7], "users": [2]}
        self.assertEqual(self.hub.targets(event), {self.police, self.coordinator})
        frame = self.police.frame(event)
        self.assertIn(b"event: alert-5\n", frame)
        self.assertIn(b"id: 10.0\n", frame)  # not counted in the cursor: a console reloads on reconnect
        self.assertEqual(self.hub.targets({"type": "alert", "alert": 5, "orgs": [8], "users": []}), set())

    def test_everyone_looks_after_a_very_large_fan_out(self) -> None:
        event = {"type": "notification", "everyone": True, "n": 11}
        self.assertEqual(self.hub.targets(event), {self.police, self.coordinator, self.resident})
        self.assertIn(b"event: notification\n", self.resident.frame(event))
        self.assertIsNone(self.resident.frame(event))  # heard once
