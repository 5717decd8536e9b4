from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from samenveilig.accounts import selectors
from samenveilig.accounts.auth import MFA_REQUIRED_MESSAGE

# Paths a partner without two-factor authentication may still reach: allauth's pages (logging in and out, setting
# up two-factor authentication), static files, the language switch. Our own pages under /accounts/ (the profile,
# an organisation's staff) hold personal data and stay guarded: see _is_open.
_OPEN_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/health", "/favicon")


def _is_open(request: HttpRequest, view_func: Callable[..., Any]) -> bool:
    if getattr(view_func, "mfa_exempt", False):
        return True
    match = getattr(request, "resolver_match", None)
    if match is not None and match.app_name == "accounts":
        return False
    return request.path.startswith(_OPEN_PREFIXES)


def mfa_exempt(view_func: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a view that a partner without two-factor authentication may use (it shows no personal data)."""
    view_func.mfa_exempt = True  # type: ignore[attr-defined]
    return view_func


class RequireMfaMiddleware:
    """Partner staff and admins must set up two-factor authentication before they see any page with personal data.

    Web pages redirect to the TOTP set-up; API calls answer 403 problem+json `mfa_required`. Checked when the view
    is known (process_view), so the accounts app's own pages are guarded while allauth's are open. API calls with
    a Bearer token are checked in accounts.auth.TokenAuth (this middleware sees no user for them).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if (
            user is None
            or not user.is_authenticated
            or _is_open(request, view_func)
            or not selectors.user_needs_mfa(user)
            or selectors.user_has_mfa(user)
        ):
            return None
        if request.path.startswith("/api/"):
            from samenveilig.core.api import problem_response

            return problem_response(403, "mfa_required", str(MFA_REQUIRED_MESSAGE))
        return redirect("mfa_activate_totp")
