"""Conduct in a community (handbook 3.3.2): first a friendly but firm request, then a warning, then removal; the
member sees every step that concerns them and can appeal once, to someone other than who took the step."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samenveilig.communities.models import Community, Membership

DEFAULT_WARNINGS_BEFORE_REMOVAL = 1


class ModerationSettings(models.Model):
    """A community's moderation choices; a community without a row has the defaults."""

    community = models.OneToOneField(
        Community, verbose_name=_("community"), on_delete=models.CASCADE, related_name="moderation_settings"
    )
    check_irrelevant = models.BooleanField(_("hold posts that are not about safety"), default=True)
    warnings_before_removal = models.PositiveSmallIntegerField(
        _("warnings before removal"), default=DEFAULT_WARNINGS_BEFORE_REMOVAL
    )

    class Meta:
        verbose_name = _("moderation settings")
        verbose_name_plural = _("moderation settings")

    def __str__(self) -> str:
        return str(self.community_id)


class StepKind(models.TextChoices):
    REQUEST = "request", _("friendly request")
    WARNING = "warning", _("warning")
    REMOVAL = "removal", _("removal")


class ConductStep(models.Model):
    membership = models.ForeignKey(
        Membership, verbose_name=_("member"), on_delete=models.CASCADE, related_name="conduct_steps"
    )
    kind = models.CharField(_("step"), max_length=16, choices=StepKind.choices)
    message = models.TextField(_("message to the member"))
    post_code = models.UUIDField(_("about post"), null=True, blank=True)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("taken by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("conduct step")
        verbose_name_plural = _("conduct steps")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} for {self.membership_id}"


class AppealOutcome(models.TextChoices):
    UPHELD = "upheld", _("the step stands")
    OVERTURNED = "overturned", _("the step is withdrawn")


class Appeal(models.Model):
    step = models.OneToOneField(ConductStep, verbose_name=_("step"), on_delete=models.CASCADE, related_name="appeal")
    text = models.TextField(_("appeal"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=AppealOutcome.choices, blank=True)
    decision = models.TextField(_("decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")

    def __str__(self) -> str:
        return f"appeal of {self.step_id}"
