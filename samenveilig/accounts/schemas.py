from datetime import datetime
from uuid import UUID

from ninja import Field, Schema


class OrganisationOut(Schema):
    code: UUID
    name: str
    kind: str


class MeOut(Schema):
    code: UUID
    email: str
    first_name: str
    last_name: str
    organisations: list[OrganisationOut]
    mfa_enabled: bool


class CommunityRefOut(Schema):
    code: UUID
    slug: str
    name: str


class MyOrganisationOut(Schema):
    """An organisation the person works for, with their job title and the communities it is a partner of."""

    code: UUID
    name: str
    kind: str
    title: str
    communities: list[CommunityRefOut]


class StaffOut(Schema):
    first_name: str
    last_name: str
    title: str


class OrganisationDetailOut(Schema):
    code: UUID
    name: str
    kind: str
    description: str
    staff: list[StaffOut]
    communities: list[CommunityRefOut]


class MembershipOut(Schema):
    community: CommunityRefOut
    role: str
    status: str
    joined_at: datetime


class ResidenceIn(Schema):
    street: str = Field(..., max_length=200)
    house_number: str = Field(..., max_length=16)
    postcode: str = Field(..., max_length=10, description="Dutch postcode, e.g. 1234 AB (normalised on save).")
    city: str = Field(..., max_length=100)
    lat: float = Field(..., ge=-90, le=90, description="WGS84 latitude.")
    lon: float = Field(..., ge=-180, le=180, description="WGS84 longitude.")


class BuurtRefOut(Schema):
    code: str
    name: str


class ResidenceOut(Schema):
    street: str
    house_number: str
    postcode: str
    city: str
    lat: float
    lon: float
    buurt: BuurtRefOut | None
