"""The community conversation in the API: /api/v1/communities/{code}/posts and /api/v1/posts/{code} …

A flagged post is stored for its author only (status `prompted`) with `flags`, `reasons` and `suggestions` (the
kind prompt): revise it, withdraw it, or send it anyway (then `held`, for the coordinators). Its author adds photos
one by one (/posts/{code}/photos); they are served to exactly those who may see the post. /api/v1/signals is the
municipality's overview of conversations that need attention."""

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from samenveilig.accounts.models import Organisation
from samenveilig.communities import access as community_access
from samenveilig.conversation import selectors, services
from samenveilig.conversation.models import Post, PostPhoto
from samenveilig.core import photos
from samenveilig.core.api import errors
from samenveilig.core.errors import NotFound
from samenveilig.core.permissions import Need
from samenveilig.moderation import prompts

router = Router(tags=["conversation"])
posts_router = Router(tags=["conversation"])


class PostIn(Schema):
    text: str
    reply_to: UUID | None = Field(None, description="The code of the post this replies to.")
    organisation: UUID | None = Field(None, description="Partner staff: post voorlichting for this organisation.")
    perspective: str = Field("", description="Voorlichting: what people can do (required for voorlichting).")


class ReviseIn(Schema):
    text: str


class ReactIn(Schema):
    kind: Literal["bedankt", "gezien"]


class ReportIn(Schema):
    reason: str


class DecideIn(Schema):
    action: Literal["publish", "reject", "rephrase"]
    reason: str = ""


class PinIn(Schema):
    pinned: bool


class PostPhotoOut(Schema):
    id: UUID
    url: str = Field(..., description="The image itself, for exactly those who may see the post.")
    content_type: str
    width: int
    height: int
    size: int = Field(..., description="In bytes.")


class PostOut(Schema):
    code: UUID
    kind: str
    status: str
    text: str
    perspective: str
    author: str | None = Field(None, description="First name, or the organisation for voorlichting.")
    reply_to: UUID | None
    created_at: Any
    published_at: Any | None
    pinned: bool
    flags: list[str] = Field(..., description="Only for the author and coordinators; empty otherwise.")
    reasons: dict[str, str]
    suggestions: dict[str, str] = Field(..., description="Per flag, what to do instead (the kind prompt).")
    thanks: int = 0
    seen: int = 0
    replies: int = 0
    photos: list[PostPhotoOut] = Field(..., description="Without any metadata (re-encoded on upload).")


def _photo_out(request: HttpRequest, post: Post, photo: PostPhoto) -> dict[str, Any]:
    url = reverse("api:post_photo", kwargs={"code": post.code, "photo": photo.code})
    return {
        "id": photo.code,
        "url": request.build_absolute_uri(url),
        "content_type": photo.content_type,
        "width": photo.width,
        "height": photo.height,
        "size": photo.size,
    }


def _out(request: HttpRequest, post: Post) -> dict[str, Any]:
    viewer = request.auth
    private = post.author_id == getattr(viewer, "pk", None) or community_access.standing_of(
        viewer, post.community
    ).grants(Need.MODERATE)
    author = post.organisation.name if post.organisation_id else (post.author.first_name if post.author else None)
    return {
        "code": post.code,
        "kind": post.kind,
        "status": post.status,
        "text": post.text,
        "perspective": post.perspective,
        "author": author,
        "reply_to": post.parent.code if post.parent_id else None,
        "created_at": post.created_at,
        "published_at": post.published_at,
        "pinned": post.pinned_at is not None,
        "flags": post.flags if private else [],
        "reasons": post.reasons if private else {},
        "suggestions": {flag: prompts.suggestion(flag) for flag in post.flags} if private else {},
        "thanks": getattr(post, "thanks", 0),
        "seen": getattr(post, "seen", 0),
        "replies": getattr(post, "reply_count", 0),
        "photos": [_photo_out(request, post, photo) for photo in post.photos.all()],
    }


def _post(request: HttpRequest, code: UUID) -> Post:
    return selectors.post_for(code=code, viewer=request.auth)


