"""Keyed pseudonyms of people: a stable stand-in for a person that cannot be turned back into them without the
reporter key (SAMENVEILIG_REPORTER_KEY). Reports use it for anonymous reporters; the inbox finds what was sent to
a pseudonym."""

import base64
import hashlib
import hmac
from typing import Any

from django.conf import settings


def pseudonym(user: Any) -> str:
    """The person's pseudonym (hex, 64 characters)."""
    secret = hashlib.sha256(
        b"samenveilig.reports.submitter:" + base64.urlsafe_b64decode(settings.REPORTER_KEY)
    ).digest()
    return hmac.new(secret, str(user.code).encode(), hashlib.sha256).hexdigest()
