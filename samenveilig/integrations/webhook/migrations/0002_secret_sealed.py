"""Webhook signing secrets are kept encrypted (core.sealing with SAMENVEILIG_WEBHOOK_KEY) instead of as they are."""

from django.conf import settings
from django.db import migrations, models

from samenveilig.core import sealing


def seal_secrets(apps, schema_editor):
    endpoints = apps.get_model("webhook", "WebhookEndpoint")
    for endpoint in endpoints.objects.all():
        endpoint.secret_sealed = sealing.seal(endpoint.secret, settings.WEBHOOK_KEY)
        endpoint.save(update_fields=["secret_sealed"])


def open_secrets(apps, schema_editor):
    endpoints = apps.get_model("webhook", "WebhookEndpoint")
    for endpoint in endpoints.objects.all():
        endpoint.secret = sealing.unseal(endpoint.secret_sealed, settings.WEBHOOK_KEY) or ""
        endpoint.save(update_fields=["secret"])


class Migration(migrations.Migration):
    dependencies = [("webhook", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="webhookendpoint",
            name="secret_sealed",
            field=models.CharField(default="", max_length=255, verbose_name="signing secret (encrypted)"),
            preserve_default=False,
        ),
        migrations.RunPython(seal_secrets, open_secrets),
        # A default only so that going back can add the column again to rows that exist, then fill it.
        migrations.AlterField(
            model_name="webhookendpoint",
            name="secret",
            field=models.CharField(default="", max_length=128, verbose_name="signing secret"),
        ),
        migrations.RemoveField(model_name="webhookendpoint", name="secret"),
    ]
