"""The demo's alerts (oproepen): three weeks of past alerts of every kind, by the wijkagent and by the demo
coordinator, with their answers and outcomes, and one alert in progress near the demo resident's home.

Written with the real services, in the order things happened, each with its moment as `now`: alerts.services
.alert_send checks and stores the alert (the sender rules, the description rule, the moderation checks), the fan-out
(notifications.services.fan_out_pending, as the worker) writes one "alert.sent" notification per resident in the
radius, recipients answer with alert_respond, an update goes out with alert_update, and alert_close (or
alerts_expire at the end of the validity) closes the loop. What those services stamp with the clock (created_at,
the fan-outs' times and so the notifications' times, read_at, the audit events) is then set to the planned moment,
so the demo tells a consistent story. Runs after demo.reports and demo.conversation; texts in demo.alert_texts.
"""

import math
import random
import uuid
from datetime import datetime, timedelta
from typing import Any

from samenveilig.accounts.models import Organisation, User
from samenveilig.alerts import access
from samenveilig.alerts import services as alert_services
from samenveilig.alerts.audiences import SENT_KIND, SUBJECT_TYPE
from samenveilig.alerts.models import Alert, AlertOutcome, AlertResponse, AlertUpdate
from samenveilig.communities.models import Community, Membership, MembershipStatus
from samenveilig.core.models import AuditEvent
from samenveilig.core.permissions import OrganisationKind, Role
from samenveilig.demo import alert_texts as t
from samenveilig.demo.accounts import DEMO_DOMAIN
from samenveilig.notifications.models import Fanout, Notification
from samenveilig.notifications.services import fan_out_pending

M_PER_DEG_LAT = 111_195.0


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _near(rng: random.Random, lat: float, lon: float, metres: float) -> tuple[float, float]:
    """A point at most `metres` from (lat, lon), rounded like stored coordinates."""
    distance, bearing = metres * math.sqrt(rng.random()), rng.uniform(0, 2 * math.pi)
    dlat = distance * math.cos(bearing) / M_PER_DEG_LAT
    dlon = distance * math.sin(bearing) / (M_PER_DEG_LAT * math.cos(math.radians(lat)))
    return round(lat + dlat, 7), round(lon + dlon, 7)


def _point(user: User) -> tuple[float, float]:
    """A point at a person's home, to about 10 m: where something happened in their street."""
    home = user.residence
    return round(home.lat, 4), round(home.lon, 4)


class _Clock:
    """Runs the worker's fan-out for what a service just queued, dated at the moment it happened."""

    def __init__(self) -> None:
        self.mark = self._last()

    @staticmethod
    def _last() -> int:
        return Fanout.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    def fan_out(self, at: datetime) -> None:
        new = Fanout.objects.filter(pk__gt=self.mark)
        new.update(created_at=at)  # the notifications take their fan-out's time
        fan_out_pending()
        new.update(done_at=at)
        self.mark = self._last()


def _audit_dates(alert: Alert, moments: dict[str, list[datetime]]) -> None:
    """The alert's audit events (alert.sent, alert.updated, alert.closed) at the moments they happened."""
    events = AuditEvent.objects.filter(object_type=Alert._meta.label_lower, object_id=str(alert.pk)).order_by("pk")
    seen: dict[str, int] = {}
    for event in events:
        n = seen.get(event.action, 0)
        seen[event.action] = n + 1
        if n < len(moments.get(event.action, [])):
            AuditEvent.objects.filter(pk=event.pk).update(created_at=moments[event.action][n])


def _play(
    script: dict[str, Any],
    *,
    sender: User,
    community: Community | None,
    centre: tuple[float, float],
    sent_at: datetime,
    rng: random.Random,
    clock: _Clock,
    keep_out: set[int],
) -> Alert:
    """Send one alert, let its recipients answer, and close it as the script says (no outcome: it stays open)."""
    data = alert_services.AlertInput(
        kind=script["kind"],
        title=script["title"],
        text=script["text"],
        persons=script.get("persons", []),
        vehicles=script.get("vehicles", []),
        lat=centre[0],
        lon=centre[1],
        radius_m=script["radius_m"],
        community=str(community.code) if community is not None else "",
        valid_minutes=script["valid_minutes"],
    )
    alert = alert_services.alert_send(sender=sender, data=data, idempotency_key=_uuid(rng), now=sent_at).alert
    clock.fan_out(sent_at)
    moments: dict[str, list[datetime]] = {"alert.sent": [sent_at]}

    recipients = list(
        Notification.objects.filter(fanout_id=alert.fanout_id, kind=SENT_KIND)
        .exclude(recipient_id__in=keep_out)
        .order_by("recipient_id")
        .values_list("recipient_id", flat=True)
    )
    answers = script["answers"]
    rng.shuffle(recipients)
    people = User.objects.in_bulk(recipients[: 4 * len(answers)])
    # Only plain recipients answer (a fellow coordinator of the community is on the sender's side).
    responders = [pk for pk in recipients if pk in people and access.standing_of(people[pk], alert).view == "recipient"]
    responders = responders[: len(answers)]
    for (minutes, kind, text, located), responder in zip(answers, responders, strict=False):
        at = sent_at + timedelta(minutes=minutes)
        lat, lon = _near(rng, *centre, script["radius_m"] / 2) if located else (None, None)
        answer, _ = alert_services.alert_respond(
            alert=alert,
            responder=people[responder],
            kind=kind,
            text=text,
            lat=lat,
            lon=lon,
            idempotency_key=_uuid(rng),
            now=at,
        )
        AlertResponse.objects.filter(pk=answer.pk).update(created_at=at)
        Notification.objects.filter(
            recipient_id=responder, subject_type=SUBJECT_TYPE, subject_code=str(alert.code), read_at__isnull=False
        ).update(read_at=at)
    if script.get("update"):
        at = sent_at + timedelta(minutes=script["update_after"])
        update = alert_services.alert_update(alert=alert, by=sender, text=script["update"], now=at)
        AlertUpdate.objects.filter(pk=update.pk).update(created_at=at)
        clock.fan_out(at)
        moments["alert.updated"] = [at]

    closed_at = None
    if script.get("outcome") == AlertOutcome.EXPIRED:
        closed_at = alert.valid_until
        if alert_services.alerts_expire(now=closed_at) != 1:
            raise RuntimeError("the demo expected to expire exactly one alert")
        clock.fan_out(closed_at)
        moments["alert.closed"] = [closed_at]
    elif script.get("outcome"):
        closed_at = sent_at + timedelta(minutes=script["close_after"])
        alert_services.alert_close(
            alert=alert, by=sender, outcome=script["outcome"], text=script.get("outcome_text", ""), now=closed_at
        )
        clock.fan_out(closed_at)
        moments["alert.closed"] = [closed_at]
    last = max([sent_at, closed_at or sent_at, *(sent_at + timedelta(minutes=a[0]) for a in answers)])
    Alert.objects.filter(pk=alert.pk).update(created_at=sent_at, updated_at=last)
    _audit_dates(alert, moments)
    return Alert.objects.get(pk=alert.pk)


