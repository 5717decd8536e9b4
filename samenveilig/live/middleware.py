from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class LiveCspMiddleware:
    """A page that connects to the live channel on another origin (the port beside the site's) may do so: its CSP
    connect-src gets that one origin. Placed after csp.middleware.CSPMiddleware, so it runs before it on the way out."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        origin = getattr(request, "_live_origin", None)
        if origin:
            update = dict(getattr(response, "_csp_update", None) or {})
            update["connect-src"] = [*update.get("connect-src", []), origin]
            response._csp_update = update
        return response
