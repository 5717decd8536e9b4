from uuid import UUID

from ninja import Schema


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