def write_alerts(plan: Any, users: list[User], organisations: list[Organisation]) -> int:
    """The past alerts and the one in progress. Returns how many alerts were written."""
    rng = random.Random(f"{plan.seed}-alerts")
    police_index = next(n for n, o in enumerate(plan.organisations) if o.kind == OrganisationKind.POLICE)
    wijkagent = users[plan.organisations[police_index].staff[0][0]]
    by_email = {u.email: u for u in users if u.email.startswith(("coordinator@", "bewoner@"))}
    coordinator, resident = by_email[f"coordinator@{DEMO_DOMAIN}"], by_email[f"bewoner@{DEMO_DOMAIN}"]
    watch = (
        Membership.objects.filter(user=coordinator, role=Role.COORDINATOR, status=MembershipStatus.ACTIVE)
        .select_related("community")
        .order_by("pk")
        .first()
        .community
    )
    neighbours = list(
        User.objects.filter(
            memberships__community=watch,
            memberships__status=MembershipStatus.ACTIVE,
            residence__isnull=False,
        )
        .exclude(pk=coordinator.pk)
        .select_related("residence")
        .order_by("pk")
    )
    homes = [i for i in plan.all_residents if users[i].email != resident.email]
    keep_out = {resident.pk}  # the demo resident answers nothing: the live alert waits for their answer
    clock = _Clock()
    written = 0
    for script in sorted(t.PAST, key=lambda s: -s["days"]):
        sent_at = plan.now - timedelta(days=script["days"]) + timedelta(hours=script["hour"])
        if script["by"] == "coordinator":
            sender, community, where = coordinator, watch, _point(rng.choice(neighbours))
        else:
            sender, community, where = wijkagent, None, _point(users[rng.choice(homes)])
        _play(
            script,
            sender=sender,
            community=community,
            centre=where,
            sent_at=sent_at,
            rng=rng,
            clock=clock,
            keep_out=keep_out,
        )
        written += 1
    live = t.LIVE
    _play(
        live,
        sender=wijkagent,
        community=None,
        centre=_point(resident),
        sent_at=plan.now - timedelta(minutes=live["minutes_before_now"]),
        rng=rng,
        clock=clock,
        keep_out=keep_out,
    )
    return written + 1


# --- Reset and digest ------------------------------------------------------------------------------------------------


def delete_alerts(senders: Any) -> None:
    """Delete the alerts these people sent, with their notifications, fan-outs and audit events (before the
    people, communities and organisations go: an alert protects them)."""
    alerts = Alert.objects.filter(sender__in=senders)
    codes = [str(c) for c in alerts.values_list("code", flat=True)]
    ids = [str(pk) for pk in alerts.values_list("pk", flat=True)]
    for start in range(0, len(codes), 500):
        chunk = codes[start : start + 500]
        Notification.objects.filter(subject_type=SUBJECT_TYPE, subject_code__in=chunk).delete()
        Fanout.objects.filter(subject_type=SUBJECT_TYPE, subject_code__in=chunk).delete()
        AuditEvent.objects.filter(object_type=Alert._meta.label_lower, object_id__in=ids[start : start + 500]).delete()
    alerts.delete()


def digest_lines(senders: Any, add: Any) -> None:
    """The alerts' content for builder.content_digest (no database ids, no public codes: those are random)."""
    alerts = Alert.objects.filter(sender__in=senders).select_related("sender", "organisation", "community", "fanout")
    for a in alerts:
        add(
            "alert", a.kind, a.title, a.text, a.persons, a.vehicles, a.urgent, a.sender.email, a.sent_as,
            a.organisation.name if a.organisation else None, a.community.slug if a.community else None, a.lat, a.lon,
            a.radius_m, a.created_at, a.valid_until, a.closed_at, a.outcome, a.outcome_text,
            a.fanout.written if a.fanout else None,
        )  # fmt: skip
        for r in AlertResponse.objects.filter(alert=a).select_related("responder"):
            add("alert_answer", a.title, a.created_at, r.responder.email, r.kind, r.text, r.lat, r.lon, r.created_at)
        for u in AlertUpdate.objects.filter(alert=a):
            add("alert_update", a.title, a.created_at, u.text, u.created_at)
