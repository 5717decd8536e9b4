from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class ResponseHeadersMiddleware:
    """Headers every dynamic answer carries.

    * `Cache-Control: no-store` unless a view chose otherwise: pages and API answers may hold personal data, and
      shared or back-button caches must never keep them (static files are served before this by WhiteNoise).
    * `API-Version` on every API answer (Dutch API Design Rules).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Cache-Control" not in response:
            response["Cache-Control"] = "no-store"
        if request.path.startswith("/api/"):
            response["API-Version"] = settings.API_VERSION
        return response
