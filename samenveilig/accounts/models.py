"""People, partner organisations and their staff, homes, and API tokens."""

import hashlib
import secrets
import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from samenveilig.areas.models import Area, GeoPoint
from samenveilig.core.models import TimeStamped
from samenveilig.core.permissions import OrganisationKind


class User(AbstractUser):
    """A person. Logs in by e-mail (a one-time code or a password); `username` is an internal handle."""

    code = models.UUIDField(_("public code"), default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("e-mail address"), unique=True)
    phone = models.CharField(_("phone number"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.get_full_name() or self.email or self.username

    @property
    def display_name(self) -> str:
        """What other members see: the first name only (need to know)."""
        return self.first_name or _("Member")


class Organisation(TimeStamped):
    """A partner in the golden triangle: municipality, police, fire brigade, GHOR, or a local organisation."""

    code = models.UUIDField(_("public code"), default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=OrganisationKind.choices)
    description = models.CharField(_("description"), max_length=300, blank=True)
    # Where the organisation works: a police basisteam's wijken, a corporation's buurten. Used for routing.
    areas = models.ManyToManyField(Area, verbose_name=_("working area"), blank=True, related_name="organisations")

    class Meta:
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class StaffMembership(TimeStamped):
    """A person works for a partner organisation (a wijkagent for the police, an OOV officer for the municipality)."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="staff"
    )
    user = models.ForeignKey(User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="staff_roles")
    title = models.CharField(_("job title"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("staff membership")
        verbose_name_plural = _("staff memberships")
        constraints = [models.UniqueConstraint(fields=["organisation", "user"], name="staff_unique")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation}"


class Residence(GeoPoint, TimeStamped):
    """A person's home: personal data, readable only by the person and, logged, by those who need it."""

    user = models.OneToOneField(User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="residence")
    street = models.CharField(_("street"), max_length=200, blank=True)
    house_number = models.CharField(_("house number"), max_length=16, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7, blank=True)
    city = models.CharField(_("place"), max_length=100, blank=True)
    buurt = models.ForeignKey(
        Area,
        verbose_name=_("neighbourhood"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("home")
        verbose_name_plural = _("homes")
        indexes = [
            # Covering indexes: a radius search reads cell, lat, lon (and the person, for an alert's fan-out) from
            # the index alone (perf-limits §6).
            models.Index(fields=["h3_r9", "lat", "lon", "user"], name="residence_r9_user"),
            models.Index(fields=["h3_r7", "lat", "lon", "user"], name="residence_r7_user"),
        ]

    def __str__(self) -> str:
        return f"{self.street} {self.house_number}, {self.city}".strip(" ,")


class ApiToken(TimeStamped):
    """A Bearer token for the API. Only a SHA-256 hash is stored; the token is shown once, at creation."""

    user = models.ForeignKey(User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, blank=True)
    prefix = models.CharField(_("prefix"), max_length=12, db_index=True)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def new_key() -> str:
        return "sv_" + secrets.token_urlsafe(32)
