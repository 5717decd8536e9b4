"""Reports (meldingen): what a resident signals, where it was routed, and everything partners did with it.

A report belongs to one community. Routing decides its recipients once, at submission (ReportRoute rows, plus one
notification per person); handling is an append-only history (ReportEvent) with the current status kept on the
report for quick inbox queries. An anonymous report keeps no plain link to its reporter: only a keyed pseudonym
(to find "my reports" and to make retries idempotent) and the person's code encrypted with the reporter key.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samenveilig.accounts.models import Organisation
from samenveilig.areas.models import Area
from samenveilig.communities.models import Community
from samenveilig.core.models import TimeStamped


class ReportType(models.TextChoices):
    URGENT = "urgent", _("urgent")
    OVERLAST = "overlast", _("nuisance")
    VERBETERIDEE = "verbeteridee", _("idea for improvement")
    INFORMATIE = "informatie", _("information")


class Urgency(models.TextChoices):
    """How urgent an urgent report is (SAAR): suspicious, or a threat to life (call 112 first)."""

    SUSPICIOUS = "verdacht", _("suspicious")
    LIFE_THREATENING = "levensbedreigend", _("life-threatening")


class ReportStatus(models.TextChoices):
    RECEIVED = "received", _("received")
    IN_PROGRESS = "in_progress", _("in progress")
    CLOSED = "closed", _("closed")
    REOPENED = "reopened", _("reopened")


class Outcome(models.TextChoices):
    SOLVED = "solved", _("solved")
    REFERRED = "referred", _("referred")
    NO_ACTION = "no_action", _("no action possible")
    DUPLICATE = "duplicate", _("duplicate")


class Report(TimeStamped):
    code = models.UUIDField(_("public code"), default=uuid.uuid4, unique=True, editable=False)
    community = models.ForeignKey(
        Community, verbose_name=_("community"), on_delete=models.PROTECT, related_name="reports"
    )
    type = models.CharField(_("type"), max_length=16, choices=ReportType.choices)
    urgency = models.CharField(_("urgency"), max_length=16, choices=Urgency.choices, blank=True)
    called_112 = models.BooleanField(_("112 called"), null=True, blank=True)
    what = models.TextField(_("what happens"))
    occurred_at = models.DateTimeField(_("when"))
    # Where: optional for ideas and information. The H3 cell (res 9) finds possible duplicates nearby.
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    h3_r9 = models.BigIntegerField(_("H3 cell (res 9)"), null=True, blank=True)
    address = models.CharField(_("address or place"), max_length=200, blank=True)
    buurt = models.ForeignKey(
        Area, verbose_name=_("neighbourhood"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who: a plain link unless anonymous. `submitter_key` is a keyed hash of the person, on every report.
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reporter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    anonymous = models.BooleanField(_("anonymous"), default=False)
    submitter_key = models.CharField(_("reporter pseudonym"), max_length=64, db_index=True)
    reporter_sealed = models.TextField(_("reporter (encrypted)"), blank=True)
    idempotency_key = models.UUIDField(_("idempotency key"))
    request_hash = models.CharField(_("request fingerprint"), max_length=64, blank=True)
    share_with_members = models.BooleanField(_("shared with the community's members"), default=True)
    # The text checks (moderation.checks) on the description. Partners and coordinators always get the report; the
    # other members only once a coordinator has published its shared post (conversation), when it was flagged.
    flags = models.JSONField(_("flags"), default=list, blank=True)
    reasons = models.JSONField(_("reasons"), default=dict, blank=True)
    # The current state; the history is in ReportEvent.
    status = models.CharField(_("status"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.RECEIVED)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    first_response_at = models.DateTimeField(_("first response"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["submitter_key", "idempotency_key"], name="report_idempotent"),
        ]
        indexes = [
            models.Index(fields=["community", "created_at"]),
            models.Index(fields=["type", "h3_r9", "created_at"], name="report_nearby"),
            models.Index(fields=["status", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_closed(self) -> bool:
        return self.status == ReportStatus.CLOSED


class ReportPerson(models.Model):
    """A person described in a report (SAAR signalement), behaviour and clothing first."""

    report = models.ForeignKey(Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="persons")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    sex = models.CharField(_("sex"), max_length=40, blank=True)
    age = models.CharField(_("age"), max_length=40, blank=True)
    height = models.CharField(_("height"), max_length=40, blank=True)
    build = models.CharField(_("build"), max_length=60, blank=True)
    top = models.CharField(_("clothing (top)"), max_length=120, blank=True)
    bottom = models.CharField(_("clothing (bottom)"), max_length=120, blank=True)
    shoes = models.CharField(_("shoes"), max_length=120, blank=True)
    headwear = models.CharField(_("headwear"), max_length=120, blank=True)
    hair = models.CharField(_("hair"), max_length=120, blank=True)
    marks = models.CharField(_("distinguishing marks"), max_length=200, blank=True)
    skin_colour = models.CharField(_("skin colour"), max_length=60, blank=True)
    origin = models.CharField(_("origin"), max_length=60, blank=True)
    direction = models.CharField(_("direction of travel"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("person described")
        verbose_name_plural = _("persons described")
        ordering = ["report", "position"]

    def __str__(self) -> str:
        return f"{self.report_id}#{self.position}"


class ReportVehicle(models.Model):
    report = models.ForeignKey(Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="vehicles")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("type of vehicle"), max_length=60, blank=True)
    make = models.CharField(_("make"), max_length=60, blank=True)
    colour = models.CharField(_("colour"), max_length=60, blank=True)
    plate = models.CharField(_("licence plate"), max_length=16, blank=True)
    foreign_plate = models.BooleanField(_("foreign licence plate"), default=False)

    class Meta:
        verbose_name = _("vehicle described")
        verbose_name_plural = _("vehicles described")
        ordering = ["report", "position"]

    def __str__(self) -> str:
        return f"{self.report_id}#{self.position} {self.plate}"


class ReportPhoto(models.Model):
    """A photo with its metadata stripped (re-encoded on upload); served only through the report's gate."""

    code = models.UUIDField(_("public code"), default=uuid.uuid4, unique=True, editable=False)
    report = models.ForeignKey(Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(_("file"), upload_to="reports/%Y/%m/")
    content_type = models.CharField(_("content type"), max_length=32)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    size = models.PositiveIntegerField(_("size in bytes"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["report", "created_at", "id"]

    def __str__(self) -> str:
        return str(self.code)


class Audience(models.TextChoices):
    """Who inside a community receives a report."""

    MEMBERS = "members", _("all members")
    COORDINATORS = "coordinators", _("coordinators")
    INITIATORS = "initiators", _("initiators")
    ORGANISATION = "organisation", _("partner organisation")


class RoutingRule(models.Model):
    """Who receives reports of one type in one community. Without a row, the defaults of routing.DEFAULTS apply;
    coordinators and admins change them (each change is an audit event with the old and new rule)."""

    community = models.ForeignKey(
        Community, verbose_name=_("community"), on_delete=models.CASCADE, related_name="routing_rules"
    )
    type = models.CharField(_("report type"), max_length=16, choices=ReportType.choices)
    to_members = models.BooleanField(_("all members"), default=False)
    to_coordinators = models.BooleanField(_("coordinators"), default=True)
    to_initiators = models.BooleanField(_("initiators"), default=False)
    # Kinds of partner organisations (OrganisationKind values) whose working area covers the report.
    partner_kinds = models.JSONField(_("partner organisations (kinds)"), default=list, blank=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        constraints = [models.UniqueConstraint(fields=["community", "type"], name="routingrule_unique")]

    def __str__(self) -> str:
        return f"{self.community_id}:{self.type}"


class ReportRoute(models.Model):
    """One audience a report was routed to: a group of members, or a partner organisation (its inbox)."""

    report = models.ForeignKey(Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="routes")
    audience = models.CharField(_("audience"), max_length=16, choices=Audience.choices)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="report_routes",
    )
    due_at = models.DateTimeField(_("handle before"), null=True, blank=True)
    created_at = models.DateTimeField(_("routed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("report route")
        verbose_name_plural = _("report routes")
        constraints = [
            models.UniqueConstraint(fields=["report", "audience", "organisation"], name="reportroute_unique"),
        ]
        indexes = [models.Index(fields=["organisation", "report"], name="reportroute_inbox")]

    def __str__(self) -> str:
        return f"{self.report_id} -> {self.organisation_id or self.audience}"


class HandlingDeadline(models.Model):
    """How long an organisation takes at most to handle a report of one type (overdue reports are marked)."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="deadlines"
    )
    type = models.CharField(_("report type"), max_length=16, choices=ReportType.choices)
    hours = models.PositiveIntegerField(_("hours"))

    class Meta:
        verbose_name = _("handling deadline")
        verbose_name_plural = _("handling deadlines")
        constraints = [models.UniqueConstraint(fields=["organisation", "type"], name="deadline_unique")]

    def __str__(self) -> str:
        return f"{self.organisation_id}:{self.type} {self.hours}h"


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    STATUS = "status", _("status changed")
    NOTE = "note", _("internal note")
    QUESTION = "question", _("question to the reporter")
    ANSWER = "answer", _("answer from the reporter")
    FORWARDED = "forwarded", _("forwarded")
    FORWARD_ANSWER = "forward_answer", _("answer from outside")
    FEEDBACK = "feedback", _("feedback")
    RATING = "rating", _("rating")
    REOPEN_REQUEST = "reopen_request", _("request to reopen")
    REOPEN_DECISION = "reopen_decision", _("decision on reopening")


class ReportEvent(models.Model):
    """The append-only history of a report: every change is a new row, never updated or deleted.

    Who sees an event: `internal` ones only the routed partners (notes, forwards); the rest also the reporter; the
    community sees only status changes and the general part of feedback (`community_text`)."""

    report = models.ForeignKey(Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=16, choices=EventKind.choices)
    created_at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    internal = models.BooleanField(_("internal (partners only)"), default=False)
    status_from = models.CharField(_("from status"), max_length=16, choices=ReportStatus.choices, blank=True)
    status_to = models.CharField(_("to status"), max_length=16, choices=ReportStatus.choices, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    text = models.TextField(_("text"), blank=True)
    community_text = models.TextField(_("message to the community"), blank=True)
    # Kind-specific details: a question's id for its answer, a rating, a forward's recipient.
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("report event")
        verbose_name_plural = _("report events")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["report", "kind"])]

    def __str__(self) -> str:
        return f"{self.report_id} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"


class Question(models.Model):
    """A partner asks the reporter something; the reporter answers from their inbox."""

    code = models.UUIDField(_("public code"), default=uuid.uuid4, unique=True, editable=False)
    report = models.ForeignKey(Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="questions")
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("asked by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("question"))
    answer = models.TextField(_("answer"), blank=True)
    asked_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["asked_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class ForwardLink(models.Model):
    """A report forwarded to an outside party: a one-time link that needs no account. Only a hash of the token is
    kept; the answer comes back into the report's history."""

    code = models.UUIDField(_("public code"), default=uuid.uuid4, unique=True, editable=False)
    report = models.ForeignKey(Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="forwards")
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    recipient = models.CharField(_("forwarded to"), max_length=200)
    message = models.TextField(_("message"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)

    class Meta:
        verbose_name = _("forward")
        verbose_name_plural = _("forwards")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.report_id} -> {self.recipient}"


class Feedback(models.Model):
    """Terugkoppeling: what a partner tells the reporter, and optionally the community (no personal details)."""

    code = models.UUIDField(_("public code"), default=uuid.uuid4, unique=True, editable=False)
    report = models.ForeignKey(Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="feedback")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_reporter = models.TextField(_("to the reporter"), blank=True)
    to_community = models.TextField(_("to the community"), blank=True)
    created_at = models.DateTimeField(_("given at"), auto_now_add=True, db_index=True)
    # The reporter's one-tap rating: did this feedback help?
    helpful = models.BooleanField(_("helpful"), null=True, blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.report_id} {self.created_at:%Y-%m-%d}"


class ReopenRequest(models.Model):
    """A negative rating on a closed report: a person at the partner decides whether to reopen it."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("waiting for a decision")
        REOPENED = "reopened", _("reopened")
        DECLINED = "declined", _("declined")

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="reopen_requests"
    )
    feedback = models.ForeignKey(Feedback, verbose_name=_("feedback"), null=True, on_delete=models.SET_NULL)
    reason = models.TextField(_("reason"), blank=True)
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("request to reopen")
        verbose_name_plural = _("requests to reopen")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.report_id} {self.decision}"
