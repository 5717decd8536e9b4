"""Small helpers for the accounts tests."""

import re
import time

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.core import mail

from samenveilig.accounts.models import User

_CODE_LINE = re.compile(r"^\s*([A-Z0-9][A-Z0-9-]{3,11})\s*$", re.MULTILINE)


def code_from_last_mail(to: str) -> str:
    """The one-time code in the last e-mail sent to `to` (allauth puts it on a line of its own)."""
    messages = [m for m in mail.outbox if to in m.to]
    assert messages, f"no mail to {to}"
    found = _CODE_LINE.findall(messages[-1].body)
    assert found, messages[-1].body
    return found[0]


def totp_code(user: User) -> str:
    """The current code of the person's authenticator app, computed from the stored secret like the app would."""
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    secret = decrypt(authenticator.data["secret"])
    return format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))


def problem(response) -> dict:
    assert response["Content-Type"].startswith("application/problem+json"), response["Content-Type"]
    return response.json()


def verified(user: User) -> User:
    """Give the person a verified primary e-mail address in allauth, as a sign-up would."""
    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    return user


def password_login(client, user: User, password: str = "correct-horse-battery"):  # noqa: S107
    """Sign in through allauth's login form (so allauth records how), returning the response."""
    from django.urls import reverse

    return client.post(reverse("account_login"), {"login": user.email, "password": password})