@router.get("/{uuid:community}/posts", response={200: list[PostOut], **errors(401, 403, 404)}, summary="The stream")
def list_posts(
    request: HttpRequest, community: UUID, before: int | None = Query(None), limit: int = Query(20, ge=1, le=100)
) -> list[dict[str, Any]]:
    found = community_access.access_community(request.auth, community, need=Need.VIEW)
    return [
        _out(request, p) for p in selectors.stream(community=found, viewer=request.auth, before=before, limit=limit)
    ]


@router.post(
    "/{uuid:community}/posts",
    response={201: PostOut, **errors(401, 403, 404, 409, 422)},
    summary="Post a message, a reply or voorlichting",
    description="Checked before anyone sees it: `published` when clean, else `prompted` with flags, reasons and "
    "suggestions for the author.",
)
def create_post(request: HttpRequest, community: UUID, payload: PostIn) -> Status:
    found = community_access.access_community(request.auth, community, need=Need.VIEW)
    parent = selectors.post_for(code=payload.reply_to, viewer=request.auth) if payload.reply_to else None
    organisation = None
    if payload.organisation:
        organisation = Organisation.objects.filter(code=payload.organisation).first()
        if organisation is None:
            raise NotFound()
    post = services.post_create(
        community=found,
        author=request.auth,
        text=payload.text,
        parent=parent,
        organisation=organisation,
        perspective=payload.perspective,
    )
    return Status(201, _out(request, post))


@router.get(
    "/{uuid:community}/queue", response={200: list[PostOut], **errors(401, 403, 404)}, summary="The coordinators' queue"
)
def list_queue(request: HttpRequest, community: UUID) -> list[dict[str, Any]]:
    found = community_access.access_community(request.auth, community, need=Need.MODERATE)
    return [_out(request, p) for p in selectors.queue(community=found, viewer=request.auth)]


@posts_router.get("/{uuid:code}", response={200: PostOut, **errors(401, 404)}, summary="One post")
def get_post(request: HttpRequest, code: UUID) -> dict[str, Any]:
    return _out(request, _post(request, code))


@posts_router.get("/{uuid:code}/replies", response={200: list[PostOut], **errors(401, 404)}, summary="Replies")
def list_replies(request: HttpRequest, code: UUID) -> list[dict[str, Any]]:
    return [_out(request, p) for p in selectors.replies(post=_post(request, code))]


@posts_router.post("/{uuid:code}/revise", response={200: PostOut, **errors(401, 404, 409, 422)}, summary="Revise")
def revise(request: HttpRequest, code: UUID, payload: ReviseIn) -> dict[str, Any]:
    return _out(request, services.post_revise(post=_post(request, code), by=request.auth, text=payload.text))


@posts_router.post("/{uuid:code}/withdraw", response={200: PostOut, **errors(401, 404, 409)}, summary="Withdraw")
def withdraw(request: HttpRequest, code: UUID) -> dict[str, Any]:
    return _out(request, services.post_withdraw(post=_post(request, code), by=request.auth))


@posts_router.post(
    "/{uuid:code}/send-anyway", response={200: PostOut, **errors(401, 404, 409)}, summary="Send anyway (to the queue)"
)
def send_anyway(request: HttpRequest, code: UUID) -> dict[str, Any]:
    return _out(request, services.post_send_anyway(post=_post(request, code), by=request.auth))


@posts_router.post(
    "/{uuid:code}/photos",
    response={201: PostPhotoOut, **errors(401, 403, 404, 409, 422)},
    summary="Add a photo to your post",
    description='Multipart, file field `photo`: JPEG, PNG or HEIC, size-limited ("post.photo" when too large, not '
    "an image, or one too many). Every bit of metadata (EXIF, GPS) is removed. For the author only, while the post "
    "is not withdrawn, rejected or removed; a photo does not change the post's status.",
)
def add_photo(request: HttpRequest, code: UUID, photo: UploadedFile = File(...)) -> Status:  # noqa: B008
    post = _post(request, code)
    clean = photos.clean_photo(photo, code="post.photo", field="photo")
    stored = services.post_add_photo(post=post, by=request.auth, photo=clean)
    return Status(201, _photo_out(request, post, stored))


