"""Writes of the community conversation: post, revise, withdraw, send anyway, react, report, pin, decide.

Every text is checked (moderation.checks) before anyone else sees it. A clean post is published at once. A flagged
post waits with its author (PROMPTED), who sees the reasons and a suggestion (the kind prompt) and can revise it
(checked again), withdraw it, or send it anyway: then it waits, unpublished, for a coordinator (HELD), who
publishes it, rejects it with a reason, or asks to rephrase. Members can report a published post to the
coordinators; a coordinator can remove it. Every step is a PostEvent row.

A post can carry photos (already cleaned by core.photos: no metadata left), at most POST_MAX_PHOTOS. Photos are not
text-checked and never change a post's moderation status; they are seen by whoever may see the post.
"""

import secrets
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from samenveilig.accounts.models import Organisation, StaffMembership
from samenveilig.communities import access as community_access
from samenveilig.communities.models import Community, Membership, MembershipStatus
from samenveilig.conversation.models import (
    Post,
    PostEvent,
    PostKind,
    PostPhoto,
    PostReport,
    PostStatus,
    Reaction,
    ReactionKind,
)
from samenveilig.core.errors import Conflict, Forbidden, Invalid, NotFound
from samenveilig.core.permissions import Need, Role
from samenveilig.core.photos import CleanPhoto
from samenveilig.live import events as live
from samenveilig.moderation import checks
from samenveilig.moderation import selectors as moderation_selectors
from samenveilig.notifications import services as notifications

MAX_POST = 4000
MAX_REASON = 1000
WAITING_FOR_AUTHOR = (PostStatus.PROMPTED, PostStatus.REPHRASE)
ENDED = (PostStatus.WITHDRAWN, PostStatus.REJECTED, PostStatus.REMOVED)


def check_for(community: Community, text: str) -> checks.Verdict:
    """The checks as this community has them (a social community may switch `irrelevant` off)."""
    return checks.check_text(text, skip=moderation_selectors.skipped_checks(community))


def _text(value: Any, *, field: str = "text", limit: int = MAX_POST) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        message = _("Write something first.")
        raise Invalid(message, code="post.invalid", fields={field: [message]})
    if len(text) > limit:
        message = _("This text is too long (at most %(max)s characters).") % {"max": limit}
        raise Invalid(message, code="post.invalid", fields={field: [message]})
    return text


def _event(post: Post, actor: Any, action: str, *, reason: str = "") -> None:
    PostEvent.objects.create(
        post=post, actor=actor, action=action, status_to=post.status, reason=reason, flags=list(post.flags)
    )
    if post.status == PostStatus.PUBLISHED:
        live.post_published(post)  # open stream pages fetch it (a repeat for a post they have is skipped)


def _apply(post: Post, verdict: checks.Verdict) -> None:
    post.flags, post.reasons = list(verdict.flags), dict(verdict.reasons)
    if verdict.clean:
        post.status, post.published_at = PostStatus.PUBLISHED, timezone.now()
    else:
        post.status = PostStatus.PROMPTED


def _too_many_photos(field: str) -> Invalid:
    message = _("Add at most %(max)s photos.") % {"max": settings.POST_MAX_PHOTOS}
    return Invalid(message, code="post.photo", fields={field: [message]})


def _store_photo(post: Post, photo: CleanPhoto) -> PostPhoto:
    stored = PostPhoto(
        post=post, content_type=photo.content_type, width=photo.width, height=photo.height, size=len(photo.content)
    )
    stored.file.save(f"{secrets.token_hex(16)}.{photo.extension}", ContentFile(photo.content), save=False)
    stored.save()
    return stored


def _coordinators(community: Community) -> list[int]:
    return list(
        Membership.objects.filter(
            community=community, status=MembershipStatus.ACTIVE, role=Role.COORDINATOR
        ).values_list("user_id", flat=True)
    )


