"""Reads of the community conversation: the stream, one post and its photos, the coordinators' queue, shared
reports, and the municipality's overview of conversations that need attention (signals)."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from samenveilig.accounts.models import StaffMembership
from samenveilig.communities import access as community_access
from samenveilig.communities.models import Community
from samenveilig.conversation.models import Post, PostEvent, PostKind, PostPhoto, PostReport, PostStatus
from samenveilig.core.errors import NotFound
from samenveilig.core.permissions import Need, OrganisationKind
from samenveilig.moderation import selectors as moderation_selectors

PAGE = 20


def _with_counts(qs: QuerySet[Post]) -> QuerySet[Post]:
    return (
        qs.select_related("author", "organisation")
        .prefetch_related("photos")
        .annotate(
            thanks=Count("reactions", filter=Q(reactions__kind="bedankt"), distinct=True),
            seen=Count("reactions", filter=Q(reactions__kind="gezien"), distinct=True),
            reply_count=Count("replies", filter=Q(replies__status=PostStatus.PUBLISHED), distinct=True),
        )
    )


def stream(*, community: Community, viewer: Any, before: int | None = None, limit: int = PAGE) -> list[Post]:
    """Published top-level posts, pinned first then newest first; `before` (a post id) pages back. Members and
    partner staff of the community (Need.VIEW)."""
    community_access.check_need(viewer, community, Need.VIEW)
    qs = Post.objects.filter(community=community, status=PostStatus.PUBLISHED, parent=None)
    if before is not None:
        qs = qs.filter(pk__lt=before, pinned_at=None)
    # Pinned first: NULLS LAST explicitly, since PostgreSQL sorts NULL first in a descending order and SQLite last.
    order = (F("pinned_at").desc(nulls_last=True), "-published_at", "-pk")
    return _in(community, _with_counts(qs).order_by(*order)[:limit])


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
    """One post, and the gate of everything in it (its photos too), for who may see it:

    - published (also when members reported it): whoever sees the stream (Need.VIEW: active members, partner staff);
    - waiting for its author (prompted, or a coordinator asked to rephrase): the author only;
    - held, withdrawn, rejected or removed: the author and the coordinators (Need.MODERATE).

    Anyone else gets NotFound, as for a post that does not exist."""
    try:
        code = UUID(str(code))
    except ValueError as exc:
        raise NotFound() from exc
    post = Post.objects.select_related("community", "author", "parent").filter(code=code).first()
    if post is None:
        raise NotFound()
    standing = community_access.check_need(viewer, post.community, Need.VIEW)
    if post.status == PostStatus.PUBLISHED or post.author_id == getattr(viewer, "pk", None):
        return post
    if post.status not in (PostStatus.PROMPTED, PostStatus.REPHRASE) and standing.grants(Need.MODERATE):
        return post
    raise NotFound()


def post_photo_for(*, post_code: Any, photo_code: Any, viewer: Any) -> PostPhoto:
    """One photo of a post, for exactly those who may see the post (post_for); else NotFound."""
    post = post_for(code=post_code, viewer=viewer)
    try:
        photo = post.photos.filter(code=UUID(str(photo_code))).first()
    except ValueError as exc:
        raise NotFound() from exc
    if photo is None:
        raise NotFound()
    photo.post = post
    return photo


def queue(*, community: Community, viewer: Any) -> list[Post]:
    """What waits for the coordinators: held posts and published posts that members reported, oldest first."""
    community_access.check_need(viewer, community, Need.MODERATE)
    reported = PostReport.objects.filter(resolved_at=None).values("post_id")  # not a join: unreported posts stay out
    qs = Post.objects.filter(community=community).filter(
        Q(status=PostStatus.HELD) | Q(status=PostStatus.PUBLISHED, pk__in=reported)
    )
    found = qs.select_related("author").prefetch_related("member_reports", "photos").distinct()
    return list(found.order_by("created_at", "pk"))


# --- activity for the municipality's overview (moderation.selectors.community_signals scopes it to the viewer) ------
@dataclass(frozen=True)
class QueueActivity:
    open_items: int = 0  # held posts plus published posts with an unresolved member report
    oldest_waiting_at: datetime | None = None
    entered: int = 0  # posts that came into the queue in the queue window
    decided: int = 0  # coordinator decisions in the queue window
    posts_recent: int = 0  # texts written in the flag window (posts, replies, shared reports)
    flagged_recent: int = 0  # of which the checks flagged
    flagged_before: int = 0  # flagged in the flag window before that


QUEUE_ENTRIES = ("send_anyway", "member_report", "share_held")


def queue_activity(
    *, community_ids: list[int], now: datetime, queue_window: timedelta, flag_window: timedelta
) -> dict[int, QueueActivity]:
    """Per community: the queue now, how it moved in the last `queue_window`, and how many texts the checks
    flagged in the last `flag_window` and in the one before. Three queries whatever the number of communities."""
    queue_since, since, before = now - queue_window, now - flag_window, now - 2 * flag_window
    held = Post.objects.filter(community_id__in=community_ids, status=PostStatus.HELD)
    reported = PostReport.objects.filter(
        post__community_id__in=community_ids, post__status=PostStatus.PUBLISHED, resolved_at=None
    )
    waiting: dict[int, list[datetime]] = defaultdict(list)
    open_posts: dict[int, set[int]] = defaultdict(set)
    for community_id, post_id, at in [
        *held.values_list("community_id", "pk", "created_at"),
        *reported.values_list("post__community_id", "post_id", "created_at"),
    ]:
        open_posts[community_id].add(post_id)
        waiting[community_id].append(at)
    events = PostEvent.objects.filter(post__community_id__in=community_ids, created_at__gte=min(before, queue_since))
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    rows = events.order_by().values_list("post__community_id", "action", "flags", "created_at")
    for community_id, action, flags, at in rows:
        tally = counts[community_id]
        if action == "create" and at >= before:  # every text is checked once on creation
            recent = at >= since
            tally["posts_recent"] += recent
            if flags:
                tally["flagged_recent" if recent else "flagged_before"] += 1
        elif at >= queue_since and action in QUEUE_ENTRIES:
            tally["entered"] += 1
        elif at >= queue_since and action.startswith("decide_"):
            tally["decided"] += 1
    return {
        community_id: QueueActivity(
            open_items=len(open_posts.get(community_id, ())),
            oldest_waiting_at=min(waiting[community_id]) if waiting.get(community_id) else None,
            **counts.get(community_id, {}),
        )
        for community_id in community_ids
    }


# --- shared reports (reports.access and reports.selectors ask whether the members may see a flagged report) ---------
def shared_report_codes(community: Community) -> QuerySet[Post]:
    """The codes of this community's reports that are published in its conversation (a subquery)."""
    return Post.objects.filter(community=community, kind=PostKind.REPORT, status=PostStatus.PUBLISHED).values(
        "subject_code"
    )


