from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from samenveilig.accounts import selectors

# Paths a partner without two-factor authentication may still reach: setting it up, logging out, the basics.
_OPEN_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/health", "/favicon")


class RequireMfaMiddleware:
    """Partner staff and admins must set up two-factor authentication before they see any page with personal data.

    Web pages redirect to the TOTP set-up; API calls answer 403 problem+json `mfa_required`.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(_OPEN_PREFIXES)
            and selectors.user_needs_mfa(user)
            and not selectors.user_has_mfa(user)
        ):
            if request.path.startswith("/api/"):
                from django.utils.translation import gettext as _

                from samenveilig.core.api import problem_response

                return problem_response(
                    403, "mfa_required", _("Set up two-factor authentication before you use this account.")
                )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
