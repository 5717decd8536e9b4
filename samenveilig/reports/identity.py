"""Who filed a report, kept apart from the report when it is anonymous.

Every report carries `submitter_key`, an HMAC of the person's public code: it makes retries idempotent per person
and lets reporters find their own anonymous reports, but cannot be turned back into a person without the key.
An anonymous report also keeps the person's code encrypted (Fernet) in `reporter_sealed`, which only an admin
opens for abuse handling (reports.services.report_reveal_reporter, logged).

The key comes from SAMENVEILIG_REPORTER_KEY (a Fernet key: 32 url-safe base64-encoded bytes), or is generated on
first run and kept in the data directory like the secret key.
"""

from typing import Any

from django.conf import settings

from samenveilig.accounts.pseudonyms import pseudonym
from samenveilig.core import sealing


def _key() -> str:
    return settings.REPORTER_KEY


def submitter_key(user: Any) -> str:
    """The keyed pseudonym of a person (accounts.pseudonyms), as stored on every report."""
    return pseudonym(user)


def seal(user: Any) -> str:
    return sealing.seal(str(user.code), _key())


def unseal(token: str) -> str | None:
    """The person's public code from a sealed token, or None if it cannot be opened with the current key."""
    return sealing.unseal(token, _key())
