"""The signed-in person's own data: /api/v1/me …"""

from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from samenveilig.accounts import access, selectors, services
from samenveilig.accounts.models import Residence
from samenveilig.accounts.schemas import (
    MembershipOut,
    MeOut,
    MyOrganisationOut,
    OrganisationDetailOut,
    ResidenceIn,
    ResidenceOut,
)
from samenveilig.core.api import errors
from samenveilig.core.errors import NotFound

router = Router(tags=["accounts"])


def _community_ref(community: Any) -> dict[str, Any]:
    return {"code": community.code, "slug": community.slug, "name": community.name}


def _residence_out(residence: Residence) -> dict[str, Any]:
    return {
        "street": residence.street,
        "house_number": residence.house_number,
        "postcode": residence.postcode,
        "city": residence.city,
        "lat": residence.lat,
        "lon": residence.lon,
        "buurt": {"code": residence.buurt.code, "name": residence.buurt.name} if residence.buurt else None,
    }


@router.get("", response={200: MeOut, **errors(401, 403)}, summary="The signed-in person")
def me(request: HttpRequest) -> dict:
    user = request.auth
    return {
        "code": user.code,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "organisations": selectors.organisations_of(user),
        "mfa_enabled": selectors.user_has_mfa(user),
    }


@router.get(
    "/organisations",
    response={200: list[MyOrganisationOut], **errors(401, 403)},
    summary="The partner organisations the signed-in person works for",
)
def my_organisations(request: HttpRequest) -> list[dict]:
    return [
        {
            "code": role.organisation.code,
            "name": role.organisation.name,
            "kind": role.organisation.kind,
            "title": role.title,
            "communities": [_community_ref(c) for c in role.organisation.partner_of],
        }
        for role in selectors.staff_roles_of(request.auth)
    ]


@router.get(
    "/organisations/{code}",
    response={200: OrganisationDetailOut, **errors(401, 403, 404)},
    summary="One of the signed-in person's organisations: its staff and the communities it is a partner of",
)
def my_organisation(request: HttpRequest, code: UUID) -> dict:
    organisation = access.access_organisation(request.auth, code)
    return {
        "code": organisation.code,
        "name": organisation.name,
        "kind": organisation.kind,
        "description": organisation.description,
        "staff": [
            {"first_name": s.user.first_name, "last_name": s.user.last_name, "title": s.title}
            for s in selectors.organisation_staff(organisation)
        ],
        "communities": [_community_ref(c) for c in selectors.organisation_communities(organisation)],
    }


@router.get(
    "/memberships",
    response={200: list[MembershipOut], **errors(401, 403)},
    summary="The signed-in person's memberships of communities, with role and status",
)
def my_memberships(request: HttpRequest) -> list[dict]:
    return [
        {"community": _community_ref(m.community), "role": m.role, "status": m.status, "joined_at": m.created_at}
        for m in selectors.memberships_of(request.auth)
    ]


@router.get(
    "/residence",
    response={200: ResidenceOut, **errors(401, 403, 404)},
    summary="The signed-in person's home address",
)
def my_residence(request: HttpRequest) -> dict:
    residence = selectors.residence_of(request.auth)
    if residence is None:
        raise NotFound(_("You have not entered a home address."), code="residence.not_set")
    return _residence_out(residence)


@router.put(
    "/residence",
    response={200: ResidenceOut, **errors(401, 403, 422)},
    summary="Set or change the signed-in person's home address",
    description='A point outside every neighbourhood is refused with code "residence.outside_area".',
)
def my_residence_set(request: HttpRequest, payload: ResidenceIn) -> dict:
    residence = services.residence_set(user=request.auth, **payload.dict())
    return _residence_out(residence)


@router.delete(
    "/residence",
    response={204: None, **errors(401, 403)},
    summary="Forget the signed-in person's home address",
)
def my_residence_clear(request: HttpRequest) -> Status:
    services.residence_clear(user=request.auth)
    return Status(204, None)
