"""The community conversation in the API: /api/v1/communities/{code}/posts and /api/v1/posts/{code} …

A flagged post is stored for its author only (status `prompted`) with `flags`, `reasons` and `suggestions` (the
kind prompt): revise it, withdraw it, or send it anyway (then `held`, for the coordinators)."""

from typing import Any, Literal
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from samenveilig.accounts.models import Organisation
from samenveilig.communities import access as community_access
from samenveilig.conversation import selectors, services
from samenveilig.conversation.models import Post
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


def _out(post: Post, viewer: Any) -> dict[str, Any]:
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
    }


def _post(request: HttpRequest, code: UUID) -> Post:
    return selectors.post_for(code=code, viewer=request.auth)


@router.get("/{uuid:community}/posts", response={200: list[PostOut], **errors(401, 403, 404)}, summary="The stream")
def list_posts(
    request: HttpRequest, community: UUID, before: int | None = Query(None), limit: int = Query(20, ge=1, le=100)
) -> list[dict[str, Any]]:
    found = community_access.access_community(request.auth, community, need=Need.VIEW)
    return [
        _out(p, request.auth)
        for p in selectors.stream(community=found, viewer=request.auth, before=before, limit=limit)
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
    return Status(201, _out(post, request.auth))


@router.get(
    "/{uuid:community}/queue", response={200: list[PostOut], **errors(401, 403, 404)}, summary="The coordinators' queue"
)
def list_queue(request: HttpRequest, community: UUID) -> list[dict[str, Any]]:
    found = community_access.access_community(request.auth, community, need=Need.MODERATE)
    return [_out(p, request.auth) for p in selectors.queue(community=found, viewer=request.auth)]


@posts_router.get("/{uuid:code}", response={200: PostOut, **errors(401, 404)}, summary="One post")
def get_post(request: HttpRequest, code: UUID) -> dict[str, Any]:
    return _out(_post(request, code), request.auth)


@posts_router.get("/{uuid:code}/replies", response={200: list[PostOut], **errors(401, 404)}, summary="Replies")
def list_replies(request: HttpRequest, code: UUID) -> list[dict[str, Any]]:
    return [_out(p, request.auth) for p in selectors.replies(post=_post(request, code))]


@posts_router.post("/{uuid:code}/revise", response={200: PostOut, **errors(401, 404, 409, 422)}, summary="Revise")
def revise(request: HttpRequest, code: UUID, payload: ReviseIn) -> dict[str, Any]:
    return _out(services.post_revise(post=_post(request, code), by=request.auth, text=payload.text), request.auth)


@posts_router.post("/{uuid:code}/withdraw", response={200: PostOut, **errors(401, 404, 409)}, summary="Withdraw")
def withdraw(request: HttpRequest, code: UUID) -> dict[str, Any]:
    return _out(services.post_withdraw(post=_post(request, code), by=request.auth), request.auth)


@posts_router.post(
    "/{uuid:code}/send-anyway", response={200: PostOut, **errors(401, 404, 409)}, summary="Send anyway (to the queue)"
)
def send_anyway(request: HttpRequest, code: UUID) -> dict[str, Any]:
    return _out(services.post_send_anyway(post=_post(request, code), by=request.auth), request.auth)


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
    return _out(post, request.auth)


@posts_router.post("/{uuid:code}/pin", response={200: PostOut, **errors(401, 403, 404, 409)}, summary="Pin or unpin")
def pin(request: HttpRequest, code: UUID, payload: PinIn) -> dict[str, Any]:
    return _out(services.post_pin(post=_post(request, code), by=request.auth, pinned=payload.pinned), request.auth)
