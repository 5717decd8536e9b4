"""`samenveilig token create|list|revoke`: API tokens from the command line."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from samenveilig.accounts import selectors, services
from samenveilig.accounts.models import ApiToken, User


class Command(BaseCommand):
    help = "Create, list or revoke API tokens. `create` prints only the new token, so scripts can capture it."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{create,list,revoke}")
        create = sub.add_parser("create", help="create a token for a person and print it (shown only once)")
        create.add_argument("username", help="the person's username or e-mail address")
        create.add_argument("--name", default="", help="what the token is for, e.g. 'monitoring'")
        listing = sub.add_parser("list", help="list a person's tokens (prefix, name, created, last used, status)")
        listing.add_argument("username", help="the person's username or e-mail address")
        revoke = sub.add_parser("revoke", help="revoke a token by its prefix (as `list` shows it) or the whole token")
        revoke.add_argument("prefix")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "create":
            token, key = services.token_create(user=self._user(options["username"]), name=options["name"])
            self.stdout.write(key)
        elif action == "list":
            self._list(self._user(options["username"]))
        elif action == "revoke":
            token = self._token(options["prefix"])
            already = token.revoked_at is not None
            services.token_revoke(token=token)
            message = _("Token %(prefix)s was already revoked.") if already else _("Token %(prefix)s revoked.")
            self.stderr.write(message % {"prefix": token.prefix})

    def _user(self, handle: str) -> User:
        user = selectors.user_by_handle(handle)
        if user is None:
            message = _("No person with username or e-mail address %(handle)r.") % {"handle": handle}
            raise CommandError(f"{message} [token.unknown_user]")
        return user

    def _token(self, given: str) -> ApiToken:
        given = given.strip()
        if len(given) > 12:
            found = list(ApiToken.objects.filter(key_hash=ApiToken.hash_key(given)))
            if not found:
                found = list(ApiToken.objects.filter(prefix=given[:12]))
        else:
            found = list(ApiToken.objects.filter(prefix=given)) if given else []
        if not found:
            message = _("No token with prefix %(prefix)r.") % {"prefix": given}
            raise CommandError(f"{message} [token.unknown]")
        if len(found) > 1:
            message = _("%(count)d tokens start with %(prefix)r; give the whole token.") % {
                "count": len(found),
                "prefix": given,
            }
            raise CommandError(f"{message} [token.ambiguous]")
        return found[0]

    def _list(self, user: User) -> None:
        tokens = list(selectors.tokens_of(user))
        if not tokens:
            self.stderr.write(_("%(user)s has no API tokens.") % {"user": user.email})
            return
        for token in tokens:
            status = (
                _("revoked %(when)s") % {"when": token.revoked_at.isoformat(timespec="seconds")}
                if token.revoked_at
                else _("active")
            )
            last_used = token.last_used_at.isoformat(timespec="seconds") if token.last_used_at else "-"
            self.stdout.write(
                "\t".join(
                    [token.prefix, token.name or "-", token.created_at.isoformat(timespec="seconds"), last_used, status]
                )
            )
