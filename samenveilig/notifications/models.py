"""The in-app inbox: one notification per recipient, and its deliveries on the other channels (docs/delivery.md).

A notification stores its kind and the facts it needs (`data`), not a finished sentence: its text is written when
it is shown (notifications.kinds), so each reader sees their own language.

A notification for an audience (the members of a community, the staff of organisations) is first one `Fanout` row,
written in the transaction of the change; the worker turns pending fan-outs into one notification per recipient,
many at once (notifications.services.fan_out_pending). A report routed to hundreds therefore costs its transaction
one row, and the inbox index is written once per batch rather than once per report.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Urgency(models.TextChoices):
    URGENT = "urgent", _("urgent: at once, also in quiet hours")
    NORMAL = "normal", _("normal: at once, held in quiet hours")
    DIGEST = "digest", _("digest: bundled weekly or monthly")


class Notification(models.Model):
    """For a person (`recipient`), or for the anonymous reporter behind a pseudonym (`recipient_key`, see
    reports.identity): the inbox shows both, and nothing stored links that person to the report in plain."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
        db_index=False,  # notification_inbox starts with the recipient
    )
    recipient_key = models.CharField(_("recipient pseudonym"), max_length=64, blank=True)
    # For a partner organisation's own system (its webhook): not in anybody's inbox, only delivered on that channel.
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("partner organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # notification_organisation: only the few rows that have one
    )
    kind = models.CharField(_("kind"), max_length=40)
    urgency = models.CharField(_("urgency"), max_length=8, choices=Urgency.choices, default=Urgency.NORMAL)
    data = models.JSONField(_("details"), default=dict, blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    # What it is about (for example "reports.report" and the report's code), to mark related items read together.
    subject_type = models.CharField(_("subject type"), max_length=40, blank=True)
    subject_code = models.CharField(_("subject"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # A digest message: when it went out bundled in the person's digest (notifications.digest); None while it waits.
    digested_at = models.DateTimeField(_("sent in a digest at"), null=True, blank=True)
    # The fan-out that wrote it (its deliveries are written from its notifications in the same statement batch).
    fanout = models.ForeignKey(
        "Fanout",
        verbose_name=_("audience notification"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        # No database constraint: PostgreSQL checks one at commit per row, and a fan-out writes 100,000 rows at once
        # (measured: half of its commit). The worker writes the id of the fan-out it holds; Django sets it NULL.
        db_constraint=False,
    )

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            # One index per recipient row is what a fan-out pays for: the unread count reads it too.
            models.Index(fields=["recipient", "created_at"], name="notification_inbox"),
            models.Index(
                fields=["recipient_key", "created_at"],
                name="notification_pseudonym",
                condition=~models.Q(recipient_key=""),
            ),
            models.Index(fields=["subject_type", "subject_code"], name="notification_subject"),
            models.Index(
                fields=["organisation"],
                name="notification_organisation",
                condition=models.Q(organisation__isnull=False),
            ),
            models.Index(
                fields=["recipient", "created_at"],
                name="notification_digest_waiting",
                condition=models.Q(urgency="digest", digested_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id}: {self.kind}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    # A fan-out's notifications keep their shared facts and link once, on the fan-out (a row of a large fan-out is
    # then a third of the size: 126,000 alert notifications written in 0.39 s instead of 0.52 s). Read them here.
    # Querysets that show many notifications select_related("fanout").
    @property
    def message_data(self) -> dict:
        if self.data or self.fanout_id is None:
            return self.data
        fanout = self._shared()
        return fanout.data if fanout is not None else {}

    @property
    def message_link(self) -> str:
        if self.link or self.fanout_id is None:
            return self.link
        fanout = self._shared()
        return fanout.link if fanout is not None else ""

    def _shared(self) -> "Fanout | None":
        try:
            return self.fanout  # no database constraint: the fan-out row may be gone
        except Fanout.DoesNotExist:
            return None


class Fanout(models.Model):
    """One notification for an audience, waiting to be written per recipient by the worker. The audience is
    resolved when it is written: the active members of `community` with one of `roles` (all roles when empty and
    `community` is set), and the staff of the organisations in `organisation_ids`; `exclude_user_id` (the person
    who caused it) is left out. Written in the transaction of the change, so it is never lost; written out in one
    transaction with its notifications, so it is never doubled."""

    kind = models.CharField(_("kind"), max_length=40)
    urgency = models.CharField(_("urgency"), max_length=8, choices=Urgency.choices, default=Urgency.NORMAL)
    data = models.JSONField(_("details"), default=dict, blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    subject_type = models.CharField(_("subject type"), max_length=40, blank=True)
    subject_code = models.CharField(_("subject"), max_length=64, blank=True)
    community = models.ForeignKey(
        "communities.Community", verbose_name=_("community"), null=True, blank=True, on_delete=models.CASCADE
    )
    roles = models.JSONField(_("roles"), default=list, blank=True)
    organisation_ids = models.JSONField(_("organisations"), default=list, blank=True)
    exclude_user_id = models.BigIntegerField(_("left out"), null=True, blank=True)
    # Or an audience another app defines (notifications.audiences): {"name": …, facts}; resolved by its resolver.
    audience = models.JSONField(_("audience"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    done_at = models.DateTimeField(_("written at"), null=True, blank=True)
    written = models.PositiveIntegerField(_("notifications written"), default=0)

    class Meta:
        verbose_name = _("audience notification")
        verbose_name_plural = _("audience notifications")
        indexes = [
            models.Index(fields=["id"], name="fanout_pending", condition=models.Q(done_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.community_id or '-'} {self.roles} {self.organisation_ids}"


# --- delivery on the other channels ----------------------------------------------------------------------------------
class Channel(models.TextChoices):
    """The channels besides the in-app inbox (which every notification is). One transport class each
    (notifications.transports)."""

    EMAIL = "email", _("e-mail")
    SMS = "sms", _("text message (SMS)")
    PUSH = "push", _("push message on your devices")
    WEBHOOK = "webhook", _("webhook to the organisation's own system")


# The channels a person chooses (webhooks belong to an organisation, see Notification.organisation).
PERSONAL_CHANNELS = (Channel.EMAIL, Channel.SMS, Channel.PUSH)


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("pending")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed, will be retried")
    DEAD = "dead", _("given up")


class Delivery(models.Model):
    """One notification on one outside channel: exactly one row per (notification, channel), so a re-run never
    records twice; the notification's id is the de-duplication key sent to the channel where it takes one.

    The worker leases a due row (`leased_until`), sends outside any transaction, then records the outcome; a worker
    killed in between leaves a lease that runs out, and the row is sent again (at-least-once to the outside)."""

    notification = models.ForeignKey(
        Notification, verbose_name=_("notification"), on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    state = models.CharField(_("state"), max_length=8, choices=DeliveryState.choices, default=DeliveryState.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    due_at = models.DateTimeField(_("due at"))
    leased_until = models.DateTimeField(_("being sent until"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [models.UniqueConstraint(fields=["notification", "channel"], name="delivery_once")]
        indexes = [
            models.Index(
                fields=["due_at"],
                name="delivery_due",
                condition=models.Q(state__in=["pending", "failed"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.notification_id} {self.channel} {self.state}"


class ChannelChoice(models.Model):
    """A person wants messages of one category (the first part of a kind: "report", "conversation", "conduct", …)
    also on this channel. Without rows: the in-app inbox only."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="channel_choices"
    )
    category = models.CharField(_("kind of message"), max_length=24)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)

    class Meta:
        verbose_name = _("channel choice")
        verbose_name_plural = _("channel choices")
        constraints = [models.UniqueConstraint(fields=["user", "category", "channel"], name="channelchoice_once")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.category} {self.channel}"


class DigestPeriod(models.TextChoices):
    WEEKLY = "weekly", _("weekly (Monday morning)")
    MONTHLY = "monthly", _("monthly (the first of the month)")


class DeliverySettings(models.Model):
    """A person's quiet hours (Europe/Amsterdam): normal messages wait until they end; urgent ones never wait. And
    how often digest messages are bundled for the outside channels (notifications.digest)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="delivery_settings"
    )
    quiet_from = models.TimeField(_("quiet from"), default=datetime.time(22, 0))
    quiet_until = models.TimeField(_("quiet until"), default=datetime.time(7, 0))
    digest = models.CharField(_("digest"), max_length=8, choices=DigestPeriod.choices, default=DigestPeriod.WEEKLY)
    digest_last_at = models.DateTimeField(_("last digest"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery settings")
        verbose_name_plural = _("delivery settings")

    def __str__(self) -> str:
        return str(self.user_id)
