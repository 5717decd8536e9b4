"""API authentication: Bearer tokens (`samenveilig token create`), or the browser session with its CSRF token."""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from samenveilig.accounts.models import ApiToken


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=ApiToken.hash_key(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if found is None:
            return None
        now = timezone.now()
        if found.last_used_at is None or (now - found.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)  # coarse, to keep reads cheap
        request.user = found.user
        return found.user


class BrowserSessionAuth(SessionAuth):
    """The signed-in browser session; ninja checks the CSRF token on unsafe methods."""


api_auth = [TokenAuth(), BrowserSessionAuth()]
