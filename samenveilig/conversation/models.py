"""A community's conversation: posts and replies (with photos), reactions, members' reports of posts, and what
moderation did.

A post's text is checked (moderation.checks) before anyone else sees it: a clean post is published at once; a
flagged one waits with its author (PROMPTED: the kind prompt) until they revise it, withdraw it, or send it anyway
(HELD: the coordinators' queue). Every step is a PostEvent row (append-only).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samenveilig.accounts.models import Organisation
from samenveilig.communities.models import Community


class PostKind(models.TextChoices):
    MESSAGE = "message", _("message")
    VOORLICHTING = "voorlichting", _("information from a partner")
    REPORT = "report", _("shared report")
    FEEDBACK = "feedback", _("feedback from a partner")


class PostStatus(models.TextChoices):
    PROMPTED = "prompted", _("waiting for the author (flagged)")
    HELD = "held", _("waiting for a coordinator")
    PUBLISHED = "published", _("published")
    WITHDRAWN = "withdrawn", _("withdrawn")
    REJECTED = "rejected", _("rejected")
    REPHRASE = "rephrase", _("asked to rephrase")
    REMOVED = "removed", _("removed")


class Post(models.Model):
    code = models.UUIDField(_("public code"), default=uuid.uuid4, unique=True, editable=False)
    community = models.ForeignKey(Community, verbose_name=_("community"), on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("on behalf of"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=PostKind.choices, default=PostKind.MESSAGE)
    parent = models.ForeignKey(
        "self", verbose_name=_("reply to"), null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    text = models.TextField(_("text"))
    perspective = models.TextField(_("what you can do"), blank=True)  # voorlichting: the perspective for action
    # A shared report or a partner's feedback on one: the report's public code (reports depends on conversation,
    # not the other way round, so no foreign key). Never the reporter: such posts have no author shown.
    subject_code = models.UUIDField(_("about report"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=PostStatus.choices)
    flags = models.JSONField(_("flags"), default=list, blank=True)
    reasons = models.JSONField(_("reasons"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    pinned_at = models.DateTimeField(_("pinned at"), null=True, blank=True)

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        indexes = [
            models.Index(fields=["community", "status", "published_at"], name="post_stream"),
            models.Index(fields=["author", "created_at"], name="post_author"),
            models.Index(fields=["subject_code"], name="post_subject"),
        ]
        constraints = [
            models.UniqueConstraint(  # a report is shared once, also when its routing is retried
                fields=["subject_code"], condition=models.Q(kind="report"), name="post_report_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.community_id}: {self.text[:40]}"


class ReactionKind(models.TextChoices):
    THANKS = "bedankt", _("thanks")
    SEEN = "gezien", _("seen")


class Reaction(models.Model):
    post = models.ForeignKey(Post, verbose_name=_("post"), on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE)
    kind = models.CharField(_("reaction"), max_length=16, choices=ReactionKind.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reaction")
        verbose_name_plural = _("reactions")
        constraints = [models.UniqueConstraint(fields=["post", "user", "kind"], name="reaction_once")]

    def __str__(self) -> str:
        return f"{self.kind} on {self.post_id}"


class PostReport(models.Model):
    """A member tells the coordinators about a published post."""

    post = models.ForeignKey(Post, verbose_name=_("post"), on_delete=models.CASCADE, related_name="member_reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reported by"), on_delete=models.CASCADE)
    reason = models.CharField(_("reason"), max_length=500)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("reported post")
        verbose_name_plural = _("reported posts")
        constraints = [models.UniqueConstraint(fields=["post", "reporter"], name="postreport_once")]

    def __str__(self) -> str:
        return f"{self.post_id} by {self.reporter_id}"


class PostEvent(models.Model):
    """Append-only: what happened to a post, by whom, when and why (flags at that moment)."""

    post = models.ForeignKey(Post, verbose_name=_("post"), on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(_("action"), max_length=24)
    status_to = models.CharField(_("new status"), max_length=16, choices=PostStatus.choices, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    flags = models.JSONField(_("flags"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("post event")
        verbose_name_plural = _("post events")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.post_id} {self.action}"


class PostPhoto(models.Model):
    """A photo with a post, its metadata stripped (re-encoded on upload); served only to those who may see the post
    (conversation.selectors.post_photo_for)."""

    code = models.UUIDField(_("public code"), default=uuid.uuid4, unique=True, editable=False)
    post = models.ForeignKey(Post, verbose_name=_("post"), on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(_("file"), upload_to="conversation/%Y/%m/")
    content_type = models.CharField(_("content type"), max_length=32)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    size = models.PositiveIntegerField(_("size in bytes"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["post", "created_at", "id"]

    def __str__(self) -> str:
        return str(self.code)
