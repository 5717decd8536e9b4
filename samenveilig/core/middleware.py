from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

API_PREFIX = "/api/"


def _api_problem(response: HttpResponse) -> HttpResponse:
    """The problem+json answer for an error that Django itself produced under /api/ (an unknown path, a wrong
    method, a failed CSRF check, a crash), so that API clients see one error format only."""
    from samenveilig.core.api import problem_response

    status = response.status_code
    known = {
        400: ("bad_request", _("The request could not be processed.")),
        403: ("forbidden", _("You are not allowed to do this.")),
        404: ("not_found", _("This does not exist, or you have no access to it.")),
        405: ("method_not_allowed", _("This method is not allowed here.")),
    }
    code, detail = known.get(status, ("server_error" if status >= 500 else "http_error", _("Something went wrong.")))
    problem = problem_response(status, code, detail)
    for header, value in response.items():  # keep Allow, CSP, cookies… ; only the body and its type change
        if header.lower() not in {"content-type", "content-length"}:
            problem[header] = value
    for cookie in response.cookies.values():
        problem.cookies[cookie.key] = cookie
    return problem


class ResponseHeadersMiddleware:
    """Headers every dynamic answer carries, and one error format for the API.

    * `Cache-Control: no-store` unless a view chose otherwise: pages and API answers may hold personal data, and
      shared or back-button caches must never keep them (static files are served before this by WhiteNoise).
    * `API-Version` on every API answer (Dutch API Design Rules).
    * Under /api/, an error answer that is not problem+json yet (Django's 404 for an unknown path, 405, a CSRF
      failure) becomes one (RFC 9457).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        is_api = request.path.startswith(API_PREFIX)
        if is_api and response.status_code >= 400 and not _is_json(response):
            response = _api_problem(response)
        if "Cache-Control" not in response:
            response["Cache-Control"] = "no-store"
        if is_api:
            response["API-Version"] = settings.API_VERSION
        return response


def _is_json(response: HttpResponse) -> bool:
    content_type = response.get("Content-Type", "").split(";")[0].strip()
    return content_type in {"application/problem+json", "application/json"}
