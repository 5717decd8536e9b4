from django.http import HttpRequest
from ninja import Router

from samenveilig.accounts import selectors
from samenveilig.accounts.schemas import MeOut
from samenveilig.core.api import errors

router = Router(tags=["accounts"])


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