def _notify(recipients: list[Any], kind: str, post: Post, **data: Any) -> None:
    notifications.notify(
        recipients=recipients,
        kind=kind,
        data={"community": post.community.name, "summary": post.text[:140], **data},
        link=reverse("conversation:stream", args=[post.community.slug]),
        subject=("conversation.post", str(post.code)),
    )


@transaction.atomic
def post_create(
    *,
    community: Community,
    author: Any,
    text: Any,
    parent: Post | None = None,
    organisation: Organisation | None = None,
    perspective: Any = "",
    photos: list[CleanPhoto] | tuple[CleanPhoto, ...] = (),
) -> Post:
    """A member's message or reply, or (with `organisation`) a partner's voorlichting, which must say what people
    can do (a perspective for action). Checked first: published at once when clean, else waiting for its author.
    `photos` (cleaned by core.photos, at most POST_MAX_PHOTOS) are stored with it, in the same transaction."""
    if organisation is None:
        community_access.check_need(author, community, Need.POST)
        kind, perspective_text = PostKind.MESSAGE, ""
    else:
        community_access.check_need(author, community, Need.POST_INFO)
        if not StaffMembership.objects.filter(organisation=organisation, user=author).exists():
            raise Forbidden(_("You do not work for this organisation."), code="post.forbidden")
        kind = PostKind.VOORLICHTING
        perspective_text = _text(perspective, field="perspective", limit=1000) if perspective else ""
        if not perspective_text:
            message = _("Say what people can do (a perspective for action): information without it worries people.")
            raise Invalid(message, code="post.invalid", fields={"perspective": [message]})
    body = _text(text)
    if len(photos) > settings.POST_MAX_PHOTOS:
        raise _too_many_photos("photos")
    if parent is not None:
        parent = Post.objects.select_related("parent").filter(pk=parent.pk).first()  # its status now
        if parent is None or parent.community_id != community.pk or parent.status != PostStatus.PUBLISHED:
            raise Conflict(_("This message has been removed: you cannot reply to it."), code="post.gone")
        if parent.parent_id is not None:
            parent = parent.parent  # replies stay one level deep
    post = Post(community=community, author=author, organisation=organisation, kind=kind, parent=parent, text=body)
    post.perspective = perspective_text
    _apply(post, check_for(community, f"{body}\n{perspective_text}".strip()))
    post.save()
    for photo in photos:
        _store_photo(post, photo)
    _event(post, author, "create")
    return post


@transaction.atomic
def post_add_photo(*, post: Post, by: Any, photo: CleanPhoto) -> PostPhoto:
    """The author adds a photo to their post (the API sends photos after the post), while it is not withdrawn,
    rejected or removed; at most POST_MAX_PHOTOS (counted with the post row locked). The status stays as it is."""
    locked = Post.objects.select_for_update().select_related("community").get(pk=post.pk)
    community_access.check_need(by, locked.community, Need.POST_INFO if locked.organisation_id else Need.POST)
    if locked.author_id != getattr(by, "pk", None):
        raise Forbidden(_("Only the author can add photos to a message."), code="post.forbidden")
    if locked.status in ENDED:
        raise Conflict(_("This message can no longer be changed."), code="post.state")
    if locked.photos.count() >= settings.POST_MAX_PHOTOS:
        raise _too_many_photos("photo")
    stored = _store_photo(locked, photo)
    _event(locked, by, "add_photo")
    return stored


def _own_waiting(post: Post, by: Any, allowed: tuple[str, ...]) -> Post:
    locked = Post.objects.select_for_update().get(pk=post.pk)
    if locked.author_id != getattr(by, "pk", None):
        raise NotFound()
    if locked.status not in allowed:
        raise Conflict(_("This message can no longer be changed."), code="post.state")
    return locked


