"""The permission gate for reports (CONVENTIONS §4). Who sees what of a report:

| who                                                    | view        | may                                           |
|--------------------------------------------------------|-------------|-----------------------------------------------|
| the reporter (also of an anonymous report)             | "reporter"  | read it with the whole status timeline and    |
|                                                        |             | the feedback to them; answer questions; rate  |
| staff of an organisation the report was routed to      | "partner"   | handle it: statuses, notes, questions,        |
|                                                        |             | forwards, feedback; the reporter's name and   |
|                                                        |             | contact unless anonymous (the read is logged) |
| an active member whom the report was routed to (all    | "member"    | read the description, the status and the      |
|   members, or the coordinators, or the initiators;     |             | general feedback; never the reporter of an    |
|   as one of all members, a flagged report only once a  |             | anonymous report, never notes or questions    |
|   coordinator published it in the conversation)       |             |                                               |
| an admin (is_superuser)                                | "admin"     | read it like a partner; open the sealed link  |
|                                                        |             | to an anonymous reporter (logged)             |
| anybody else, members not routed to included          | —           | nothing: 404, so existence never leaks        |

A person who is both (a coordinator who works for the police) gets the widest view.
"""

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any
from uuid import UUID

from django.utils.translation import gettext_lazy as _

from samenveilig.accounts.models import Organisation
from samenveilig.communities.models import Membership, MembershipStatus
from samenveilig.conversation import selectors as conversation_selectors
from samenveilig.core.errors import Forbidden, NotFound
from samenveilig.core.permissions import Role
from samenveilig.reports import identity
from samenveilig.reports.models import Audience, Feedback, Question, Report, ReportRoute


class ReportNeed(StrEnum):
    VIEW = "view"  # any view of the report
    HANDLE = "handle"  # partner work: statuses, notes, questions, forwards, feedback
    OWN = "own"  # the reporter's actions: answer a question, rate feedback
    REVEAL = "reveal"  # open the sealed link to an anonymous reporter (admins)


VIEW_ORDER = ("admin", "partner", "reporter", "member")
FORBIDDEN_MESSAGE = _("You can see this report, but you are not allowed to do this.")

AUDIENCE_ROLES = {
    Audience.MEMBERS: set(Role.values),
    Audience.COORDINATORS: {Role.COORDINATOR},
    Audience.INITIATORS: {Role.INITIATOR},
}


@dataclass(frozen=True)
class ReportStanding:
    is_reporter: bool = False
    organisations: tuple[Organisation, ...] = field(default_factory=tuple)  # routed ones the person works for
    is_routed_member: bool = False
    is_admin: bool = False

    @property
    def views(self) -> tuple[str, ...]:
        held = {
            "admin": self.is_admin,
            "partner": bool(self.organisations),
            "reporter": self.is_reporter,
            "member": self.is_routed_member,
        }
        return tuple(v for v in VIEW_ORDER if held[v])

    @property
    def view(self) -> str | None:
        """The widest view the person holds, or None."""
        return self.views[0] if self.views else None

    def grants(self, need: ReportNeed) -> bool:
        if need == ReportNeed.VIEW:
            return self.view is not None
        if need == ReportNeed.HANDLE:
            return bool(self.organisations)
        if need == ReportNeed.OWN:
            return self.is_reporter
        if need == ReportNeed.REVEAL:
            return self.is_admin
        return False


def report_standing(user: Any, report: Report) -> ReportStanding:
    """What the person is to this report (a few small queries, cached on the report object per person)."""
    if not getattr(user, "is_authenticated", False):
        return ReportStanding()
    cache = report.__dict__.setdefault("_sv_standing", {})
    if user.pk in cache:
        return cache[user.pk]
    is_reporter = report.reporter_id == user.pk or report.submitter_key == identity.submitter_key(user)
    organisations = tuple(
        Organisation.objects.filter(report_routes__report=report, staff__user=user).distinct().order_by("name")
    )
    audiences = set(
        ReportRoute.objects.filter(report=report).exclude(audience="organisation").values_list("audience", flat=True)
    )
    role = (
        Membership.objects.filter(community_id=report.community_id, user=user, status=MembershipStatus.ACTIVE)
        .values_list("role", flat=True)
        .first()
    )
    routed_member = role is not None and any(role in AUDIENCE_ROLES.get(a, set()) for a in audiences)
    if routed_member and report.flags and not any(role in AUDIENCE_ROLES[a] for a in audiences - {Audience.MEMBERS}):
        # Flagged: a member who gets it only as one of all members sees it once a coordinator published it.
        routed_member = conversation_selectors.shared_report_published(report.code)
    standing = ReportStanding(
        is_reporter=is_reporter,
        organisations=organisations,
        is_routed_member=routed_member,
        is_admin=bool(user.is_superuser),
    )
    cache[user.pk] = standing
    return standing


def _report(code: Any) -> Report:
    if isinstance(code, Report):
        return code
    try:
        return Report.objects.select_related("community", "buurt", "reporter").get(code=UUID(str(code)))
    except (Report.DoesNotExist, ValueError) as exc:
        raise NotFound() from exc


def check_report_need(user: Any, report: Report, need: ReportNeed) -> ReportStanding:
    standing = report_standing(user, report)
    if standing.grants(need):
        return standing
    if standing.view is not None:
        raise Forbidden(FORBIDDEN_MESSAGE, code="report.forbidden")
    raise NotFound()


def access_report(user: Any, code: Any, *, need: ReportNeed = ReportNeed.VIEW) -> Report:
    """The report with this public code if `user` holds `need` on it (see the table above); else NotFound (no view
    at all) or Forbidden (a view, but not this need)."""
    report = _report(code)
    check_report_need(user, report, need)
    return report


def handling_organisation(user: Any, report: Report, organisation_code: Any = None) -> Organisation:
    """The organisation the person acts for on this report: the one named, or their only routed one."""
    organisations = check_report_need(user, report, ReportNeed.HANDLE).organisations
    if organisation_code:
        for org in organisations:
            if str(org.code) == str(organisation_code):
                return org
        raise NotFound()
    return organisations[0]


def access_question(user: Any, code: Any) -> Question:
    """A question to the reporter, for the reporter (to answer it)."""
    try:
        question = Question.objects.select_related("report", "organisation").get(code=UUID(str(code)))
    except (Question.DoesNotExist, ValueError) as exc:
        raise NotFound() from exc
    check_report_need(user, question.report, ReportNeed.OWN)
    return question


def access_feedback(user: Any, code: Any, *, need: ReportNeed = ReportNeed.OWN) -> Feedback:
    """Feedback on a report, for the reporter (to rate it)."""
    try:
        feedback = Feedback.objects.select_related("report", "organisation").get(code=UUID(str(code)))
    except (Feedback.DoesNotExist, ValueError) as exc:
        raise NotFound() from exc
    check_report_need(user, feedback.report, need)
    return feedback
