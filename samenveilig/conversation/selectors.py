"""Reads of the community conversation: the stream, one post, the coordinators' queue."""

from collections import defaultdict
from typing import Any
from uuid import UUID

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
    return _in(community, _with_counts(qs).order_by("-pinned_at", "-published_at", "-pk")[:limit])


def _in(community: Community, posts: Any) -> list[Post]:
    """The posts with their community set (the caller has it): no query per post for it or for the viewer's
    standing, which communities.access keeps on the community object."""
    found = list(posts)
    for post in found:
        post.community = community
    return found


def replies(*, post: Post) -> list[Post]:
    return replies_for(posts=[post]).get(post.pk, [])


def replies_for(*, posts: list[Post]) -> dict[int, list[Post]]:
    """The published replies of these posts (of one community), in one query, by the post they answer."""
    if not posts:
        return {}
    found = _with_counts(Post.objects.filter(parent__in=posts, status=PostStatus.PUBLISHED))
    by_parent: dict[int, list[Post]] = defaultdict(list)
    for reply in _in(posts[0].community, found.order_by("published_at", "pk")):
        by_parent[reply.parent_id].append(reply)
    return dict(by_parent)


def post_for(*, code: Any, viewer: Any) -> Post:
    """One post: a published one for whoever sees the stream; an unpublished one for its author and the
    coordinators only."""
    try:
        code = UUID(str(code))
    except ValueError as exc:
        raise NotFound() from exc
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