@transaction.atomic
def post_revise(*, post: Post, by: Any, text: Any) -> Post:
    """The author rewrites a flagged post (or one a coordinator asked to rephrase): checked again."""
    locked = _own_waiting(post, by, WAITING_FOR_AUTHOR)
    locked.text = _text(text)
    _apply(locked, check_for(locked.community, f"{locked.text}\n{locked.perspective}".strip()))
    locked.save(update_fields=["text", "flags", "reasons", "status", "published_at"])
    _event(locked, by, "revise")
    return locked


@transaction.atomic
def post_withdraw(*, post: Post, by: Any) -> Post:
    locked = _own_waiting(post, by, (*WAITING_FOR_AUTHOR, PostStatus.HELD))
    locked.status = PostStatus.WITHDRAWN
    locked.save(update_fields=["status"])
    _event(locked, by, "withdraw")
    return locked


@transaction.atomic
def post_send_anyway(*, post: Post, by: Any) -> Post:
    """The author sends a flagged post anyway: it waits, unpublished, in the coordinators' queue."""
    locked = _own_waiting(post, by, (PostStatus.PROMPTED,))
    locked.status = PostStatus.HELD
    locked.save(update_fields=["status"])
    _event(locked, by, "send_anyway")
    _notify(_coordinators(locked.community), "conversation.held", locked, flags=locked.flags)
    return locked


class Decision:
    PUBLISH = "publish"
    REJECT = "reject"
    REPHRASE = "rephrase"
    ALL = (PUBLISH, REJECT, REPHRASE)


@transaction.atomic
def post_decide(*, post: Post, by: Any, action: str, reason: Any = "") -> Post:
    """A coordinator decides on a held post (publish, reject with a reason, ask to rephrase) or on a published post
    that members reported (keep it published, or reject = remove it, with a reason)."""
    community_access.check_need(by, post.community, Need.MODERATE)
    if action not in Decision.ALL:
        message = _("Choose one of: %(expected)s.") % {"expected": ", ".join(Decision.ALL)}
        raise Invalid(message, code="post.invalid", fields={"action": [message]})
    reason_text = reason.strip() if isinstance(reason, str) else ""
    if action != Decision.PUBLISH and not reason_text:
        message = _("Give a reason: the author reads it.")
        raise Invalid(message, code="post.invalid", fields={"reason": [message]})
    if len(reason_text) > MAX_REASON:
        message = _("This text is too long (at most %(max)s characters).") % {"max": MAX_REASON}
        raise Invalid(message, code="post.invalid", fields={"reason": [message]})
    locked = Post.objects.select_for_update().get(pk=post.pk)
    reported = locked.member_reports.filter(resolved_at=None).exists()
    if action == Decision.REPHRASE and locked.author_id is None:
        raise Conflict(
            _("Nobody can rephrase a shared report here: publish it for the members or keep it from them."),
            code="post.state",
        )
    if locked.status == PostStatus.HELD:
        locked.status = {
            Decision.PUBLISH: PostStatus.PUBLISHED,
            Decision.REJECT: PostStatus.REJECTED,
            Decision.REPHRASE: PostStatus.REPHRASE,
        }[action]
        if action == Decision.PUBLISH:
            locked.published_at = timezone.now()
    elif locked.status == PostStatus.PUBLISHED and reported and action != Decision.REPHRASE:
        if action == Decision.REJECT:
            locked.status = PostStatus.REMOVED
    else:
        raise Conflict(_("There is nothing to decide on this message (any more)."), code="post.state")
    locked.save(update_fields=["status", "published_at"])
    locked.member_reports.filter(resolved_at=None).update(resolved_at=timezone.now())
    _event(locked, by, f"decide_{action}", reason=reason_text)
    if locked.author_id and locked.author_id != by.pk:
        _notify([locked.author_id], f"conversation.{action}", locked, reason=reason_text)
    if locked.kind == PostKind.REPORT and action == Decision.PUBLISH and locked.status == PostStatus.PUBLISHED:
        _notify_members(locked, exclude_id=by.pk)  # held until now: the members had not been told
    return locked


