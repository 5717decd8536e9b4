"""Logging out ends the push messages of that browser session (services.push_end_session)."""

from typing import Any

from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver

from samenveilig.integrations.push import services


@receiver(user_logged_out)
def end_push_on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None and request is not None and getattr(request, "session", None) is not None:
        services.push_end_session(person=user, session_key=request.session.session_key)
