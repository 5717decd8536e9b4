"""Reads of the community conversation: the stream, one post, the coordinators' queue."""

from typing import Any

from django.db.models import Count, Q, QuerySet

from samenveilig.communities import access as community_access
from samenveilig.communities.models import Community
from samenveilig.conversation.models import Post, PostStatus
from samenveilig.core.errors import NotFound
from samenveilig.core.permissions import Need

PAGE = 20


def _with_counts(qs: QuerySet[Post]) -> QuerySet[Post]:
    return qs.select_related("author", "organisation").annotate(
        thanks=Count("reactions", filter=Q(reactions__kind="bedankt"), distinct=True),
        seen=Count("reactions", filter=Q(reactions__kind="gezien"), distinct=True),
        reply_count=Count("replies", filter=Q(replies__status=PostStatus.PUBLISHED), distinct=True),
    )


def stream(*, community: Community, viewer: Any, before: int | None = None, limit: int = PAGE) -> list[Post]:
    """Published top-level posts, pinned first then newest first; `before` (a post id) pages back. Members and
    partner staff of the community (Need.VIEW)."""
    community_access.check_need(viewer, community, Need.VIEW)
    qs = Post.objects.filter(community=community, status=PostStatus.PUBLISHED, parent=None)
    if before is not None:
        qs = qs.filter(pk__lt=before, pinned_at=None)
    return list(_with_counts(qs).order_by("-pinned_at", "-published_at", "-pk")[:limit])


def replies(*, post: Post) -> list[Post]:
    return list(_with_counts(post.replies.filter(status=PostStatus.PUBLISHED)).order_by("published_at", "pk"))


def post_for(*, code: Any, viewer: Any) -> Post:
    """One post: a published one for whoever sees the stream; an unpublished one for its author and the
    coordinators only."""
    post = Post.objects.select_related("community", "author", "parent").filter(code=code).first()
    if post is None:
        raise NotFound()
    standing = community_access.check_need(viewer, post.community, Need.VIEW)
    if post.status == PostStatus.PUBLISHED:
        return post
    if post.author_id == getattr(viewer, "pk", None) or standing.grants(Need.MODERATE):
        return post
    raise NotFound()


def queue(*, community: Community, viewer: Any) -> list[Post]:
    """What waits for the coordinators: held posts and published posts that members reported, oldest first."""
    community_access.check_need(viewer, community, Need.MODERATE)
    qs = Post.objects.filter(community=community).filter(
        Q(status=PostStatus.HELD) | Q(status=PostStatus.PUBLISHED, member_reports__resolved_at__isnull=True)
    )
    return list(qs.select_related("author").prefetch_related("member_reports").distinct().order_by("created_at", "pk"))
