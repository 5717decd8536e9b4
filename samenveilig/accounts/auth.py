"""API authentication: Bearer tokens (`samenveilig token create`), or the browser session with its CSRF token."""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja.security import HttpBearer, SessionAuth

from samenveilig.accounts import selectors
from samenveilig.accounts.models import ApiToken
from samenveilig.core.errors import Forbidden

MFA_REQUIRED_MESSAGE = _("Set up two-factor authentication before you use this account.")


def mfa_required() -> Forbidden:
    """The error for partner staff and admins without two-factor authentication (403, code "mfa_required")."""
    return Forbidden(MFA_REQUIRED_MESSAGE, code="mfa_required")


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=ApiToken.hash_key(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if found is None:
            return None
        # The session middleware never saw this person: the two-factor rule is checked here for token calls.
        if selectors.user_needs_mfa(found.user) and not selectors.user_has_mfa(found.user):
            raise mfa_required()
        now = timezone.now()
        if found.last_used_at is None or (now - found.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)  # coarse, to keep reads cheap
        request.user = found.user
        return found.user


class BrowserSessionAuth(SessionAuth):
    """The signed-in browser session; ninja checks the CSRF token on unsafe methods."""


api_auth = [TokenAuth(), BrowserSessionAuth()]
