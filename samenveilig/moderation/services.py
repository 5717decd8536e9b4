"""Writes of member conduct (handbook 3.3.2): request, warning, removal; one appeal per step, decided by someone
other than who took the step. Every step and decision is logged (core.audit) and told to the member."""

from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from samenveilig.accounts.models import StaffMembership
from samenveilig.communities import access as community_access
from samenveilig.communities import services as community_services
from samenveilig.communities.models import Membership, MembershipStatus, Partnership
from samenveilig.core.audit import audit_record
from samenveilig.core.errors import Conflict, Forbidden, Invalid, NotFound
from samenveilig.core.permissions import Need, OrganisationKind, Role
from samenveilig.moderation.models import (
    DEFAULT_WARNINGS_BEFORE_REMOVAL,
    Appeal,
    AppealOutcome,
    ConductStep,
    ModerationSettings,
    StepKind,
)
from samenveilig.notifications import services as notifications

MAX_MESSAGE = 2000


def _message(value: Any, field: str) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        message = _("Write the message first.")
        raise Invalid(message, code="conduct.invalid", fields={field: [message]})
    if len(text) > MAX_MESSAGE:
        message = _("This text is too long (at most %(max)s characters).") % {"max": MAX_MESSAGE}
        raise Invalid(message, code="conduct.invalid", fields={field: [message]})
    return text


def warnings_before_removal(community: Any) -> int:
    found = ModerationSettings.objects.filter(community=community).values_list("warnings_before_removal", flat=True)
    return next(iter(found), DEFAULT_WARNINGS_BEFORE_REMOVAL)


@transaction.atomic
def conduct_step_take(
    *, membership: Membership, by: Any, kind: str, message: Any, post_code: Any = None
) -> ConductStep:
    """A coordinator takes the next step with a member. A warning follows a request; removal follows as many
    warnings as the community set (default 1). Removal ends the membership."""
    community_access.check_need(by, membership.community, Need.MODERATE)
    if kind not in StepKind.values:
        text = _("Choose one of: %(expected)s.") % {"expected": ", ".join(StepKind.values)}
        raise Invalid(text, code="conduct.invalid", fields={"kind": [text]})
    if membership.user_id == by.pk:
        raise Invalid(_("You cannot take a step with yourself."), code="conduct.self")
    locked = Membership.objects.select_for_update().get(pk=membership.pk)
    if locked.status != MembershipStatus.ACTIVE:
        raise Conflict(_("This person is no longer a member."), code="membership.not_active")
    text = _message(message, "message")
    standing = standing_steps(locked)
    if kind == StepKind.WARNING and standing[StepKind.REQUEST] == 0:
        raise Conflict(_("Send a friendly request first."), code="conduct.order")
    needed = warnings_before_removal(locked.community)
    if kind == StepKind.REMOVAL and standing[StepKind.WARNING] < needed:
        message_text = _("Removal comes after %(count)s warning(s); this member has had %(had)s.") % {
            "count": needed,
            "had": standing[StepKind.WARNING],
        }
        raise Conflict(message_text, code="conduct.order")
    step = ConductStep.objects.create(membership=locked, kind=kind, message=text, post_code=post_code, taken_by=by)
    if kind == StepKind.REMOVAL:
        community_services.membership_remove(membership=locked, by=by, reason=text)
    audit_record(actor=by, action=f"conduct.{kind}", obj=locked, message=text)
    notifications.notify(
        recipients=[locked.user_id],
        kind=f"conduct.{kind}",
        data={"community": locked.community.name, "message": text},
        link=reverse("moderation:my_conduct"),
        subject=("moderation.conductstep", str(step.pk)),
    )
    return step


def standing_steps(membership: Membership) -> dict[str, int]:
    """How many steps of each kind count: those not withdrawn on appeal."""
    counts = {kind: 0 for kind in StepKind.values}
    steps = ConductStep.objects.filter(membership=membership).exclude(appeal__outcome=AppealOutcome.OVERTURNED)
    for kind in steps.values_list("kind", flat=True):
        counts[kind] += 1
    return counts


def next_step(membership: Membership) -> str:
    """The step that comes next with this member: a request, then a warning, then removal."""
    standing = standing_steps(membership)
    if standing[StepKind.WARNING]:
        return StepKind.REMOVAL
    return StepKind.WARNING if standing[StepKind.REQUEST] else StepKind.REQUEST


