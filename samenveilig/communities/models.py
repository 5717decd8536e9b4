"""Communities voor veiligheid: their area, phase, members with roles, house rules, invites and partners."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samenveilig.accounts.models import Organisation
from samenveilig.areas.models import Area
from samenveilig.core.models import TimeStamped
from samenveilig.core.permissions import Role


class CommunityKind(models.TextChoices):
    WHATSAPP = "whatsapp", _("WhatsApp neighbourhood watch")
    STREET = "street", _("street")
    WIJK = "wijk", _("district")
    BUSINESS_PARK = "business_park", _("business park")
    STUDENT_COMPLEX = "student_complex", _("student complex")
    SHOPPING_AREA = "shopping_area", _("shopping area")
    ONLINE_WATCH = "online_watch", _("online / chat watch")


class Phase(models.IntegerChoices):
    """The four phases of the method; a community moves forward one at a time, back at will (logged)."""

    RELATIONSHIPS = 1, _("1. Relationships (samenwerkingsrelaties)")
    STRUCTURE = 2, _("2. Structure and roles (samenwerkingsstructuur)")
    EXECUTION = 3, _("3. Joint action (uitvoering)")
    CYCLE = 4, _("4. Improvement cycle (cyclus)")


# What each phase means, after the handbook "Communities voor veiligheid", chapter 3.
PHASE_MEANINGS = {
    Phase.RELATIONSHIPS: _(
        "Building relationships: residents, entrepreneurs and partners get to know and trust each other, apart from "
        "their function. The foundation of everything that follows: start with a warm relationship."
    ),
    Phase.STRUCTURE: _(
        "Building the structure: the complementary roles are filled in (participating residents, coordinators, "
        "initiators, municipality, police and fire brigade, organisations), equal but not the same, and the house "
        "rules are agreed."
    ),
    Phase.EXECUTION: _(
        "Joint action: residents, police and municipality work together, each in their own role. Coordinators keep "
        "the community together: strict on negative input, flexible on positive input."
    ),
    Phase.CYCLE: _(
        "Improving in cycles: the community evaluates its results with the partners and improves step by step; the "
        "investment in relationships starts to pay off."
    ),
}


class Community(TimeStamped):
    code = models.UUIDField(_("public code"), default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("type"), max_length=24, choices=CommunityKind.choices)
    description = models.TextField(_("description"), blank=True)
    municipality = models.ForeignKey(
        Area, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="municipal_communities"
    )
    buurten = models.ManyToManyField(Area, verbose_name=_("neighbourhoods"), blank=True, related_name="communities")
    # The community's own area: the union of its buurten, or a polygon drawn on the map (GeoJSON, WGS84).
    geometry = models.JSONField(_("area"))
    centroid_lat = models.FloatField(_("centroid latitude"))
    centroid_lon = models.FloatField(_("centroid longitude"))
    phase = models.PositiveSmallIntegerField(_("phase"), choices=Phase.choices, default=Phase.RELATIONSHIPS)
    approval_required = models.BooleanField(_("coordinator approves new members"), default=True)
    partners = models.ManyToManyField(
        Organisation,
        verbose_name=_("partners"),
        through="Partnership",
        related_name="communities",
        blank=True,
    )

    class Meta:
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CommunityCell(models.Model):
    """The H3 cover of a community's area (see areas.AreaCell): "which communities cover this point"."""

    community = models.ForeignKey(
        Community, verbose_name=_("community"), on_delete=models.CASCADE, related_name="cells"
    )
    cell = models.BigIntegerField(_("H3 cell"))
    interior = models.BooleanField(_("wholly inside"), default=False)

    class Meta:
        verbose_name = _("community cell")
        verbose_name_plural = _("community cells")
        constraints = [models.UniqueConstraint(fields=["community", "cell"], name="communitycell_unique")]
        indexes = [models.Index(fields=["cell", "community", "interior"], name="communitycell_lookup")]

    def __str__(self) -> str:
        return f"{self.community_id}:{self.cell:x}"


class Partnership(TimeStamped):
    """A partner organisation is involved in a community: its staff see what concerns it."""

    community = models.ForeignKey(Community, verbose_name=_("community"), on_delete=models.CASCADE)
    organisation = models.ForeignKey(Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE)

    class Meta:
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        constraints = [models.UniqueConstraint(fields=["community", "organisation"], name="partnership_unique")]


class HouseRules(models.Model):
    """One version of a community's house rules (spelregels). Versions are never edited, only superseded."""

    community = models.ForeignKey(
        Community, verbose_name=_("community"), on_delete=models.CASCADE, related_name="rule_versions"
    )
    version = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("house rules"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("house rules")
        verbose_name_plural = _("house rules")
        ordering = ["community", "-version"]
        constraints = [models.UniqueConstraint(fields=["community", "version"], name="houserules_unique_version")]

    def __str__(self) -> str:
        return f"{self.community} v{self.version}"


class MembershipStatus(models.TextChoices):
    PENDING = "pending", _("waiting for approval")
    ACTIVE = "active", _("active")
    REMOVED = "removed", _("removed")
    LEFT = "left", _("left")
    REJECTED = "rejected", _("not admitted")


class Membership(TimeStamped):
    """A person in a community, with one role. A person may hold different roles in different communities."""

    code = models.UUIDField(_("public code"), default=uuid.uuid4, unique=True, editable=False)
    community = models.ForeignKey(
        Community, verbose_name=_("community"), on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.PARTICIPANT)
    status = models.CharField(
        _("status"), max_length=16, choices=MembershipStatus.choices, default=MembershipStatus.PENDING
    )
    rules_version_accepted = models.PositiveIntegerField(_("house rules version accepted"), default=0)
    rules_accepted_at = models.DateTimeField(_("house rules accepted at"), null=True, blank=True)
    invite = models.ForeignKey(
        "Invite", verbose_name=_("invite"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    end_reason = models.TextField(_("reason"), blank=True)
    # Alerts (oproepen) for the community's whole area, not only those around the member's home.
    alerts_whole_area = models.BooleanField(_("alerts for the whole area"), default=False)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["community", "user"], name="membership_unique")]
        indexes = [
            models.Index(fields=["user", "status"]),
            models.Index(fields=["community", "status", "role"]),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.community} ({self.role})"


class Invite(TimeStamped):
    """A join link (and its QR code) that a coordinator hands out."""

    code = models.UUIDField(_("public code"), default=uuid.uuid4, unique=True, editable=False)
    community = models.ForeignKey(
        Community, verbose_name=_("community"), on_delete=models.CASCADE, related_name="invites"
    )
    token = models.CharField(_("token"), max_length=43, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=200, blank=True, help_text=_("For whom or where it is used."))
    expires_at = models.DateTimeField(_("expires at"))
    max_uses = models.PositiveIntegerField(_("maximum uses"), null=True, blank=True)
    uses = models.PositiveIntegerField(_("times used"), default=0)
    requires_approval = models.BooleanField(_("coordinator approves who joins"), default=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invite")
        verbose_name_plural = _("invites")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.community}: {self.token[:6]}…"


class PhaseChange(models.Model):
    """Append-only history of a community's phase."""

    community = models.ForeignKey(
        Community, verbose_name=_("community"), on_delete=models.CASCADE, related_name="phase_changes"
    )
    from_phase = models.PositiveSmallIntegerField(_("from phase"), choices=Phase.choices)
    to_phase = models.PositiveSmallIntegerField(_("to phase"), choices=Phase.choices)
    reason = models.TextField(_("reason"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("phase change")
        verbose_name_plural = _("phase changes")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.community_id}: {self.from_phase} -> {self.to_phase}"
