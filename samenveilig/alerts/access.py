"""The permission gate for alerts (CONVENTIONS §4). Who sees what of an alert:

| who                                                        | view        | may                                      |
|------------------------------------------------------------|-------------|-------------------------------------------|
| staff of the police organisation that sent it; for a       | "sender"    | the console: answers (with locations and |
|   coordinator's alert, the sender and the community's      |             | photos), figures, who was reached on which|
|   active coordinators                                      |             | channel (counts); post updates, close it |
| a recipient (an "alert.sent" notification about it)        | "recipient" | read it, its updates and outcome; answer |
| staff of the police that got a coordinator's alert's copy  | "copy"      | read it, its updates, outcome and counts |
| anybody else                                               | —           | nothing: 404, so existence never leaks   |

The home points the target was resolved with are shown to nobody; answers to nobody outside the sender's side.
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from uuid import UUID

from django.utils.translation import gettext_lazy as _

from samenveilig.accounts.models import StaffMembership
from samenveilig.alerts.audiences import SENT_KIND, SUBJECT_TYPE
from samenveilig.alerts.models import Alert, SentAs
from samenveilig.communities.models import Membership, MembershipStatus
from samenveilig.core.errors import Forbidden, NotFound
from samenveilig.core.permissions import Role
from samenveilig.notifications.models import Notification

COPY_KIND = "alert.copy"


class AlertNeed(StrEnum):
    VIEW = "view"
    CONSOLE = "console"  # answers, figures, updates, closing
    ANSWER = "answer"


@dataclass(frozen=True)
class AlertStanding:
    view: str | None  # "sender", "recipient", "copy" or None


def sender_side_user_ids(alert: Alert) -> list[int]:
    """The people whose consoles show this alert (for the live channel: organisations are added separately)."""
    if alert.sent_as == SentAs.COORDINATOR:
        coordinators = Membership.objects.filter(
            community_id=alert.community_id, role=Role.COORDINATOR, status=MembershipStatus.ACTIVE
        ).values_list("user_id", flat=True)
        return sorted({alert.sender_id, *coordinators})
    return [alert.sender_id]


def _is_sender_side(user: Any, alert: Alert) -> bool:
    if alert.sent_as == SentAs.POLICE:
        return StaffMembership.objects.filter(user_id=user.pk, organisation_id=alert.organisation_id).exists()
    if user.pk == alert.sender_id:
        return True
    return Membership.objects.filter(
        user_id=user.pk, community_id=alert.community_id, role=Role.COORDINATOR, status=MembershipStatus.ACTIVE
    ).exists()


def _has_notification(user: Any, alert: Alert, kind: str) -> bool:
    return Notification.objects.filter(
        recipient_id=user.pk, subject_type=SUBJECT_TYPE, subject_code=str(alert.code), kind=kind
    ).exists()


def standing_of(user: Any, alert: Alert) -> AlertStanding:
    if not getattr(user, "is_authenticated", False):
        return AlertStanding(None)
    if _is_sender_side(user, alert):
        return AlertStanding("sender")
    if _has_notification(user, alert, SENT_KIND):
        return AlertStanding("recipient")
    if _has_notification(user, alert, COPY_KIND):
        return AlertStanding("copy")
    return AlertStanding(None)


NEEDS = {
    AlertNeed.VIEW: {"sender", "recipient", "copy"},
    AlertNeed.CONSOLE: {"sender"},
    AlertNeed.ANSWER: {"recipient"},
}


def access_alert(user: Any, code: UUID | str, *, need: AlertNeed = AlertNeed.VIEW) -> tuple[Alert, AlertStanding]:
    """The alert with this code and the person's standing, when they may do `need` with it; NotFound when they may
    not see it at all, Forbidden when they see it but may not do this."""
    try:
        alert = Alert.objects.select_related("organisation", "community", "sender", "photo").get(code=code)
    except (Alert.DoesNotExist, ValueError):
        raise NotFound() from None
    standing = standing_of(user, alert)
    if standing.view is None:
        raise NotFound()
    if standing.view not in NEEDS[need]:
        raise Forbidden(_("You can see this alert, but you are not allowed to do this."))
    return alert, standing
