"""Factories for the alerts tests: an alert input with sensible defaults, homes around a point, and sending with the
fan-out written at once (as the worker would)."""

import uuid
from typing import Any

from samenveilig.alerts import services
from samenveilig.alerts.models import Alert
from samenveilig.core.testing import ORIGIN
from samenveilig.notifications.services import fan_out_pending

# The middle of Testdorp (core.testing): its municipality is a 0.02° x 0.02° box from ORIGIN.
CENTRE = (ORIGIN[0] + 0.01, ORIGIN[1] + 0.01)


def alert_input(kind: str = "missing", **overrides: Any) -> services.AlertInput:
    values: dict[str, Any] = {
        "kind": kind,
        "title": "Vermist: jongen van 8 jaar",
        "text": "Sinds 15:00 vermist bij de speeltuin. Rode jas, blauwe spijkerbroek, loopt richting het park.",
        "lat": CENTRE[0],
        "lon": CENTRE[1],
        "radius_m": 1000,
    }
    values.update(overrides)
    return services.AlertInput(**values)


def send(sender: Any, kind: str = "missing", *, fan_out: bool = True, **overrides: Any) -> Alert:
    sent = services.alert_send(sender=sender, data=alert_input(kind, **overrides), idempotency_key=uuid.uuid4())
    if fan_out:
        fan_out_pending()
    return sent.alert
