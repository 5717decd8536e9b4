"""The API's shapes for the in-app inbox."""

from datetime import datetime

from ninja import Field, Schema


class NotificationOut(Schema):
    id: int
    kind: str = Field(..., description='What it is about, e.g. "report.routed", "report.feedback".')
    title: str = Field(..., description="In the reader's language.")
    body: str
    link: str = Field(..., description="The page it is about (a path on this site).")
    created_at: datetime
    read: bool


class MarkedOut(Schema):
    marked: int = Field(..., description="How many notifications were marked read.")
