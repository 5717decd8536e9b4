"""Domain errors: a stable code, a translated message, optional per-field messages.

Services raise these; the web views render the message in a form, and the API turns them into RFC 9457
problem+json answers (samenveilig.core.api). Messages are gettext literals so each reader sees their own language.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    status: int = 400
    default_code: str = "invalid"
    default_message: Any = _("The request could not be processed.")

    def __init__(self, message: Any = None, *, code: str | None = None, fields: dict[str, Any] | None = None):
        self.message = message if message is not None else self.default_message
        self.code = code or self.default_code
        self.fields = fields or {}
        super().__init__(str(self.message))


class Invalid(DomainError):
    """Input that breaks a rule; nothing was changed."""

    status = 422
    default_code = "invalid"
    default_message = _("The input is not valid.")


class NotFound(DomainError):
    """Missing, or not visible to this person: the two look the same so existence never leaks."""

    status = 404
    default_code = "not_found"
    default_message = _("This does not exist, or you have no access to it.")


class Forbidden(DomainError):
    """The person can see the object but may not do this with it."""

    status = 403
    default_code = "forbidden"
    default_message = _("You are not allowed to do this.")


class Conflict(DomainError):
    """The action clashes with the current state (a duplicate, an invite already used)."""

    status = 409
    default_code = "conflict"
    default_message = _("This clashes with the current state.")


class TooMany(DomainError):
    """A limit per period is reached (a coordinator's alerts per day); nothing was changed."""

    status = 429
    default_code = "rate_limited"
    default_message = _("You have reached the limit for now. Try again later.")


def messages_from_validation_error(error: Any) -> dict[str, list[str]]:
    """Flatten a Django ValidationError into {field: [messages]} (non-field errors under "__all__")."""
    if hasattr(error, "message_dict"):
        return {field: [str(m) for m in msgs] for field, msgs in error.message_dict.items()}
    return {"__all__": [str(m) for m in getattr(error, "messages", [error])]}
