"""A person's devices that take push messages (Web Push subscriptions), and the server's VAPID key."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PushSubscription(models.Model):
    """One browser on one device that takes push messages for `person` (the browser's PushSubscription).

    The endpoint is the push service's address for that browser, unique: the same browser subscribing again (new
    keys, or another person signed in on it) updates the row, so a device never gets a message twice nor messages
    meant for the person who used it before. `p256dh` and `auth` are the browser's keys for the payload encryption
    (RFC 8291), base64url as the browser gives them."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="push_subscriptions",
    )
    endpoint = models.CharField(_("push service address"), max_length=1000, unique=True)
    p256dh = models.CharField(_("public key of the browser"), max_length=100)
    auth = models.CharField(_("authentication secret of the browser"), max_length=40)
    device = models.CharField(_("device"), max_length=100, blank=True)
    # The browser session it was made in (a hash of its key; empty through an API token): logging out there ends it,
    # so a shared device never shows the next person the messages of the one before (push.signals).
    session_hash = models.CharField(_("session"), max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_success_at = models.DateTimeField(_("last delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("push subscription")
        verbose_name_plural = _("push subscriptions")
        ordering = ["person", "-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.device or self.endpoint[:40]}"
