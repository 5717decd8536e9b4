"""Where a signed-in page finds the live channel (`live_url` on <body sse-connect>), and the CSP that lets it."""

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest


def live_url(request: HttpRequest) -> str:
    """SAMENVEILIG_LIVE_URL as given (a path on the site's own origin, behind a proxy, or an absolute URL); else the
    page's own host on LIVE_PORT (what `serve` runs); "" when this installation has no live process."""
    if settings.LIVE_URL:
        return settings.LIVE_URL
    if not settings.LIVE_PORT:
        return ""
    host = urlsplit(f"//{request.get_host()}").hostname or "127.0.0.1"
    host = f"[{host}]" if ":" in host else host
    return f"{request.scheme}://{host}:{settings.LIVE_PORT}/live/"


def live(request: HttpRequest) -> dict[str, Any]:
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {"live_url": ""}
    url = live_url(request)
    parts = urlsplit(url)
    if parts.netloc:
        request._live_origin = f"{parts.scheme}://{parts.netloc}"  # for LiveCspMiddleware
    return {"live_url": url}
