from typing import Any

from django.db import models

from samenveilig.core.models import AuditEvent


def audit_record(*, actor: Any, action: str, obj: models.Model, **data: Any) -> AuditEvent:
    """Append one audit event for `obj`; call it inside the service's transaction."""
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        data=data,
    )


def audit_trail(obj: models.Model) -> models.QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).select_related("actor")