def _notify_members(post: Post, *, exclude_id: int | None) -> None:
    notifications.notify_audience(
        community=post.community,
        exclude_id=exclude_id,
        kind="conversation.shared_report",
        data={"community": post.community.name, "summary": post.text[:140]},
        link=reverse("conversation:stream", args=[post.community.slug]),
        subject=("conversation.post", str(post.code)),
    )


# --- what reports put in the conversation (reports.services calls these inside its own transaction) ------------------
def post_share_report(
    *, community: Community, report_code: Any, text: str, flags: list[str], reasons: dict[str, str]
) -> Post:
    """A report routed to all members appears in the stream, without its reporter. Its description was checked
    with the report (reports.services); a flagged one waits for a coordinator (HELD), who publishes it for the
    members or keeps it from them. Once per report."""
    post = Post.objects.create(  # routing runs once per report (a replay never reaches it); the constraint is the net
        community=community,
        kind=PostKind.REPORT,
        subject_code=report_code,
        text=text[:MAX_POST],
        flags=list(flags),
        reasons=dict(reasons),
        status=PostStatus.HELD if flags else PostStatus.PUBLISHED,
        published_at=None if flags else timezone.now(),
    )
    _event(post, None, "share_held" if flags else "share")
    if flags:
        _notify(_coordinators(community), "conversation.held", post, flags=post.flags)
    return post


def post_share_feedback(
    *, community: Community, report_code: Any, by: Any, organisation: Organisation, text: str
) -> Post:
    """A partner's feedback to the community on a shared report appears in the stream, published: reports.services
    refuses a flagged text before it gets here, so the partner can rephrase it at once."""
    post = Post.objects.create(
        community=community,
        author=by,
        organisation=organisation,
        kind=PostKind.FEEDBACK,
        subject_code=report_code,
        text=text[:MAX_POST],
        status=PostStatus.PUBLISHED,
        published_at=timezone.now(),
    )
    _event(post, by, "share")
    return post


@transaction.atomic
def post_react(*, post: Post, by: Any, kind: str) -> Reaction:
    community_access.check_need(by, post.community, Need.POST)
    if kind not in ReactionKind.values:
        message = _("Choose one of: %(expected)s.") % {"expected": ", ".join(ReactionKind.values)}
        raise Invalid(message, code="post.invalid", fields={"kind": [message]})
    if post.status != PostStatus.PUBLISHED:
        raise Conflict(_("This message has been removed."), code="post.gone")
    try:
        with transaction.atomic():
            return Reaction.objects.create(post=post, user=by, kind=kind)
    except IntegrityError as exc:
        raise Conflict(_("You already reacted like this."), code="reaction.twice") from exc


@transaction.atomic
def post_report(*, post: Post, by: Any, reason: Any) -> PostReport:
    """A member tells the coordinators about a published post (once per post)."""
    community_access.check_need(by, post.community, Need.POST)
    text = _text(reason, field="reason", limit=500)
    if post.status != PostStatus.PUBLISHED:
        raise Conflict(_("This message has been removed."), code="post.gone")
    try:
        with transaction.atomic():
            report = PostReport.objects.create(post=post, reporter=by, reason=text)
    except IntegrityError as exc:
        raise Conflict(_("You already reported this message."), code="post.reported_twice") from exc
    PostEvent.objects.create(post=post, actor=by, action="member_report", reason=text, flags=list(post.flags))
    _notify(_coordinators(post.community), "conversation.reported", post)
    return report


@transaction.atomic
def post_pin(*, post: Post, by: Any, pinned: bool) -> Post:
    community_access.check_need(by, post.community, Need.MODERATE)
    if post.status != PostStatus.PUBLISHED or post.parent_id is not None:
        raise Conflict(_("Only a published message (not a reply) can be pinned."), code="post.state")
    post.pinned_at = timezone.now() if pinned else None
    post.save(update_fields=["pinned_at"])
    _event(post, by, "pin" if pinned else "unpin")
    return post
