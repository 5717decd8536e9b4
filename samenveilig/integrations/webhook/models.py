"""Partner organisations' webhook endpoints: where a partner's own system (a police or municipal case system, a
housing corporation's tenant system) gets the messages addressed to the organisation (docs/webhooks.md)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samenveilig.core.models import TimeStamped


class WebhookEndpoint(TimeStamped):
    """The one endpoint of a partner organisation: every message for the organisation is POSTed there, signed with
    `secret` (HMAC-SHA256 over the timestamp and the body), while `active`. Set by a platform admin.

    The secret is kept as it is (it signs every message, so it cannot be stored as a hash) and shown to admins only,
    so the organisation can configure its receiver; rotating it replaces it at once."""

    organisation = models.OneToOneField(
        "accounts.Organisation",
        verbose_name=_("partner organisation"),
        on_delete=models.CASCADE,
        related_name="webhook",
    )
    url = models.CharField(_("address"), max_length=500)
    secret = models.CharField(_("signing secret"), max_length=128)
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
