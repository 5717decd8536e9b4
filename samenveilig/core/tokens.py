"""Random secrets that people copy into links and onto the command line."""

import secrets


def new_token(nbytes: int = 32) -> str:
    """A URL-safe random token that never starts with '-'.

    A token starting with '-' reads as an option on the command line (`community invite-revoke SLUG -x…` fails),
    and about one in 64 URL-safe tokens does: draw again, which keeps every other token as likely as before."""
    while True:
        token = secrets.token_urlsafe(nbytes)
        if not token.startswith("-"):
            return token
