"""Writes about people: API tokens and the home address."""

import math
import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samenveilig.accounts.models import ApiToken, Residence, User
from samenveilig.areas import geo
from samenveilig.areas import selectors as area_selectors
from samenveilig.core.audit import audit_record
from samenveilig.core.errors import Invalid

# A Dutch postcode: four digits (the first not 0), two letters; spaces and case are forgiven on input.
_POSTCODE = re.compile(r"^\s*([1-9][0-9]{3})\s*([A-Za-z]{2})\s*$")


def postcode_normalise(value: str) -> str | None:
    """ "1234ab" or " 1234 AB " -> "1234 AB"; None when it is not a Dutch postcode."""
    match = _POSTCODE.match(value or "")
    return f"{match.group(1)} {match.group(2).upper()}" if match else None


@transaction.atomic
def token_create(*, user: User, name: str = "") -> tuple[ApiToken, str]:
    """A new Bearer token for `user`. Returns the stored token and the key in plain text: the only time it is seen
    (only its SHA-256 hash is kept)."""
    key = ApiToken.new_key()
    token = ApiToken.objects.create(
        user=user, name=name.strip()[:100], prefix=key[:12], key_hash=ApiToken.hash_key(key)
    )
    audit_record(actor=user, action="token.create", obj=token, prefix=token.prefix)
    return token, key


@transaction.atomic
def token_revoke(*, token: ApiToken) -> ApiToken:
    """Stop accepting the token. Revoking twice keeps the first moment."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
        audit_record(actor=token.user, action="token.revoke", obj=token, prefix=token.prefix)
    return token


@transaction.atomic
def residence_set(
    *, user: User, street: str, house_number: str, postcode: str, city: str, lat: float, lon: float
) -> Residence:
    """Store (or replace) the person's home: the address as given, the point with its H3 cells, and the buurt
    it lies in. A point outside every buurt is refused (code "residence.outside_area") and nothing is stored."""
    street, house_number, city = (street or "").strip(), (house_number or "").strip(), (city or "").strip()
    fields: dict[str, list[str]] = {}
    required = _("This field is required.")
    for name, value in (("street", street), ("house_number", house_number), ("city", city)):
        if not value:
            fields[name] = [required]
    if house_number and not re.match(r"^[1-9][0-9]{0,4}", house_number):
        fields["house_number"] = [_("A house number starts with a number, for example 12 or 12a.")]
    normalised = postcode_normalise(postcode)
    if normalised is None:
        fields["postcode"] = [_("Enter a Dutch postcode: four digits and two letters, for example 1234 AB.")]
    valid_point = isinstance(lat, int | float) and isinstance(lon, int | float) and geo.valid_latlon(lat, lon)
    if not valid_point or not (math.isfinite(lat) and math.isfinite(lon)):
        fields["lat"] = [_("Choose a point on the map, or enter a valid latitude and longitude.")]
    if fields:
        raise Invalid(_("The address is not complete or not valid."), code="residence.invalid", fields=fields)

    buurt = area_selectors.buurt_at(lat=float(lat), lon=float(lon))
    if buurt is None:
        message = _("This point does not lie in any neighbourhood known to Samen Veilig. Check the map point.")
        raise Invalid(message, code="residence.outside_area", fields={"lat": [message]})

    values = {
        "street": street[:200],
        "house_number": house_number[:16],
        "postcode": normalised,
        "city": city[:100],
        "buurt": buurt,
        **geo.point_fields(float(lat), float(lon)),
    }
    residence, created = Residence.objects.update_or_create(user=user, defaults=values)
    # The log says that the home changed, never where it is.
    audit_record(actor=user, action="residence.set" if created else "residence.change", obj=residence)
    return residence


@transaction.atomic
def residence_clear(*, user: User) -> bool:
    """Forget the person's home. Returns whether there was one."""
    residence = Residence.objects.filter(user=user).first()
    if residence is None:
        return False
    audit_record(actor=user, action="residence.clear", obj=residence)
    residence.delete()
    return True


@transaction.atomic
def demo_login_record(*, user: User) -> None:
    """Log a one-click demo sign-in (demo mode only): it skips the password and the two-factor step."""
    audit_record(actor=user, action="account.demo_login", obj=user)
