"""Member conduct in the API: steps (coordinators), one's own steps and appeals (members), appeal decisions."""

from typing import Any, Literal
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from samenveilig.communities import access as community_access
from samenveilig.core.api import errors
from samenveilig.core.errors import NotFound
from samenveilig.core.permissions import Need
from samenveilig.moderation import prompts, selectors, services
from samenveilig.moderation.models import Appeal, ConductStep

router = Router(tags=["moderation"])


class StepIn(Schema):
    kind: Literal["request", "warning", "removal"]
    message: str = ""  # empty: the ready text of the step


class AppealIn(Schema):
    text: str


class DecisionIn(Schema):
    outcome: Literal["upheld", "overturned"]
    decision: str


class SettingsIO(Schema):
    check_irrelevant: bool = Field(..., description="Hold posts that are not about safety (off for a social group).")
    warnings_before_removal: int = Field(..., description="Warnings after the request before removal, 0 to 5.")


class AppealOut(Schema):
    id: int
    text: str
    outcome: str
    decision: str
    created_at: Any
    decided_at: Any | None


class StepOut(Schema):
    id: int
    community: str
    kind: str
    message: str
    created_at: Any
    appeal: AppealOut | None


def _appeal(appeal: Appeal | None) -> dict[str, Any] | None:
    if appeal is None:
        return None
    return {
        "id": appeal.pk,
        "text": appeal.text,
        "outcome": appeal.outcome,
        "decision": appeal.decision,
        "created_at": appeal.created_at,
        "decided_at": appeal.decided_at,
    }


def _step(step: ConductStep) -> dict[str, Any]:
    return {
        "id": step.pk,
        "community": step.membership.community.name,
        "kind": step.kind,
        "message": step.message,
        "created_at": step.created_at,
        "appeal": _appeal(getattr(step, "appeal", None)),  # None when there is no appeal (a reverse one-to-one)
    }


@router.post(
    "/communities/{uuid:community}/members/{uuid:member}/conduct",
    response={201: StepOut, **errors(401, 403, 404, 409, 422)},
    summary="Take a conduct step with a member (coordinators)",
    description="A request, a warning (after a request) or removal (after the community's number of warnings). "
    "Without a message the ready text of the step is sent.",
)
def take_step(request: HttpRequest, community: UUID, member: UUID, payload: StepIn) -> Status:
    membership = community_access.access_membership(request.auth, community, member, need=Need.MODERATE)
    message = payload.message or prompts.step_template(payload.kind, membership.user.first_name)
    step = services.conduct_step_take(membership=membership, by=request.auth, kind=payload.kind, message=message)
    return Status(201, _step(step))


@router.get("/me/conduct", response={200: list[StepOut], **errors(401)}, summary="The conduct steps about you")
def my_steps(request: HttpRequest) -> list[dict[str, Any]]:
    return [_step(step) for step in selectors.my_steps(user=request.auth)]


@router.post(
    "/conduct/{int:step_id}/appeal",
    response={201: AppealOut, **errors(401, 404, 409, 422)},
    summary="Appeal a step about you (once)",
)
def appeal(request: HttpRequest, step_id: int, payload: AppealIn) -> Status:
    step = ConductStep.objects.select_related("membership__community").filter(pk=step_id).first()
    if step is None:
        raise NotFound()
    return Status(201, _appeal(services.appeal_file(step=step, by=request.auth, text=payload.text)))


@router.get(
    "/communities/{uuid:community}/appeals",
    response={200: list[AppealOut], **errors(401, 403, 404)},
    summary="Appeals you may decide",
)
def list_appeals(request: HttpRequest, community: UUID) -> list[dict[str, Any]]:
    found = community_access.access_community(request.auth, community, need=Need.VIEW)
    return [_appeal(a) for a in selectors.open_appeals(community=found, viewer=request.auth)]


@router.post(
    "/appeals/{int:appeal_id}/decision",
    response={200: AppealOut, **errors(401, 403, 404, 409, 422)},
    summary="Decide an appeal (another coordinator, the facilitator or the municipality)",
)
def decide(request: HttpRequest, appeal_id: int, payload: DecisionIn) -> dict[str, Any]:
    found = Appeal.objects.select_related("step__membership__community").filter(pk=appeal_id).first()
    if found is None:
        raise NotFound()
    decided = services.appeal_decide(appeal=found, by=request.auth, outcome=payload.outcome, decision=payload.decision)
    return _appeal(decided)


@router.get(
    "/communities/{uuid:community}/moderation",
    response={200: SettingsIO, **errors(401, 403, 404)},
    summary="The community's moderation settings (coordinators)",
)
def get_settings(request: HttpRequest, community: UUID) -> dict[str, Any]:
    found = community_access.access_community(request.auth, community, need=Need.MODERATE)
    current = selectors.settings_of(community=found, viewer=request.auth)
    return {"check_irrelevant": current.check_irrelevant, "warnings_before_removal": current.warnings_before_removal}


@router.put(
    "/communities/{uuid:community}/moderation",
    response={200: SettingsIO, **errors(401, 403, 404, 422)},
    summary="Set the community's moderation (coordinators)",
    description="The off-topic check (`irrelevant`), which a social group may switch off, and the number of "
    "warnings before removal (0 to 5). Logged.",
)
def put_settings(request: HttpRequest, community: UUID, payload: SettingsIO) -> dict[str, Any]:
    found = community_access.access_community(request.auth, community, need=Need.MODERATE)
    saved = services.settings_set(
        community=found,
        by=request.auth,
        check_irrelevant=payload.check_irrelevant,
        warnings=payload.warnings_before_removal,
    )
    return {"check_irrelevant": saved.check_irrelevant, "warnings_before_removal": saved.warnings_before_removal}