@transaction.atomic
def appeal_file(*, step: ConductStep, by: Any, text: Any) -> Appeal:
    """The member appeals a step once (also after removal)."""
    if step.membership.user_id != getattr(by, "pk", None):
        raise NotFound()
    body = _message(text, "text")
    try:
        with transaction.atomic():
            appeal = Appeal.objects.create(step=step, text=body)
    except IntegrityError as exc:
        raise Conflict(_("You already appealed this step; the decision on it is final."), code="appeal.twice") from exc
    audit_record(actor=by, action="conduct.appeal", obj=step.membership, step=step.kind)
    deciders = [uid for uid in _deciders(step) if uid != by.pk]
    notifications.notify(
        recipients=deciders,
        kind="conduct.appealed",
        data={"community": step.membership.community.name, "step": step.kind},
        link=reverse("moderation:appeals", args=[step.membership.community.slug]),
        subject=("moderation.appeal", str(appeal.pk)),
    )
    return appeal


def _deciders(step: ConductStep) -> set[int]:
    """Another coordinator, the community's facilitator, or staff of its municipality partner."""
    community = step.membership.community
    members = Membership.objects.filter(
        community=community, status=MembershipStatus.ACTIVE, role__in=[Role.COORDINATOR, Role.FACILITATOR]
    ).exclude(user_id=step.taken_by_id)
    municipal = Partnership.objects.filter(community=community, organisation__kind=OrganisationKind.MUNICIPALITY)
    staff = StaffMembership.objects.filter(organisation__in=municipal.values("organisation"))
    return set(members.values_list("user_id", flat=True)) | set(staff.values_list("user_id", flat=True))


def can_decide(appeal: Appeal, user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False)) or getattr(user, "pk", None) in _deciders(appeal.step)


@transaction.atomic
def appeal_decide(*, appeal: Appeal, by: Any, outcome: str, decision: Any) -> Appeal:
    """Decided once, by someone other than who took the step; an overturned removal gives the membership back."""
    if not can_decide(appeal, by):
        raise Forbidden(
            _("Another coordinator, the facilitator or the municipality decides on this appeal."),
            code="appeal.forbidden",
        )
    if outcome not in AppealOutcome.values:
        text = _("Choose one of: %(expected)s.") % {"expected": ", ".join(AppealOutcome.values)}
        raise Invalid(text, code="conduct.invalid", fields={"outcome": [text]})
    body = _message(decision, "decision")
    locked = Appeal.objects.select_for_update().get(pk=appeal.pk)
    if locked.outcome:
        raise Conflict(_("This appeal has already been decided."), code="appeal.decided")
    locked.outcome, locked.decision, locked.decided_by, locked.decided_at = outcome, body, by, timezone.now()
    locked.save(update_fields=["outcome", "decision", "decided_by", "decided_at"])
    step = locked.step
    if outcome == AppealOutcome.OVERTURNED and step.kind == StepKind.REMOVAL:
        community_services.membership_reinstate(membership=step.membership, by=by, reason=body)
    audit_record(actor=by, action="conduct.appeal_decided", obj=step.membership, outcome=outcome, decision=body)
    notifications.notify(
        recipients=[step.membership.user_id],
        kind="conduct.appeal_decided",
        data={"community": step.membership.community.name, "outcome": outcome, "decision": body},
        link=reverse("moderation:my_conduct"),
        subject=("moderation.appeal", str(locked.pk)),
    )
    return locked


def settings_set(*, community: Any, by: Any, check_irrelevant: bool, warnings: int) -> ModerationSettings:
    """A coordinator sets the community's moderation: the off-topic check and the warnings before removal."""
    community_access.check_need(by, community, Need.MODERATE)
    if isinstance(warnings, bool) or not isinstance(warnings, int) or not 0 <= warnings <= 5:
        text = _("Give a number of warnings from 0 to 5.")
        raise Invalid(text, code="conduct.invalid", fields={"warnings_before_removal": [text]})
    found, _created = ModerationSettings.objects.update_or_create(
        community=community, defaults={"check_irrelevant": bool(check_irrelevant), "warnings_before_removal": warnings}
    )
    audit_record(actor=by, action="moderation.settings", obj=community, irrelevant=check_irrelevant, warnings=warnings)
    return found