def shared_report_status(report_code: Any) -> str:
    """The status of a report's post in the conversation ("published", "held", "rejected", …), or "" if it has
    none (a report not routed to all members)."""
    found = Post.objects.filter(kind=PostKind.REPORT, subject_code=report_code).values_list("status", flat=True)
    return found.first() or ""


def shared_report_published(report_code: Any) -> bool:
    return shared_report_status(report_code) == PostStatus.PUBLISHED


# --- signals on the municipality's overview ---------------------------------------------------------------------------
# When a community's conversation needs attention from outside (DESIGN §3 E, I; handbook 3.3: a group that quarrels
# or gets out of hand falls apart). Deliberately simple thresholds, documented in docs/moderation.md; the monitor
# (DESIGN §3 I) will build on them.
SIGNAL_WINDOW = timedelta(days=7)  # the queue: inflow and decisions over the last week
FLAG_WINDOW = timedelta(days=14)  # flags: the last two weeks against the two weeks before
QUEUE_MIN_OPEN = 3  # a queue "grows" from this many open items, when more came in than were decided
QUEUE_STALE = timedelta(hours=72)  # an item waiting longer than this is a signal on its own
FLAGS_MIN = 3  # flags "rise" from this many flagged texts, when at least twice as many as before
FLAGS_FACTOR = 2


@dataclass(frozen=True)
class CommunitySignal:
    community: Community
    activity: QueueActivity
    open_appeals: int
    signals: dict[str, str] = field(default_factory=dict)  # code → Dutch explanation


def overview_communities(viewer: Any) -> list[Community]:
    """The communities whose conversations this person oversees: every community for an admin, the communities
    their municipality is a partner of for municipal staff; anybody else has no overview (NotFound)."""
    if getattr(viewer, "is_superuser", False):
        return list(Community.objects.order_by("name"))
    municipal = StaffMembership.objects.filter(user=viewer, organisation__kind=OrganisationKind.MUNICIPALITY)
    if not getattr(viewer, "is_authenticated", False) or not municipal.exists():
        raise NotFound()
    return list(
        Community.objects.filter(partnership__organisation__in=municipal.values("organisation"))
        .distinct()
        .order_by("name")
    )


def _signals(activity: QueueActivity, now: datetime) -> dict[str, str]:
    found: dict[str, str] = {}
    if activity.open_items >= QUEUE_MIN_OPEN and activity.entered > activity.decided:
        found["queue_growing"] = _(
            "%(open)s posts are waiting; in the last 7 days %(entered)s came in and %(decided)s were decided."
        ) % {"open": activity.open_items, "entered": activity.entered, "decided": activity.decided}
    if activity.oldest_waiting_at is not None and now - activity.oldest_waiting_at > QUEUE_STALE:
        days = (now - activity.oldest_waiting_at).days
        found["queue_stale"] = ngettext(
            "The oldest post has been waiting for a coordinator for %(days)s day.",
            "The oldest post has been waiting for a coordinator for %(days)s days.",
            days,
        ) % {"days": days}
    if activity.flagged_recent >= FLAGS_MIN and activity.flagged_recent >= FLAGS_FACTOR * activity.flagged_before:
        found["flags_rising"] = _(
            "The checks flagged %(recent)s texts in the last 14 days, against %(before)s in the 14 days before."
        ) % {"recent": activity.flagged_recent, "before": activity.flagged_before}
    return found


def community_signals(*, viewer: Any, now: datetime | None = None) -> list[CommunitySignal]:
    """Every community the person oversees with its queue, flags and open appeals; those with a signal first."""
    now = now or timezone.now()
    communities = overview_communities(viewer)
    ids = [c.pk for c in communities]
    activity = queue_activity(community_ids=ids, now=now, queue_window=SIGNAL_WINDOW, flag_window=FLAG_WINDOW)
    appeals = moderation_selectors.open_appeal_counts(ids)
    rows = [
        CommunitySignal(
            community=community,
            activity=activity[community.pk],
            open_appeals=appeals.get(community.pk, 0),
            signals=_signals(activity[community.pk], now),
        )
        for community in communities
    ]
    return sorted(rows, key=lambda row: (not row.signals, -len(row.signals), row.community.name))
