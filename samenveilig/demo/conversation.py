"""The demo communities' conversations: every shared report and partner feedback of the year of reports (read from
the rows demo.reports wrote, so this runs after it), eight weeks of members' messages, replies, reactions and
voorlichting in the communities in phase 3-4 and some in phase 2, and the moderation and conduct history behind them.

Planned with random generators seeded from the demo seed (relative to the build's `now`), then written in bulk,
keeping the rules of conversation.services and moderation.services:

- every text's flags and reasons are what moderation.checks says about it (a voorlichting's text with its
  perspective, as the service checks them); a clean post is published at once, a flagged one waits for its author,
  who revises it (checked again), withdraws it or sends it anyway (HELD), after which a coordinator decides;
- every step is a PostEvent with its actor, the status it led to and the flags at that moment, backdated;
- a report routed to all members is shared once (kind "report", no author, its stored flags), a partner's feedback
  to the community on such a report becomes a "feedback" post by that partner;
- conduct steps are taken by a coordinator, a request before a warning, and an appeal is decided by someone else;
  each with the audit event moderation.services writes.

The municipality's overview (conversation.selectors.community_signals) gets one community of each signal: the demo
coordinator's watch with a growing queue, one with a post waiting longer than 72 hours, one where flags rise; the
other communities are quiet (everything decided, few flags lately).
"""

import bisect
import math
import random
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from samenveilig.accounts.models import Organisation, User
from samenveilig.communities.models import Community, CommunityKind, Membership, MembershipStatus
from samenveilig.conversation.models import (
    Post,
    PostEvent,
    PostKind,
    PostReport,
    PostStatus,
    Reaction,
    ReactionKind,
)
from samenveilig.conversation.services import MAX_POST
from samenveilig.core.models import AuditEvent
from samenveilig.core.permissions import OrganisationKind, Role
from samenveilig.demo import conversation_texts as t
from samenveilig.demo import report_texts
from samenveilig.demo.reports import _explicit_dates
from samenveilig.moderation.checks import check_text
from samenveilig.moderation.models import Appeal, AppealOutcome, ConductStep, StepKind
from samenveilig.reports.models import Audience, Feedback, Report

WINDOW_DAYS = 56  # members' messages: the last eight weeks
BATCH = 1000
# Weight per hour of the day (0-23) of members' messages: the morning, the afternoon and above all the evening.
HOURS = [0.2, 0.1, 0.1, 0, 0, 0, 0.3, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2.5, 3, 4, 4.5, 4, 2.5, 1]
# Reactions per post, as a share of the members who could react.
REACTION_SHARE = {PostKind.MESSAGE: 0.06, PostKind.VOORLICHTING: 0.1, PostKind.REPORT: 0.04, PostKind.FEEDBACK: 0.06}
THANKS_WEIGHT = {PostKind.MESSAGE: 0.5, PostKind.VOORLICHTING: 0.75, PostKind.REPORT: 0.25, PostKind.FEEDBACK: 0.8}


@dataclass
class EventPlan:
    action: str
    at: datetime
    actor: int | None  # person index
    status_to: str
    flags: list[str]
    reason: str = ""


@dataclass
class MemberReportPlan:
    reporter: int
    reason: str
    at: datetime
    resolved: datetime | None = None


@dataclass
class PostPlan:
    code: uuid.UUID
    community: int  # index in plan.communities
    kind: str
    created: datetime
    text: str
    author: int | None  # person index; None for a shared report
    status: str = PostStatus.PUBLISHED
    flags: list[str] = field(default_factory=list)
    reasons: dict[str, str] = field(default_factory=dict)
    org: int | None = None  # organisation index
    perspective: str = ""
    subject_code: uuid.UUID | None = None
    parent: "PostPlan | None" = None
    published: datetime | None = None
    pinned: datetime | None = None
    events: list[EventPlan] = field(default_factory=list)
    reactions: dict[tuple[int, str], datetime] = field(default_factory=dict)  # (person, kind) -> when
    member_reports: list[MemberReportPlan] = field(default_factory=list)
    # Planning only: the flag a scripted example is about, and what its author would write instead.
    flag: str = ""
    revision: str = ""


@dataclass
class AppealPlan:
    text: str
    at: datetime
    outcome: str = ""
    decision: str = ""
    decided_by: int | None = None
    decided_at: datetime | None = None


@dataclass
class StepPlan:
    community: int
    person: int
    kind: str
    message: str
    post_code: uuid.UUID | None
    taken_by: int
    at: datetime
    appeal: AppealPlan | None = None


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