@posts_router.get(
    "/{uuid:code}/photos/{uuid:photo}",
    response={**errors(401, 404)},
    url_name="post_photo",
    summary="One photo of a post",
    description="The image itself, for exactly those who may see the post. Never cached.",
    openapi_extra=photos.PHOTO_OPENAPI,
)
def get_photo(request: HttpRequest, code: UUID, photo: UUID) -> HttpResponse:
    stored = selectors.post_photo_for(post_code=code, photo_code=photo, viewer=request.auth)
    return photos.photo_response(stored)


@posts_router.post("/{uuid:code}/reactions", response={201: dict, **errors(401, 403, 404, 409, 422)}, summary="React")
def react(request: HttpRequest, code: UUID, payload: ReactIn) -> Status:
    reaction = services.post_react(post=_post(request, code), by=request.auth, kind=payload.kind)
    return Status(201, {"kind": reaction.kind})


@posts_router.post(
    "/{uuid:code}/reports", response={201: dict, **errors(401, 403, 404, 409, 422)}, summary="Report to coordinators"
)
def report(request: HttpRequest, code: UUID, payload: ReportIn) -> Status:
    services.post_report(post=_post(request, code), by=request.auth, reason=payload.reason)
    return Status(201, {"reported": True})


@posts_router.post(
    "/{uuid:code}/decision", response={200: PostOut, **errors(401, 403, 404, 409, 422)}, summary="Decide (coordinators)"
)
def decide(request: HttpRequest, code: UUID, payload: DecideIn) -> dict[str, Any]:
    post = services.post_decide(
        post=_post(request, code), by=request.auth, action=payload.action, reason=payload.reason
    )
    return _out(request, post)


@posts_router.post("/{uuid:code}/pin", response={200: PostOut, **errors(401, 403, 404, 409)}, summary="Pin or unpin")
def pin(request: HttpRequest, code: UUID, payload: PinIn) -> dict[str, Any]:
    return _out(request, services.post_pin(post=_post(request, code), by=request.auth, pinned=payload.pinned))


signals_router = Router(tags=["conversation"])
Signal = Literal["queue_growing", "queue_stale", "flags_rising"]


class SignalOut(Schema):
    community: str = Field(..., description="The community's public code.")
    name: str
    slug: str
    open_items: int = Field(..., description="Held posts plus published posts with an unresolved member report.")
    oldest_waiting_at: datetime | None
    entered_7d: int = Field(..., description="Posts that came into the queue in the last 7 days.")
    decided_7d: int = Field(..., description="Coordinator decisions in the last 7 days.")
    posts_14d: int = Field(..., description="Texts written in the last 14 days.")
    flagged_14d: int = Field(..., description="Of which the checks flagged.")
    flagged_before_14d: int = Field(..., description="Texts flagged in the 14 days before that.")
    open_appeals: int
    signals: dict[Signal, str] = Field(..., description="Per signal a short explanation (Accept-Language).")


@signals_router.get(
    "",
    response={200: list[SignalOut], **errors(401, 404)},
    summary="Communities whose conversation needs attention",
    description="For municipal staff (and admins): every community the municipality is a partner of, with its "
    "coordinators' queue, flagged texts and open appeals; communities with a signal first. Anybody else: 404.",
)
def signals(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "community": str(row.community.code),
            "name": row.community.name,
            "slug": row.community.slug,
            "open_items": row.activity.open_items,
            "oldest_waiting_at": row.activity.oldest_waiting_at,
            "entered_7d": row.activity.entered,
            "decided_7d": row.activity.decided,
            "posts_14d": row.activity.posts_recent,
            "flagged_14d": row.activity.flagged_recent,
            "flagged_before_14d": row.activity.flagged_before,
            "open_appeals": row.open_appeals,
            "signals": row.signals,
        }
        for row in selectors.community_signals(viewer=request.auth)
    ]
