"""Partner organisations' webhook endpoints: where a partner's own system (a police or municipal case system, a
housing corporation's tenant system) gets the messages addressed to the organisation (docs/webhooks.md)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samenveilig.core import sealing
from samenveilig.core.models import TimeStamped


class WebhookEndpoint(TimeStamped):
    """The one endpoint of a partner organisation: every message for the organisation is POSTed there, signed with
    `secret` (HMAC-SHA256 over the timestamp and the body), while `active`. Set by a platform admin.

    The secret signs every message, so it cannot be stored as a hash: it is kept encrypted (`secret_sealed`, with
    SAMENVEILIG_WEBHOOK_KEY, which is not in the database) and shown to admins only, so the organisation can
    configure its receiver; rotating it replaces it at once."""

    organisation = models.OneToOneField(
        "accounts.Organisation",
        verbose_name=_("partner organisation"),
        on_delete=models.CASCADE,
        related_name="webhook",
    )
    url = models.CharField(_("address"), max_length=500)
    secret_sealed = models.CharField(_("signing secret (encrypted)"), max_length=255)
    secret_set_at = models.DateTimeField(_("secret set at"))
    active = models.BooleanField(_("switched on"), default=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.url}"

    @property
    def secret(self) -> str | None:
        """The signing secret, or None when the configured key cannot open it (the key was replaced without
        keeping the old one behind it: an admin makes a new secret)."""
        return sealing.unseal(self.secret_sealed, settings.WEBHOOK_KEY)

    @secret.setter
    def secret(self, value: str) -> None:
        self.secret_sealed = sealing.seal(value, settings.WEBHOOK_KEY)