class Conversations:
    """Plans and writes the conversations of a built demo (the Plan, and the rows already written)."""

    def __init__(self, plan: Any, users: list[User], organisations: list[Organisation], communities: list[Community]):
        self.plan, self.users, self.organisations, self.communities = plan, users, organisations, communities
        self.now: datetime = plan.now
        self.start = self.now - timedelta(days=WINDOW_DAYS)
        self.rng = random.Random(f"{plan.seed}-conversation")
        self.ids = random.Random(f"{plan.seed}-conversation-ids")
        self.posts: list[PostPlan] = []
        self.steps: list[StepPlan] = []
        self.verdicts: dict[str, tuple[list[str], dict[str, str]]] = {}  # the templates repeat: check each text once
        logins = {p.local: i for i, p in enumerate(plan.people) if "." not in p.local}
        self.coordinator, self.resident = logins["coordinator"], logins["bewoner"]
        self.facilitator = logins["procesbegeleider"]
        self.personas = {self.coordinator, self.resident, logins["initiatiefnemer"]}
        self.person_of = {u.pk: i for i, u in enumerate(users)}
        self.index_of = {c.pk: i for i, c in enumerate(communities)}
        # Who may write and react, by when they joined (for a quick "members by then").
        self.joined: list[list[tuple[datetime, int]]] = [
            sorted(
                (m.joined, m.person)
                for m in cp.members
                if m.status == MembershipStatus.ACTIVE and m.role != Role.FACILITATOR
            )
            for cp in plan.communities
        ]
        self.streets = [
            sorted({s.name for code in sorted(cp.home_buurten) for s in plan.streets.get(code, [])})
            for cp in plan.communities
        ]

    # Who -------------------------------------------------------------------------------------------------------------
    def _members(self, index: int, at: datetime, *, exclude: set[int] | frozenset[int] = frozenset()) -> list[int]:
        joined = self.joined[index]
        found = [person for _when, person in joined[: bisect.bisect_left(joined, (at, -1))]]
        return [p for p in found if p not in exclude]

    def _role(self, index: int, role: str) -> list[int]:
        cp = self.plan.communities[index]
        return [m.person for m in cp.members if m.role == role and m.status == MembershipStatus.ACTIVE]

    def _writers(self, index: int, at: datetime, count: int) -> list[int]:
        """`count` different participants (not coordinators, not the demo logins) who were members by `at`; the
        authors of the flagged posts and the members of the conduct steps."""
        skip = self.personas | set(self._role(index, Role.COORDINATOR))
        pool = self._members(index, at, exclude=skip) or self._members(index, self.now, exclude=skip)
        return self.rng.sample(pool, min(count, len(pool)))

    def _cast(self, index: int, at: datetime, count: int) -> list[int]:
        """`count` writers for a scripted story; in a very small community one person may play two parts."""
        found = self._writers(index, at, count)
        return [found[i % len(found)] for i in range(count)]

    def _decider(self, index: int) -> int:
        coordinators = self._role(index, Role.COORDINATOR)
        if self.coordinator in coordinators and self.rng.random() < 0.8:
            return self.coordinator
        return self.rng.choice(coordinators)

    def _fill(self, index: int, template: str) -> str:
        streets = self.streets[index] or ["Marktstraat"]
        return template.format(
            straat=self.rng.choice(streets), plek=self.rng.choice(report_texts.PLACES), dag=self.rng.choice(t.DAYS)
        )

    # When ------------------------------------------------------------------------------------------------------------
    def _moment(self, low: datetime, high: datetime) -> datetime:
        """A moment between `low` and `high`, at an hour people write."""
        rng = self.rng
        high = min(high, self.now - timedelta(minutes=10))
        day = low + timedelta(days=rng.randint(0, max(0, (high - low).days)))
        hour = rng.choices(range(24), weights=HOURS)[0]
        return min(max(day.replace(hour=hour, minute=rng.randrange(60), second=rng.randrange(60)), low), high)

    def _after(self, after: datetime, low: timedelta, high: timedelta) -> datetime:
        """A moment `low` to `high` after `after` (log-uniform), and never later than just before now."""
        seconds = math.exp(self.rng.uniform(math.log(max(low.total_seconds(), 30)), math.log(high.total_seconds())))
        return max(after, min(after + timedelta(seconds=seconds), self.now - timedelta(minutes=1)))

    # The rules of conversation.services, one step each -------------------------------------------------------------
    def _checked(self, text: str, perspective: str = "") -> tuple[list[str], dict[str, str]]:
        """The flags and reasons of a text as conversation.services stores them (the perspective checked with it)."""
        checked = f"{text}\n{perspective}".strip()
        if checked not in self.verdicts:
            verdict = check_text(checked)
            self.verdicts[checked] = (list(verdict.flags), dict(verdict.reasons))
        flags, reasons = self.verdicts[checked]
        return list(flags), dict(reasons)

    def _post(
        self,
        index: int,
        *,
        author: int,
        created: datetime,
        text: str,
        kind: str = PostKind.MESSAGE,
        org: int | None = None,
        perspective: str = "",
        parent: PostPlan | None = None,
    ) -> PostPlan:
        flags, reasons = self._checked(text, perspective)
        p = PostPlan(
            code=_uuid(self.ids), community=index, kind=kind, created=created, text=text, author=author,
            flags=flags, reasons=reasons, org=org, perspective=perspective, parent=parent,
            status=PostStatus.PROMPTED if flags else PostStatus.PUBLISHED, published=None if flags else created,
        )  # fmt: skip
        self._event(p, "create", created, author)
        self.posts.append(p)
        return p

    @staticmethod
    def _event(p: PostPlan, action: str, at: datetime, actor: int | None, reason: str = "") -> None:
        p.events.append(EventPlan(action, at, actor, p.status, list(p.flags), reason))

    def _revise(self, p: PostPlan, at: datetime, text: str) -> None:
        assert p.status in (PostStatus.PROMPTED, PostStatus.REPHRASE), p.status  # noqa: S101 - a planning error
        p.text = text
        p.flags, p.reasons = self._checked(text, p.perspective)
        p.status = PostStatus.PROMPTED if p.flags else PostStatus.PUBLISHED
        p.published = None if p.flags else at
        self._event(p, "revise", at, p.author)

    def _withdraw(self, p: PostPlan, at: datetime) -> None:
        assert p.status in (PostStatus.PROMPTED, PostStatus.REPHRASE, PostStatus.HELD), p.status  # noqa: S101
        p.status = PostStatus.WITHDRAWN
        self._event(p, "withdraw", at, p.author)

    def _send_anyway(self, p: PostPlan, at: datetime) -> None:
        assert p.status == PostStatus.PROMPTED, p.status  # noqa: S101 - a planning error
        p.status = PostStatus.HELD
        self._event(p, "send_anyway", at, p.author)

    def _member_report(self, p: PostPlan, at: datetime, by: int, reason: str) -> None:
        assert p.status == PostStatus.PUBLISHED, p.status  # noqa: S101 - a planning error
        p.member_reports.append(MemberReportPlan(by, reason, at))
        p.events.append(EventPlan("member_report", at, by, "", list(p.flags), reason))  # no new status

    def _decide(self, p: PostPlan, at: datetime, by: int, action: str, reason: str = "") -> None:
        """A coordinator's decision on a held post, or on a published post that members reported."""
        reported = any(r.resolved is None for r in p.member_reports)
        if p.status == PostStatus.HELD:
            p.status = {
                "publish": PostStatus.PUBLISHED,
                "reject": PostStatus.REJECTED,
                "rephrase": PostStatus.REPHRASE,
            }[action]
            if action == "publish":
                p.published = at
        else:
            assert p.status == PostStatus.PUBLISHED and reported and action != "rephrase"  # noqa: S101
            if action == "reject":
                p.status = PostStatus.REMOVED
        for r in p.member_reports:
            r.resolved = r.resolved or at
        self._event(p, f"decide_{action}", at, by, reason)

    def _pin(self, p: PostPlan, at: datetime, by: int) -> None:
        assert p.status == PostStatus.PUBLISHED and p.parent is None, p.status  # noqa: S101 - a planning error
        p.pinned = at
        self._event(p, "pin", at, by)

    def _step(self, index: int, person: int, kind: str, at: datetime, by: int, post: PostPlan | None) -> StepPlan:
        first_name = self.plan.people[person].first
        step = StepPlan(index, person, kind, t.STEP_MESSAGES[kind].format(name=first_name),
                        post.code if post else None, by, at)  # fmt: skip
        self.steps.append(step)
        return step

    # Planning --------------------------------------------------------------------------------------------------------
    def plan_posts(self) -> None:
        self._shared()
        levels = self._levels()
        growing, stale, rising, waiting = self._roles(levels)
        for index, level in enumerate(levels):
            if level:
                self._stream(index, level)
        for index, level in enumerate(levels):
            if not level:
                continue
            # The quiet history is older than the flag windows where a signal depends on it.
            latest = self.now - timedelta(days=29 if index == rising else 15)
            self._history(index, latest, recent=index not in (growing, stale, rising, waiting))
        self._growing_queue(growing)
        self._stale_queue(stale)
        self._rising_flags(rising)
        self._waiting_for_author(waiting)
        self._reactions()

    def _shared(self) -> None:
        """A post for every report routed to all members (as reports.services._route shares it, with the report's
        own flags), and for every partner's feedback to the community on such a report."""
        shared = (
            Report.objects.filter(community__in=self.communities, routes__audience=Audience.MEMBERS)
            .distinct()
            .order_by("created_at", "code")
            .values_list("code", "community_id", "what", "flags", "reasons", "created_at")
        )
        for code, community_id, what, flags, reasons, created in shared:
            held = bool(flags)
            p = PostPlan(
                code=_uuid(self.ids), community=self.index_of[community_id], kind=PostKind.REPORT, created=created,
                text=what[:MAX_POST], author=None, status=PostStatus.HELD if held else PostStatus.PUBLISHED,
                flags=list(flags), reasons=dict(reasons), subject_code=code, published=None if held else created,
            )  # fmt: skip
            self._event(p, "share_held" if held else "share", created, None)
            self.posts.append(p)
        org_of = {o.pk: i for i, o in enumerate(self.organisations)}
        feedback = (
            Feedback.objects.filter(report__community__in=self.communities, report__routes__audience=Audience.MEMBERS)
            .exclude(to_community="")
            .distinct()
            .order_by("created_at", "code")
            .values_list("report__code", "report__community_id", "author_id", "organisation_id", "to_community",
                         "created_at")
        )  # fmt: skip
        for report_code, community_id, author_id, org_id, text, created in feedback:
            author = self.person_of[author_id]
            p = PostPlan(
                code=_uuid(self.ids), community=self.index_of[community_id], kind=PostKind.FEEDBACK, created=created,
                text=text[:MAX_POST], author=author, org=org_of[org_id], subject_code=report_code, published=created,
            )  # fmt: skip
            self._event(p, "share", created, author)
            self.posts.append(p)

    def _levels(self) -> list[float]:
        """How lively each community's conversation is: every community in phase 3-4, half of those in phase 2
        (always those of the demo logins, and the resident's own watch), none while a community is being founded."""
        levels = []
        for cp in self.plan.communities:
            here = {m.person for m in cp.members if m.status == MembershipStatus.ACTIVE}
            if cp.phase >= 3:
                level = 1.0
            elif cp.phase == 2 and (here & self.personas or self.rng.random() < 0.5):
                level = 0.6
            else:
                level = 0.0
            levels.append(level)
        for index in (self._home_watch(), self._coordinators_watch()):
            levels[index] = max(levels[index], 0.6)
        return levels

    def _home_watch(self) -> int:
        return next(
            i
            for i, cp in enumerate(self.plan.communities)
            if cp.kind == CommunityKind.WHATSAPP
            and any(m.person == self.resident and m.status == MembershipStatus.ACTIVE for m in cp.members)
        )

    def _coordinators_watch(self) -> int:
        return next(
            i
            for i, cp in enumerate(self.plan.communities)
            if any(m.person == self.coordinator and m.role == Role.COORDINATOR for m in cp.members)
        )

    def _roles(self, levels: list[float]) -> tuple[int, int, int, int]:
        """The communities that show a signal (growing queue, stale queue, rising flags) and the one where a post
        waits for its author. The stale one is facilitated by the demo procesbegeleider, who sees its open appeal."""
        growing, home = self._coordinators_watch(), self._home_watch()
        candidates = [
            i
            for i, level in enumerate(levels)
            if level and self.plan.communities[i].phase >= 3 and i not in (growing, home)
        ]
        facilitated = [i for i in candidates if self.facilitator in self._role(i, Role.FACILITATOR)]
        stale = self.rng.choice(facilitated or candidates)
        rising = self.rng.choice([i for i in candidates if i != stale])
        waiting = self.rng.choice([i for i in candidates if i not in (stale, rising)] or [home])
        return growing, stale, rising, waiting

    def _stream(self, index: int, level: float) -> None:
        """Pinned posts, members' messages with replies, voorlichting, and replies to recent shared reports."""
        rng, cp = self.rng, self.plan.communities[index]
        earliest = max(self.start, cp.founded + timedelta(days=1))
        coordinators = self._role(index, Role.COORDINATOR)
        # Pinned by a coordinator: the house rules in short (from before the window), sometimes the evening rounds.
        coordinator = rng.choice(coordinators)
        low = max(cp.founded + timedelta(days=1), self.start - timedelta(days=40))
        created = self._moment(low, max(low + timedelta(hours=1), self.start))
        welcome = self._post(index, author=coordinator, created=created, text=self._fill(index, t.PINNED[0]))
        self._pin(welcome, created + timedelta(minutes=rng.randint(1, 30)), coordinator)
        if rng.random() < 0.5:
            created = self._moment(earliest, self.now - timedelta(days=7))
            rounds = self._post(index, author=coordinator, created=created, text=self._fill(index, t.PINNED[1]))
            self._pin(rounds, created + timedelta(minutes=rng.randint(1, 30)), rng.choice(coordinators))
        # Members' messages, from the more and the less active members.
        members = [person for _joined, person in self.joined[index]]
        activity = {person: rng.expovariate(1.0) for person in members}
        for _ in range(round(level * (4 + 2.2 * math.sqrt(len(members))))):
            created = self._moment(earliest, self.now)
            authors = self._members(index, created)
            if not authors:
                continue
            author = rng.choices(authors, weights=[activity[p] + 0.05 for p in authors])[0]
            p = self._post(index, author=author, created=created, text=self._fill(index, rng.choice(t.MESSAGES)))
            if p.status != PostStatus.PUBLISHED:  # flagged after all (the checks changed): its author withdrew it
                self._withdraw(p, self._after(created, timedelta(minutes=1), timedelta(minutes=20)))
                continue
            self._replies(p, rng.choices([0, 1, 2, 3], weights=[45, 30, 15, 10])[0])
        # Voorlichting by the partners' staff, with what people can do.
        for _ in range(round(level * rng.randint(1, 3))):
            self._voorlichting(index, self._moment(earliest, self.now))
        # Now and then a member replies to a shared report.
        for p in [p for p in self.posts if p.community == index and p.kind == PostKind.REPORT]:
            if p.status == PostStatus.PUBLISHED and p.created >= self.start and rng.random() < 0.25:
                self._replies(p, 1)

    def _replies(self, parent: PostPlan, count: int) -> None:
        for _ in range(count):
            created = self._after(parent.published, timedelta(minutes=10), timedelta(days=2))
            authors = self._members(parent.community, created, exclude={parent.author})
            if not authors:
                return
            text = self._fill(parent.community, self.rng.choice(t.REPLIES))
            reply = self._post(parent.community, author=self.rng.choice(authors), created=created, text=text,
                               parent=parent)  # fmt: skip
            if reply.status != PostStatus.PUBLISHED:
                self._withdraw(reply, self._after(created, timedelta(minutes=1), timedelta(minutes=20)))

    def _voorlichting(self, index: int, created: datetime) -> None:
        plan, cp = self.plan, self.plan.communities[index]
        partners = [
            i for i, o in enumerate(plan.organisations) if type(plan).partner_of(o, cp) and o.kind in t.VOORLICHTING
        ]
        if not partners:
            return
        org = self.rng.choice(partners)
        org_plan = plan.organisations[org]
        staff = [person for person, _title in org_plan.staff]
        if org_plan.kind == OrganisationKind.POLICE:  # the wijkagent of the community's wijk
            wijk = next(w for w, wp in enumerate(plan.wijken) if {b.code for b in wp.buurten} & cp.home_buurten)
            author = staff[wijk]
        else:
            author = staff[0] if self.rng.random() < 0.7 else self.rng.choice(staff)
        text, perspective = self.rng.choice(t.VOORLICHTING[org_plan.kind])
        p = self._post(
            index, author=author, created=created, kind=PostKind.VOORLICHTING, org=org,
            text=self._fill(index, text), perspective=perspective,
        )  # fmt: skip
        if p.status != PostStatus.PUBLISHED:
            self._withdraw(p, self._after(created, timedelta(minutes=1), timedelta(minutes=20)))

    def _flagged(self, index: int, created: datetime, author: int, number: int | None = None) -> PostPlan:
        """A flagged post (t.FLAGGED[number], or one at random); returns it waiting for its author (PROMPTED), or
        published when the checks do not flag it after all."""
        flag, text, revised = t.FLAGGED[number] if number is not None else self.rng.choice(t.FLAGGED)
        p = self._post(index, author=author, created=created, text=self._fill(index, text))
        p.flag, p.revision = flag, self._fill(index, revised) if revised else ""
        return p

    def _history(self, index: int, latest: datetime, *, recent: bool) -> None:
        """What moderation did in a community with a conversation, up to `latest`: flagged posts revised, withdrawn,
        or sent anyway and decided; sometimes a post worth publishing anyway, or one that members reported. All
        decided. A quiet community may have one more flagged post in the last two weeks (`recent`): no signal yet."""
        rng, cp = self.rng, self.plan.communities[index]
        earliest = max(self.start, cp.founded + timedelta(days=1))
        moments = [self._moment(earliest, latest) for _ in range(rng.choice([1, 2, 2, 3]))]
        if recent and rng.random() < 0.4:
            moments.append(self._moment(self.now - timedelta(days=12), self.now - timedelta(days=2)))
        for created in moments:
            writers = self._writers(index, created, 1)
            if not writers:
                continue
            p = self._flagged(index, created, writers[0])
            if p.status != PostStatus.PROMPTED:
                continue
            paths = ["revise", "withdraw", "reject", "rephrase"]
            path = rng.choices(paths, weights=[40, 25, 25, 10] if p.revision else [0, 55, 45, 0])[0]
            thought = self._after(created, timedelta(minutes=1), timedelta(minutes=30))
            if path == "revise":
                self._revise(p, thought, p.revision)
            elif path == "withdraw":
                self._withdraw(p, thought)
            else:
                self._send_anyway(p, thought)
                decided = self._after(thought, timedelta(hours=1), timedelta(hours=30))
                if path == "reject":
                    self._decide(p, decided, self._decider(index), "reject", t.REJECT_REASONS[p.flag])
                else:
                    self._decide(p, decided, self._decider(index), "rephrase", t.REPHRASE_REASONS[p.flag])
                    self._revise(p, self._after(decided, timedelta(minutes=20), timedelta(hours=12)), p.revision)
        if rng.random() < 0.4:  # flagged, but worth publishing: the author sent it anyway, a coordinator published it
            created = self._moment(earliest, latest)
            for author in self._writers(index, created, 1):
                p = self._post(
                    index, author=author, created=created, text=self._fill(index, rng.choice(t.PUBLISHED_ANYWAY))
                )
                if p.status == PostStatus.PROMPTED:
                    sent = self._after(created, timedelta(minutes=1), timedelta(minutes=15))
                    self._send_anyway(p, sent)
                    decided = self._after(sent, timedelta(hours=1), timedelta(hours=20))
                    self._decide(p, decided, self._decider(index), "publish", rng.choice(t.PUBLISH_REASONS))
        if rng.random() < 0.3:  # published, reported by members, kept or removed
            created = self._moment(earliest, latest)
            self._reported(index, created, reporters=rng.randint(1, 2), decide=rng.choice(["publish", "reject"]))

    def _reported(self, index: int, created: datetime, *, reporters: int, decide: str | None,
                  report_after: timedelta = timedelta(hours=2)) -> None:  # fmt: skip
        """A published post that members reported to the coordinators; decided (`decide`) or still open."""
        writers = self._writers(index, created, 1)
        if not writers:
            return
        p = self._post(index, author=writers[0], created=created, text=self._fill(index, self.rng.choice(t.REPORTED)))
        if p.status != PostStatus.PUBLISHED:
            self._withdraw(p, self._after(created, timedelta(minutes=1), timedelta(minutes=20)))
            return
        at = created
        pool = self._members(index, created, exclude={p.author, *self._role(index, Role.COORDINATOR)})
        for reporter in self.rng.sample(pool, min(reporters, len(pool))):
            at = self._after(at, report_after / 2, report_after)
            self._member_report(p, at, reporter, self.rng.choice(t.REPORT_REASONS))
        if decide and p.member_reports:
            decided = self._after(at, timedelta(hours=1), timedelta(hours=20))
            reason = t.KEEP_REASON if decide == "publish" else t.REJECT_REASONS["reported"]
            self._decide(p, decided, self._decider(index), decide, reason)

    # The overview's signals ------------------------------------------------------------------------------------------
    def _growing_queue(self, index: int) -> None:
        """The demo coordinator's watch: two posts sent anyway and one reported by two members wait for a decision
        (all younger than 72 hours at the build); more came in this week than were decided (one reported post,
        removed)."""
        now = self.now
        created = now - timedelta(hours=30, minutes=self.rng.randrange(60))
        author, second = self._cast(index, now - timedelta(days=6), 2)
        p = self._flagged(index, created, author, number=0)
        if p.status == PostStatus.PROMPTED:
            self._send_anyway(p, created + timedelta(minutes=4))
        created = now - timedelta(hours=7, minutes=self.rng.randrange(60))
        p = self._post(index, author=second, created=created, text=self._fill(index, t.PUBLISHED_ANYWAY[1]))
        if p.status == PostStatus.PROMPTED:
            self._send_anyway(p, created + timedelta(minutes=2))
        self._reported(index, now - timedelta(hours=20), reporters=2, decide=None, report_after=timedelta(hours=5))
        self._reported(index, now - timedelta(days=5, hours=2), reporters=1, decide="reject")

    def _stale_queue(self, index: int) -> None:
        """A post sent anyway five days ago that no coordinator has decided on yet, a reported post of two days ago,
        and a member who appealed a request (open: the demo procesbegeleider may decide it)."""
        now = self.now
        created = now - timedelta(days=5, hours=3)
        author, member = self._cast(index, now - timedelta(days=21), 2)
        p = self._flagged(index, created, author, number=0)
        if p.status == PostStatus.PROMPTED:
            self._send_anyway(p, created + timedelta(minutes=10))
        self._reported(index, now - timedelta(days=2, hours=4), reporters=1, decide=None)
        # The request and its open appeal.
        created = now - timedelta(days=20, hours=2)
        p = self._flagged(index, created, member, number=1)
        if p.status == PostStatus.PROMPTED:
            self._send_anyway(p, created + timedelta(minutes=5))
            coordinator = self._decider(index)
            decided = created + timedelta(hours=20)
            self._decide(p, decided, coordinator, "reject", t.REJECT_REASONS[p.flag])
            step = self._step(index, member, StepKind.REQUEST, decided + timedelta(hours=1), coordinator, p)
            step.appeal = AppealPlan(t.APPEALS[0], step.at + timedelta(days=1, hours=3))

    def _rising_flags(self, index: int) -> None:
        """Five flagged texts in the last two weeks (none in the two before), all dealt with: one member got a
        request, another a request and then a warning, which they appealed; the facilitator upheld it."""
        now = self.now
        first, second, third, fourth = self._cast(index, now - timedelta(days=14), 4)
        coordinator = self._decider(index)
        # A request for the first.
        created = now - timedelta(days=12, hours=3)
        p = self._flagged(index, created, first, number=3)
        if p.status == PostStatus.PROMPTED:
            self._send_anyway(p, created + timedelta(minutes=3))
            self._decide(p, created + timedelta(hours=5), coordinator, "reject", t.REJECT_REASONS[p.flag])
            self._step(index, first, StepKind.REQUEST, created + timedelta(hours=6), coordinator, p)
        # A request, then a warning, for the second; their appeal of the warning is upheld by the facilitator.
        created = now - timedelta(days=9, hours=2)
        p = self._flagged(index, created, second, number=5)
        if p.status == PostStatus.PROMPTED:
            self._send_anyway(p, created + timedelta(minutes=2))
            self._decide(p, created + timedelta(hours=3), coordinator, "reject", t.REJECT_REASONS[p.flag])
            self._step(index, second, StepKind.REQUEST, created + timedelta(hours=4), coordinator, p)
            created = now - timedelta(days=4, hours=5)
            again = self._flagged(index, created, second, number=2)
            if again.status == PostStatus.PROMPTED:
                self._send_anyway(again, created + timedelta(minutes=1))
                decided = created + timedelta(hours=2)
                self._decide(again, decided, coordinator, "reject", t.REJECT_REASONS[again.flag])
                step = self._step(index, second, StepKind.WARNING, decided + timedelta(minutes=30), coordinator, again)
                appeal = AppealPlan(t.APPEALS[1], step.at + timedelta(days=1))
                facilitator = self._role(index, Role.FACILITATOR)[0]
                appeal.outcome, appeal.decision = AppealOutcome.UPHELD, t.APPEAL_DECISIONS[AppealOutcome.UPHELD]
                appeal.decided_by, appeal.decided_at = facilitator, appeal.at + timedelta(days=1, hours=2)
                step.appeal = appeal
        # Two more: one withdrawn by its author, one sent anyway that a coordinator asked to rephrase (and it was).
        created = now - timedelta(days=6, hours=1)
        p = self._flagged(index, created, third, number=8)
        if p.status == PostStatus.PROMPTED:
            self._withdraw(p, created + timedelta(minutes=6))
        created = now - timedelta(days=2, hours=4)
        p = self._flagged(index, created, fourth, number=6)
        if p.status == PostStatus.PROMPTED:
            self._send_anyway(p, created + timedelta(minutes=3))
            self._decide(p, created + timedelta(hours=2), coordinator, "rephrase", t.REPHRASE_REASONS[p.flag])
            self._revise(p, created + timedelta(hours=3, minutes=12), p.revision)

    def _waiting_for_author(self, index: int) -> None:
        """A post the checks flagged a few hours ago: only its author sees it, with the kind prompt."""
        created = self.now - timedelta(hours=3, minutes=self.rng.randrange(60))
        for author in self._writers(index, created, 1):
            self._flagged(index, created, author, number=4)

    # Reactions -------------------------------------------------------------------------------------------------------
    def _reactions(self) -> None:
        """ "bedankt" and "gezien" from members, on published posts, within two days."""
        rng = self.rng
        for p in self.posts:
            if p.published is None or p.status not in (PostStatus.PUBLISHED, PostStatus.REMOVED):
                continue
            pool = self._members(p.community, p.published, exclude={p.author})
            mean = REACTION_SHARE[p.kind] * len(pool) * (0.4 if p.parent else 1.0)
            count = min(len(pool), int(rng.expovariate(1 / (mean + 0.3))))
            for person in rng.sample(pool, count):
                kind = ReactionKind.THANKS if rng.random() < THANKS_WEIGHT[p.kind] else ReactionKind.SEEN
                p.reactions[person, kind] = self._after(p.published, timedelta(minutes=3), timedelta(days=2))
            if p.status == PostStatus.REMOVED:  # only reactions from before it was removed
                removed = p.events[-1].at
                p.reactions = {key: at for key, at in p.reactions.items() if at < removed}

    # Writing ---------------------------------------------------------------------------------------------------------
    def write(self) -> int:
        users, orgs, communities = self.users, self.organisations, self.communities
        rows: dict[int, Post] = {}
        for level in (False, True):  # top-level posts first: replies need their ids
            batch = []
            for p in self.posts:
                if (p.parent is not None) != level:
                    continue
                row = Post(
                    code=p.code, community=communities[p.community], kind=p.kind, text=p.text,
                    author=users[p.author] if p.author is not None else None,
                    organisation=orgs[p.org] if p.org is not None else None, perspective=p.perspective,
                    subject_code=p.subject_code, parent=rows[id(p.parent)] if p.parent else None, status=p.status,
                    flags=p.flags, reasons=p.reasons, created_at=p.created, published_at=p.published,
                    pinned_at=p.pinned,
                )  # fmt: skip
                rows[id(p)] = row
                batch.append(row)
            with _explicit_dates(Post):
                written = Post.objects.bulk_create(batch, batch_size=BATCH)
            if any(row.pk is None for row in written):  # databases that do not return ids from a bulk insert
                ids = dict(Post.objects.filter(code__in=[row.code for row in written]).values_list("code", "pk"))
                for row in written:
                    row.pk = row.id = ids[row.code]
        events, reactions, reports = [], [], []
        for p in self.posts:
            row = rows[id(p)]
            events += [
                PostEvent(post=row, actor=users[e.actor] if e.actor is not None else None, action=e.action,
                          status_to=e.status_to, reason=e.reason, flags=e.flags, created_at=e.at)
                for e in p.events
            ]  # fmt: skip
            reactions += [
                Reaction(post=row, user=users[person], kind=kind, created_at=at)
                for (person, kind), at in sorted(p.reactions.items(), key=lambda item: (item[1], item[0]))
            ]
            reports += [
                PostReport(post=row, reporter=users[r.reporter], reason=r.reason, created_at=r.at,
                           resolved_at=r.resolved)
                for r in p.member_reports
            ]  # fmt: skip
        with _explicit_dates(PostEvent, Reaction, PostReport, ConductStep, Appeal, AuditEvent):
            PostEvent.objects.bulk_create(events, batch_size=BATCH)
            Reaction.objects.bulk_create(reactions, batch_size=BATCH)
            PostReport.objects.bulk_create(reports, batch_size=BATCH)
            self._write_conduct()
        return len(rows)

    def _write_conduct(self) -> None:
        """The conduct steps and appeals, with the audit events moderation.services writes for them."""
        if not self.steps:
            return
        users = self.users
        membership = {
            (community_id, user_id): pk
            for community_id, user_id, pk in Membership.objects.filter(community__in=self.communities).values_list(
                "community_id", "user_id", "pk"
            )
        }
        label = Membership._meta.label_lower
        steps, audit = [], []
        for s in self.steps:
            member = membership[self.communities[s.community].pk, users[s.person].pk]
            steps.append(ConductStep(membership_id=member, kind=s.kind, message=s.message, post_code=s.post_code,
                                     taken_by=users[s.taken_by], created_at=s.at))  # fmt: skip
            audit.append(AuditEvent(actor=users[s.taken_by], action=f"conduct.{s.kind}", object_type=label,
                                    object_id=str(member), data={"message": s.message}, created_at=s.at))  # fmt: skip
            if a := s.appeal:
                audit.append(AuditEvent(actor=users[s.person], action="conduct.appeal", object_type=label,
                                        object_id=str(member), data={"step": s.kind}, created_at=a.at))  # fmt: skip
                if a.outcome:
                    audit.append(AuditEvent(
                        actor=users[a.decided_by], action="conduct.appeal_decided", object_type=label,
                        object_id=str(member), data={"outcome": a.outcome, "decision": a.decision},
                        created_at=a.decided_at,
                    ))  # fmt: skip
        steps = ConductStep.objects.bulk_create(steps)
        if any(step.pk is None for step in steps):
            found = ConductStep.objects.filter(membership_id__in=[s.membership_id for s in steps])
            by_key = {(s.membership_id, s.kind, s.created_at): s.pk for s in found}
            for step in steps:
                step.pk = step.id = by_key[step.membership_id, step.kind, step.created_at]
        Appeal.objects.bulk_create(
            [
                Appeal(step=step, text=s.appeal.text, created_at=s.appeal.at, outcome=s.appeal.outcome,
                       decision=s.appeal.decision, decided_at=s.appeal.decided_at,
                       decided_by=users[s.appeal.decided_by] if s.appeal.decided_by is not None else None)
                for step, s in zip(steps, self.steps, strict=True)
                if s.appeal
            ]
        )  # fmt: skip
        AuditEvent.objects.bulk_create(audit)


