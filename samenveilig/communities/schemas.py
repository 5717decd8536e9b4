"""The API's shapes for communities: <Noun>In, <Noun>Out."""

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from django.conf import settings
from ninja import Field, Schema

from samenveilig.communities.models import CommunityKind

KindLiteral = Literal["whatsapp", "street", "wijk", "business_park", "student_complex", "shopping_area", "online_watch"]
assert set(KindLiteral.__args__) == set(CommunityKind.values)  # noqa: S101 (kept in step with the model)
View = Literal["public", "pending", "member", "partner"]


class AreaRefOut(Schema):
    code: str
    name: str


class HouseRulesOut(Schema):
    version: int
    text: str
    published_at: datetime


class CommunitySummaryOut(Schema):
    """What anybody may see of a community in a list."""

    code: UUID
    slug: str
    name: str
    kind: str
    kind_label: str
    municipality: AreaRefOut
    phase: int
    phase_label: str
    member_count: int = Field(..., description="The number of active members.")
    centroid: list[float] = Field(..., description="[longitude, latitude] of a point inside the area (WGS84).")


class MembershipOut(Schema):
    """The viewer's own membership of a community."""

    code: UUID
    community: UUID
    role: str
    status: str
    rules_version_accepted: int
    rules_acceptance_required: bool = Field(
        ..., description="True when a newer version of the house rules applies than the one this member accepted."
    )
    joined_at: datetime


class MemberOut(Schema):
    """A member as other members see them: first name and role only."""

    code: UUID
    first_name: str
    role: str
    status: str
    joined_at: datetime


class PartnerOut(Schema):
    name: str
    kind: str


class PhaseChangeOut(Schema):
    from_phase: int
    to_phase: int
    reason: str
    changed_by: str | None = Field(None, description="The first name of who changed it.")
    changed_at: datetime


class CommunityOut(CommunitySummaryOut):
    """One community. Its shape depends on the viewer (`view`): strangers and pending members get the public part;
    active members also the members' first names, the partners and the phase history; partner staff the
    coordinators' first names, the partners and the phase history."""

    view: View
    description: str
    approval_required: bool
    buurten: list[AreaRefOut]
    geometry: dict[str, Any] = Field(..., description="The community's area, a GeoJSON Polygon or MultiPolygon.")
    house_rules: HouseRulesOut | None
    membership: MembershipOut | None = None
    members: list[MemberOut] | None = None
    coordinators: list[str] | None = Field(None, description="First names of the coordinators (partner view).")
    partners: list[PartnerOut] | None = None
    phase_history: list[PhaseChangeOut] | None = None


class CommunityIn(Schema):
    name: str = Field(..., min_length=3, max_length=120)
    kind: KindLiteral
    description: str = Field("", max_length=5000)
    buurten: list[str] = Field(default_factory=list, description="Codes of the buurten the community covers.")
    geometry: dict[str, Any] | None = Field(None, description="Or a GeoJSON Polygon of its own (WGS84).")
    approval_required: bool = True
    house_rules: str | None = Field(None, max_length=10_000, description="Version 1; a default text when empty.")


class PhaseIn(Schema):
    phase: int = Field(..., ge=1, le=4)
    reason: str = Field("", max_length=2000, description="Required when moving back.")


class PhaseOut(Schema):
    phase: int
    phase_label: str
    history: list[PhaseChangeOut]


class HouseRulesIn(Schema):
    text: str = Field(..., max_length=10_000)


class HouseRulesDetailOut(Schema):
    current: HouseRulesOut | None
    versions: list[HouseRulesOut]
    membership: MembershipOut | None = None


class RulesAcceptIn(Schema):
    version: int = Field(..., ge=1, description="The version being accepted; only the current version is accepted.")


class InviteIn(Schema):
    note: str = Field("", max_length=200)
    days: int = Field(settings.INVITE_DEFAULT_DAYS, ge=1, le=365)
    max_uses: int | None = Field(None, ge=1)
    requires_approval: bool | None = Field(None, description="Default: the community's setting.")


class InviteOut(Schema):
    code: UUID
    url: str
    qr_url: str
    note: str
    state: Literal["usable", "revoked", "expired", "used_up"]
    created_at: datetime
    expires_at: datetime
    max_uses: int | None
    uses: int
    requires_approval: bool
    revoked_at: datetime | None


class InvitePublicOut(Schema):
    """What the holder of an invite link sees before joining."""

    state: Literal["usable", "revoked", "expired", "used_up"]
    requires_approval: bool
    community: CommunitySummaryOut
    house_rules: HouseRulesOut | None


class JoinIn(Schema):
    accept_rules_version: int = Field(..., description="The current version of the house rules, which you accept.")


class RemoveIn(Schema):
    reason: str = Field(..., max_length=2000)


class RejectIn(Schema):
    reason: str = Field("", max_length=2000)


class RoleIn(Schema):
    role: Literal["participant", "coordinator", "initiator", "facilitator"]


class LeaveIn(Schema):
    reason: str = Field("", max_length=2000)
