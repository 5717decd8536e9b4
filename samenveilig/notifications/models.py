"""The in-app inbox: one notification per recipient. The delivery issue adds other channels on top of it.

A notification stores its kind and the facts it needs (`data`), not a finished sentence: its text is written when
it is shown (notifications.kinds), so each reader sees their own language.

A notification for an audience (the members of a community, the staff of organisations) is first one `Fanout` row,
written in the transaction of the change; the worker turns pending fan-outs into one notification per recipient,
many at once (notifications.services.fan_out_pending). A report routed to hundreds therefore costs its transaction
one row, and the inbox index is written once per batch rather than once per report.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
    kind = models.CharField(_("kind"), max_length=40)
    data = models.JSONField(_("details"), default=dict, blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    # What it is about (for example "reports.report" and the report's code), to mark related items read together.
    subject_type = models.CharField(_("subject type"), max_length=40, blank=True)
    subject_code = models.CharField(_("subject"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

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
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id}: {self.kind}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class Fanout(models.Model):
    """One notification for an audience, waiting to be written per recipient by the worker. The audience is
    resolved when it is written: the active members of `community` with one of `roles` (all roles when empty and
    `community` is set), and the staff of the organisations in `organisation_ids`; `exclude_user_id` (the person
    who caused it) is left out. Written in the transaction of the change, so it is never lost; written out in one
    transaction with its notifications, so it is never doubled."""

    kind = models.CharField(_("kind"), max_length=40)
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
