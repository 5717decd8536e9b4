"""Reads about people: their two-factor status, organisations, memberships and home. Always scoped to the viewer."""

from typing import Any

from allauth.mfa.models import Authenticator
from django.db.models import Prefetch, QuerySet

from samenveilig.accounts.models import ApiToken, Organisation, Residence, StaffMembership, User


def user_is_partner_staff(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    cached = getattr(user, "_sv_is_partner_staff", None)
    if cached is None:
        cached = StaffMembership.objects.filter(user=user).exists()
        user._sv_is_partner_staff = cached
    return cached


def user_needs_mfa(user: Any) -> bool:
    """Partner staff and admins must use two-factor authentication (DESIGN.md §3 J); residents never need it."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_staff or user.is_superuser or user_is_partner_staff(user))


def user_has_mfa(user: Any) -> bool:
    """True when the person has an authenticator app (TOTP) or a security key (WebAuthn); recovery codes alone
    do not count."""
    if not getattr(user, "is_authenticated", False):
        return False
    cached = getattr(user, "_sv_has_mfa", None)
    if cached is None:
        cached = Authenticator.objects.filter(
            user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
        ).exists()
        user._sv_has_mfa = cached
    return cached


def mfa_status(user: User) -> dict[str, Any]:
    """What the profile page shows about two-factor authentication."""
    types = set(Authenticator.objects.filter(user=user).values_list("type", flat=True))
    return {
        "required": user_needs_mfa(user),
        "totp": Authenticator.Type.TOTP in types,
        "webauthn": Authenticator.Type.WEBAUTHN in types,
        "recovery_codes": Authenticator.Type.RECOVERY_CODES in types,
        "enabled": bool({Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN} & types),
    }


def organisations_of(user: Any) -> list[Organisation]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(Organisation.objects.filter(staff__user=user).distinct())


def staff_roles_of(user: User) -> QuerySet[StaffMembership]:
    """The person's own jobs at partner organisations, with the communities each organisation is a partner of."""
    from samenveilig.communities.models import Community

    return (
        StaffMembership.objects.filter(user=user)
        .select_related("organisation")
        .prefetch_related(
            Prefetch("organisation__communities", queryset=Community.objects.order_by("name"), to_attr="partner_of")
        )
        .order_by("organisation__name")
    )


def organisation_staff(organisation: Organisation) -> QuerySet[StaffMembership]:
    """The staff of an organisation; only for a viewer who passed accounts.access.access_organisation."""
    return (
        StaffMembership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "user__pk")
    )


def organisation_communities(organisation: Organisation) -> QuerySet[Any]:
    """The communities the organisation is a partner of (communities.Partnership)."""
    from samenveilig.communities.models import Community

    return Community.objects.filter(partnership__organisation=organisation).order_by("name")


def memberships_of(user: User) -> QuerySet[Any]:
    """The person's own memberships of communities, every status, newest community name first in the alphabet."""
    from samenveilig.communities.models import Membership

    return Membership.objects.filter(user=user).select_related("community").order_by("community__name")


def residence_of(user: User) -> Residence | None:
    """The person's own home, or None. Only for the person themself (others read it through logged services)."""
    return Residence.objects.select_related("buurt").filter(user=user).first()


def tokens_of(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


def user_by_handle(handle: str) -> User | None:
    """A user by username or e-mail address (case-insensitive e-mail)."""
    return User.objects.filter(username=handle).first() or User.objects.filter(email__iexact=handle).first()


def demo_accounts() -> list[tuple[User, str]]:
    """The demo's known logins that exist in this database, in the demo builder's order, with their role label.

    Empty unless the installation runs in demo mode (settings.DEMO_MODE)."""
    from django.conf import settings

    from samenveilig.demo import accounts as demo

    if not settings.DEMO_MODE:
        return []
    listed = list(demo.DEMO_ACCOUNTS)
    users = {u.email.lower(): u for u in User.objects.filter(email__in=[e for e, _ in listed], is_active=True)}
    return [(users[email.lower()], label) for email, label in listed if email.lower() in users]


def demo_user(email: str) -> User | None:
    """The demo person with this e-mail address, or None (not demo mode, not a demo login, or not in the database)."""
    wanted = (email or "").strip().lower()
    return next((user for user, _label in demo_accounts() if user.email.lower() == wanted), None)