def write_conversations(
    plan: Any, users: list[User], organisations: list[Organisation], communities: list[Community]
) -> int:
    """The conversations of every community, after the reports are written. Returns the number of posts."""
    builder = Conversations(plan, users, organisations, communities)
    builder.plan_posts()
    return builder.write()


# --- Reset and digest ------------------------------------------------------------------------------------------------


def delete_conversations(community_ids: list[int]) -> None:
    """The audit events of the conduct steps (posts, steps and appeals go with their communities)."""
    members = [str(pk) for pk in Membership.objects.filter(community_id__in=community_ids).values_list("pk", flat=True)]
    for start in range(0, len(members), 500):
        AuditEvent.objects.filter(
            object_type=Membership._meta.label_lower, object_id__in=members[start : start + 500]
        ).delete()


def digest_lines(communities: Any, add: Any) -> None:
    """The conversations' content for builder.content_digest (no database ids)."""
    posts = Post.objects.filter(community__in=communities)
    for p in posts.select_related("community", "author", "organisation", "parent"):
        add(
            "post", p.code, p.community.slug, p.kind, p.author.email if p.author else None,
            p.organisation.name if p.organisation else None, p.parent.code if p.parent else None, p.text,
            p.perspective, p.subject_code, p.status, p.flags, p.reasons, p.created_at, p.published_at, p.pinned_at,
        )  # fmt: skip
    for e in PostEvent.objects.filter(post__in=posts).select_related("post", "actor"):
        add("post_event", e.post.code, e.actor.email if e.actor else None, e.action, e.status_to, e.reason, e.flags,
            e.created_at)  # fmt: skip
    for r in Reaction.objects.filter(post__in=posts).select_related("post", "user"):
        add("reaction", r.post.code, r.user.email, r.kind, r.created_at)
    for r in PostReport.objects.filter(post__in=posts).select_related("post", "reporter"):
        add("post_report", r.post.code, r.reporter.email, r.reason, r.created_at, r.resolved_at)
    steps = ConductStep.objects.filter(membership__community__in=communities)
    for s in steps.select_related("membership__community", "membership__user", "taken_by"):
        add("step", s.membership.community.slug, s.membership.user.email, s.kind, s.message, s.post_code,
            s.taken_by.email if s.taken_by else None, s.created_at)  # fmt: skip
    for a in Appeal.objects.filter(step__in=steps).select_related("step__membership__user", "decided_by"):
        add("appeal", a.step.membership.user.email, a.step.kind, a.text, a.created_at, a.outcome, a.decision,
            a.decided_by.email if a.decided_by else None, a.decided_at)  # fmt: skip
