"""Test helpers for reports: valid input and a submitted report, built through the real services."""

from typing import Any
from uuid import uuid4

from samenveilig.communities.models import Community
from samenveilig.reports import services
from samenveilig.reports.models import Report

# A point inside the test cast's buurt Noord (see core.testing.make_areas).
NOORD_POINT = {"lat": 52.095, "lon": 5.11}


def report_input(type: str = "urgent", **overrides: Any) -> services.ReportInput:  # noqa: A002
    values: dict[str, Any] = {
        "type": type,
        "what": "Twee personen lopen langs de achterdeuren en voelen aan de deurklinken.",
        "called_112": True if type == "urgent" else None,
        **NOORD_POINT,
    }
    if type == "urgent":
        values["persons"] = [{"sex": "man", "top": "zwarte hoodie", "bottom": "grijze joggingbroek"}]
    values.update(overrides)
    return services.ReportInput(**values)


def submit(reporter: Any, community: Community, type: str = "urgent", **overrides: Any) -> Report:  # noqa: A002
    return services.report_submit(
        reporter=reporter, community=community, data=report_input(type, **overrides), idempotency_key=uuid4()
    ).report
