from typing import Any

from allauth.mfa.models import Authenticator

from samenveilig.accounts.models import Organisation, StaffMembership, User


def user_is_partner_staff(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    cached = getattr(user, "_sv_is_partner_staff", None)
    if cached is None:
        cached = StaffMembership.objects.filter(user=user).exists()
        user._sv_is_partner_staff = cached
    return cached


def user_needs_mfa(user: Any) -> bool:
    """Partner staff and admins must use two-factor authentication (DESIGN.md §3 J)."""
    return bool(user.is_staff or user.is_superuser or user_is_partner_staff(user))


def user_has_mfa(user: Any) -> bool:
    cached = getattr(user, "_sv_has_mfa", None)
    if cached is None:
        cached = Authenticator.objects.filter(
            user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
        ).exists()
        user._sv_has_mfa = cached
    return cached


def organisations_of(user: Any) -> list[Organisation]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(Organisation.objects.filter(staff__user=user).distinct())


def user_by_handle(handle: str) -> User | None:
    """A user by username or e-mail address (case-insensitive e-mail)."""
    return User.objects.filter(username=handle).first() or User.objects.filter(email__iexact=handle).first()
