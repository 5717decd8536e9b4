from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStamped(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """An append-only record of a consequential action (a removal, a phase move, a rules change).

    Written by services in the same transaction as the action, never updated or deleted by the application.
    """

    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64)
    object_id = models.CharField(_("object id"), max_length=64)
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["object_type", "object_id", "created_at"])]
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_type}:{self.object_id}"


class BenchProbe(models.Model):
    """A row written by the floor endpoint of `samenveilig bench reports` (core.api_bench): one authenticated
    request, one transaction, one INSERT in raw SQL. Mounted only with SAMENVEILIG_BENCH_ENDPOINTS=1; the table stays
    empty in a real installation."""

    created_at = models.DateTimeField(_("created at"))
    actor_id = models.BigIntegerField(_("actor"))
    idempotency_key = models.UUIDField(_("idempotency key"))

    class Meta:
        verbose_name = _("benchmark probe")
        verbose_name_plural = _("benchmark probes")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.actor_id}"


class ReferenceGeneration(models.Model):
    """One row whose token changes with every change to the reference data that hot paths cache per process
    (core.refcache): routing rules, partner organisations and their areas and deadlines, areas, communities. A new
    random token, never a counter, so a rolled-back change can never make an old cache entry look current again."""

    token = models.CharField(_("token"), max_length=32)

    class Meta:
        verbose_name = _("reference data generation")
        verbose_name_plural = _("reference data generations")

    def __str__(self) -> str:
        return self.token
