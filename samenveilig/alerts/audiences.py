"""The audiences of alerts for the fan-out (notifications.audiences): everybody an alert's target reaches, and
everybody who received it (for its updates and its outcome, answered or not)."""

from typing import Any

from django.db import connection

from samenveilig.alerts import targeting
from samenveilig.alerts.models import Alert
from samenveilig.notifications import audiences
from samenveilig.notifications.models import Notification

SENT_KIND = "alert.sent"
SUBJECT_TYPE = "alerts.alert"


@audiences.register("alert.target")
def target_audience(audience: dict[str, Any]) -> audiences.Sql:
    alert = Alert.objects.get(pk=audience["alert"])
    return targeting.recipients_sql(target_of(alert))


@audiences.register("alert.recipients")
def recipients_audience(audience: dict[str, Any]) -> audiences.Sql:
    table = connection.ops.quote_name(Notification._meta.db_table)
    return (
        f"SELECT recipient_id AS uid FROM {table} "  # noqa: S608 - our identifiers, values are parameters
        "WHERE subject_type = %s AND subject_code = %s AND kind = %s AND recipient_id IS NOT NULL",
        [SUBJECT_TYPE, audience["code"], SENT_KIND],
    )


def target_of(alert: Alert) -> targeting.Target:
    from samenveilig.alerts.models import SentAs, TargetKind

    return targeting.Target(
        kind=alert.target_kind,
        lat=alert.lat,
        lon=alert.lon,
        radius_m=alert.radius_m,
        buurt_ids=tuple(alert.buurten.values_list("pk", flat=True)) if alert.target_kind == TargetKind.BUURTEN else (),
        community_id=alert.community_id if alert.target_kind == TargetKind.COMMUNITY else None,
        members_of=alert.community_id if alert.sent_as == SentAs.COORDINATOR else None,
        exclude_id=alert.sender_id,
    )
