"""Alerts (oproepen, DESIGN.md §3 C): the police, or a coordinator within limits, ask the people in a radius, in some
buurten or in a community for help; the recipients answer; the sender closes the loop with the outcome.

Who received an alert is not a table of its own: every recipient has exactly one in-app notification of kind
"alert.sent" about it (one statement writes them all, notifications.audiences), and that row is also the proof
that a person may answer. The home points used to find them stay in accounts.Residence and are never shown.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samenveilig.core.models import TimeStamped


class AlertKind(models.TextChoices):
    SUSPECT = "suspect", _("suspect description")
    VEHICLE = "vehicle", _("vehicle")
    MISSING = "missing", _("missing person")
    WARNING = "warning", _("warning")
    WITNESS = "witness", _("witness call")


# Coordinators may send these two only (issue 7: within limits); the police send every kind.
COORDINATOR_KINDS = (AlertKind.WARNING, AlertKind.WITNESS)
# Kinds that are urgent unless the sender says otherwise: they go out at once, also in quiet hours.
URGENT_KINDS = (AlertKind.SUSPECT, AlertKind.VEHICLE, AlertKind.MISSING)


class SentAs(models.TextChoices):
    POLICE = "police", _("police")
    COORDINATOR = "coordinator", _("coordinator")


class TargetKind(models.TextChoices):
    RADIUS = "radius", _("a radius around a point")
    BUURTEN = "buurten", _("one or more buurten")
    COMMUNITY = "community", _("a community")


class AlertOutcome(models.TextChoices):
    FOUND = "found", _("found")
    ARRESTED = "arrested", _("arrested")
    NO_RESULT = "no_result", _("ended without result")
    CANCELLED = "cancelled", _("cancelled")
    EXPIRED = "expired", _("expired")


class Alert(TimeStamped):
    code = models.UUIDField(_("public code"), default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=16, choices=AlertKind.choices)
    title = models.CharField(_("title"), max_length=120)
    text = models.TextField(_("description"))
    persons = models.JSONField(_("persons"), default=list, blank=True)  # cleaned as in reports.descriptions
    vehicles = models.JSONField(_("vehicles"), default=list, blank=True)
    urgent = models.BooleanField(_("urgent"), default=True)
    called_112 = models.BooleanField(_("112 was called"), null=True, blank=True)
    flags = models.JSONField(_("flags"), default=list, blank=True)  # moderation flags the text was sent with
    photo = models.OneToOneField(
        "AlertPhoto", verbose_name=_("photo"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("sender"), on_delete=models.PROTECT, related_name="alerts_sent"
    )
    sent_as = models.CharField(_("sent as"), max_length=16, choices=SentAs.choices)
    # The police organisation that sent it (its staff see the answers), or None for a coordinator's alert.
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="alerts",
    )
    # The coordinator's community (its coordinators see the answers), or the community a police alert targets.
    community = models.ForeignKey(
        "communities.Community",
        verbose_name=_("community"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="alerts",
    )

    target_kind = models.CharField(_("target"), max_length=16, choices=TargetKind.choices)
    lat = models.FloatField(_("latitude"))  # the centre (a radius) or a point inside the target (the map)
    lon = models.FloatField(_("longitude"))
    radius_m = models.PositiveIntegerField(_("radius (m)"), null=True, blank=True)
    buurten = models.ManyToManyField("areas.Area", verbose_name=_("buurten"), blank=True, related_name="+")

    valid_until = models.DateTimeField(_("valid until"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=AlertOutcome.choices, blank=True)
    outcome_text = models.CharField(_("outcome text"), max_length=500, blank=True)
    # The fan-out that writes one notification per recipient; its `written` is how many were reached.
    fanout = models.ForeignKey(
        "notifications.Fanout",
        verbose_name=_("fan-out"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    idempotency_key = models.UUIDField(_("idempotency key"))
    request_hash = models.CharField(_("request hash"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["sender", "idempotency_key"], name="alert_idempotent"),
        ]
        indexes = [
            models.Index(fields=["valid_until"], name="alert_open", condition=models.Q(closed_at__isnull=True)),
            models.Index(fields=["sender", "community", "created_at"], name="alert_rate"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class AlertPhoto(models.Model):
    """The optional photo of an alert or of an answer, stripped of metadata (core.photos)."""

    code = models.UUIDField(_("public code"), default=uuid.uuid4, unique=True, editable=False)
    file = models.FileField(_("file"), upload_to="alerts/%Y/%m/")
    content_type = models.CharField(_("content type"), max_length=32)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("alert photo")
        verbose_name_plural = _("alert photos")

    def __str__(self) -> str:
        return str(self.code)


class ResponseKind(models.TextChoices):
    SEEN = "seen", _("seen")
    NOT_SEEN = "not_seen", _("not seen")
    INFO = "info", _("information")


class AlertResponse(models.Model):
    """One answer of a recipient (they may answer more than once). Visible to the sender's side only. The location
    is cleared a set time after the alert closed, the whole answer later (alerts.services.responses_purge)."""

    code = models.UUIDField(_("public code"), default=uuid.uuid4, unique=True, editable=False)
    alert = models.ForeignKey(Alert, verbose_name=_("alert"), on_delete=models.CASCADE, related_name="responses")
    responder = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("responder"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("answer"), max_length=16, choices=ResponseKind.choices)
    text = models.CharField(_("text"), max_length=1000, blank=True)
    flags = models.JSONField(_("flags"), default=list, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    photo = models.OneToOneField(
        AlertPhoto, verbose_name=_("photo"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    idempotency_key = models.UUIDField(_("idempotency key"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["responder", "idempotency_key"],
                name="alertresponse_idempotent",
                condition=models.Q(idempotency_key__isnull=False),
            ),
        ]
        indexes = [models.Index(fields=["alert", "created_at"], name="alertresponse_alert")]

    def __str__(self) -> str:
        return f"{self.alert_id} {self.kind}"


class AlertUpdate(models.Model):
    """A message from the sender to every recipient while the alert runs."""

    alert = models.ForeignKey(Alert, verbose_name=_("alert"), on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.CharField(_("text"), max_length=1000)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("alert update")
        verbose_name_plural = _("alert updates")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.alert_id}: {self.text[:40]}"
