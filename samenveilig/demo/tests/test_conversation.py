"""The demo's conversations: consistent with the conversation and moderation rules, a signal of every kind on the
municipality's overview, life for the demo logins, and the same conversations for the same seed."""

from collections import Counter
from datetime import UTC, datetime

from django.test import TestCase, override_settings

from samenveilig.accounts.models import User
from samenveilig.communities.models import Community, Membership, MembershipStatus
from samenveilig.conversation import selectors
from samenveilig.conversation.models import Post, PostEvent, PostKind, PostReport, PostStatus, Reaction
from samenveilig.core.models import AuditEvent
from samenveilig.core.permissions import Role
from samenveilig.demo import builder
from samenveilig.moderation import selectors as moderation_selectors
from samenveilig.moderation import services as moderation_services
from samenveilig.moderation.checks import check_text
from samenveilig.moderation.models import Appeal, ConductStep, StepKind
from samenveilig.reports.models import Audience, Feedback, Report

NOW = datetime(2025, 6, 2, tzinfo=UTC)
FAST_HASHER = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
RESIDENTS = 600  # small and quick, yet every kind of community and a conversation in many of them
AUTHOR_ACTIONS = {"create", "revise", "withdraw", "send_anyway"}


def user(local: str) -> User:
    return User.objects.get(email=f"{local}@demo.samenveilig.nl")


def active_role(user_id: int, community_id: int) -> str | None:
    found = Membership.objects.filter(user_id=user_id, community_id=community_id, status=MembershipStatus.ACTIVE)
    return found.values_list("role", flat=True).first()


def snapshot() -> list[tuple]:
    posts = Post.objects.order_by("code").values_list(
        "code", "community__slug", "kind", "author__email", "text", "status", "flags", "created_at", "published_at"
    )
    events = PostEvent.objects.order_by("post__code", "created_at", "action").values_list(
        "post__code", "action", "actor__email", "status_to", "created_at"
    )
    steps = ConductStep.objects.order_by("created_at").values_list("membership__user__email", "kind", "created_at")
    return [*posts, *events, *steps, ("reactions", Reaction.objects.count())]


@FAST_HASHER
class DemoConversationTests(TestCase):
    """One small build, shared by the tests of the class."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.summary = builder.build(seed=1, residents=RESIDENTS, now=NOW)
        cls.posts = list(Post.objects.select_related("community", "parent").order_by("pk"))
        cls.events: dict[int, list[PostEvent]] = {}
        for event in PostEvent.objects.order_by("created_at", "id"):
            cls.events.setdefault(event.post_id, []).append(event)

    def test_every_kind_and_status_is_there(self) -> None:
        self.assertIn(f"{len(self.posts):,} posts", self.summary)
        self.assertEqual({p.kind for p in self.posts}, set(PostKind.values))
        statuses = Counter(p.status for p in self.posts)
        for status in (PostStatus.PUBLISHED, PostStatus.HELD, PostStatus.PROMPTED, PostStatus.WITHDRAWN,
                       PostStatus.REJECTED, PostStatus.REMOVED):  # fmt: skip
            self.assertGreater(statuses[status], 0, status)
        self.assertGreater(statuses[PostStatus.PUBLISHED], len(self.posts) * 0.9)  # most posts are fine
        self.assertTrue(any(p.parent_id for p in self.posts))
        self.assertTrue(any(p.pinned_at for p in self.posts))
        self.assertEqual(set(Reaction.objects.values_list("kind", flat=True)), {"bedankt", "gezien"})
        actions = {e.action for events in self.events.values() for e in events}
        expected = {"create", "revise", "withdraw", "send_anyway", "member_report", "share", "pin"}
        self.assertLessEqual(expected | {"decide_publish", "decide_reject", "decide_rephrase"}, actions)
        for p in self.posts:
            if p.kind == PostKind.VOORLICHTING:
                self.assertTrue(p.perspective and p.organisation_id, p.code)

    def test_stored_flags_and_reasons_are_what_the_checks_say(self) -> None:
        for p in self.posts:
            verdict = check_text(f"{p.text}\n{p.perspective}".strip())  # as conversation.services checks a post
            with self.subTest(post=p.code):
                self.assertEqual((p.flags, p.reasons), (list(verdict.flags), verdict.reasons))
        flagged = Counter(flag for p in self.posts for flag in p.flags)
        for events in self.events.values():
            flagged.update(flag for e in events if e.action == "create" for flag in e.flags)
        self.assertEqual(set(flagged), {"stigmatisering", "persoonsgegevens", "eigenrichting", "irrelevant"})

    def test_shared_reports_and_feedback_are_those_routed_to_all_members(self) -> None:
        to_members = Report.objects.filter(routes__audience=Audience.MEMBERS)
        routed = dict(to_members.values_list("code", "community_id"))
        shared = [p for p in self.posts if p.kind == PostKind.REPORT]
        for p in shared:
            with self.subTest(post=p.code):
                self.assertEqual(routed.get(p.subject_code), p.community_id)
                self.assertIsNone(p.author_id)
                report = to_members.get(code=p.subject_code)
                self.assertEqual((p.text, p.created_at), (report.what, report.created_at))
        self.assertEqual(sorted(p.subject_code for p in shared), sorted(routed))  # every one, once
        feedback = Feedback.objects.filter(report__in=to_members).exclude(to_community="")
        expected = sorted((f.report.code, f.author_id, f.organisation_id, f.to_community) for f in feedback)
        found = sorted(
            (p.subject_code, p.author_id, p.organisation_id, p.text) for p in self.posts if p.kind == PostKind.FEEDBACK
        )
        self.assertEqual(found, expected)
        self.assertTrue(found)

    def test_the_events_lead_to_each_posts_status_with_the_right_actors(self) -> None:
        for p in self.posts:
            events = self.events[p.pk]
            with self.subTest(post=p.code):
                self.assertIn(events[0].action, {"create", "share", "share_held"})
                self.assertEqual(events[0].created_at, p.created_at)
                self.assertEqual([e.status_to for e in events if e.status_to][-1], p.status)
                for e in events:
                    self.assertLessEqual(e.created_at, NOW)
                    if e.action in AUTHOR_ACTIONS:
                        self.assertEqual(e.actor_id, p.author_id)
                    elif e.action.startswith("decide_") or e.action == "pin":
                        self.assertEqual(active_role(e.actor_id, p.community_id), Role.COORDINATOR)
                    elif e.action == "member_report":
                        self.assertIsNotNone(active_role(e.actor_id, p.community_id))
                if p.status in (PostStatus.PUBLISHED, PostStatus.REMOVED):
                    self.assertLessEqual(p.published_at, NOW)
                else:  # never published: waiting, withdrawn or rejected
                    self.assertIsNone(p.published_at)

    def test_every_held_post_was_sent_anyway_or_shared_held(self) -> None:
        held = [p for p in self.posts if p.status == PostStatus.HELD]
        self.assertGreaterEqual(len(held), 2)
        for p in held:
            self.assertTrue({"send_anyway", "share_held"} & {e.action for e in self.events[p.pk]}, p.code)

    def test_replies_reactions_and_pins_keep_the_rules(self) -> None:
        for p in self.posts:
            if p.parent_id:
                self.assertIsNone(p.parent.parent_id)  # one level deep
                self.assertEqual(p.parent.community_id, p.community_id)
                self.assertGreater(p.created_at, p.parent.published_at)
            if p.pinned_at:
                self.assertEqual((p.status, p.parent_id), (PostStatus.PUBLISHED, None))
        for r in Reaction.objects.select_related("post"):
            self.assertIn(r.post.status, (PostStatus.PUBLISHED, PostStatus.REMOVED))
            self.assertGreaterEqual(r.created_at, r.post.published_at)
            self.assertIsNotNone(active_role(r.user_id, r.post.community_id))
        for r in PostReport.objects.select_related("post"):
            self.assertNotEqual(r.reporter_id, r.post.author_id)
            decisions = [e.created_at for e in self.events[r.post_id] if e.action.startswith("decide_")]
            self.assertEqual(r.resolved_at, decisions[0] if decisions else None)

    def test_the_overview_shows_every_signal_and_most_communities_are_quiet(self) -> None:
        rows = selectors.community_signals(viewer=user("beheerder"), now=NOW)
        signalled = Counter(code for row in rows for code in row.signals)
        self.assertEqual(set(signalled), {"queue_growing", "queue_stale", "flags_rising"})
        quiet = [row for row in rows if not row.signals]
        self.assertGreaterEqual(len(quiet), len(rows) - 3)
        self.assertTrue(any(row.open_appeals for row in rows))

    def test_conduct_steps_and_appeals_follow_the_moderation_rules(self) -> None:
        steps = list(ConductStep.objects.select_related("membership", "appeal").order_by("created_at"))
        self.assertEqual(Counter(s.kind for s in steps), {StepKind.REQUEST: 3, StepKind.WARNING: 1})
        for step in steps:
            with self.subTest(step=step.pk):
                self.assertEqual(active_role(step.taken_by_id, step.membership.community_id), Role.COORDINATOR)
                self.assertNotEqual(step.membership.user_id, step.taken_by_id)
                self.assertEqual(step.membership.status, MembershipStatus.ACTIVE)
                about = Post.objects.get(code=step.post_code)
                self.assertEqual(about.author_id, step.membership.user_id)
                self.assertLess(about.created_at, step.created_at)
                if step.kind == StepKind.WARNING:
                    before = [s.kind for s in steps if s.membership_id == step.membership_id and s.pk < step.pk]
                    self.assertEqual(before, [StepKind.REQUEST])
                logged = AuditEvent.objects.filter(action=f"conduct.{step.kind}", object_id=str(step.membership_id))
                self.assertTrue(logged.exists())
        appeals = list(Appeal.objects.select_related("step"))
        self.assertEqual(sorted(bool(a.outcome) for a in appeals), [False, True])  # one open, one decided
        for appeal in appeals:
            self.assertGreater(appeal.created_at, appeal.step.created_at)
            if appeal.outcome:
                self.assertNotEqual(appeal.decided_by_id, appeal.step.taken_by_id)
                self.assertTrue(moderation_services.can_decide(appeal, appeal.decided_by))
                self.assertGreater(appeal.decided_at, appeal.created_at)
        facilitator = user("procesbegeleider")
        open_appeal = next(a for a in appeals if not a.outcome)
        community = open_appeal.step.membership.community
        self.assertEqual(moderation_selectors.open_appeals(community=community, viewer=facilitator), [open_appeal])

    def test_the_demo_logins_have_a_queue_and_a_lively_stream(self) -> None:
        coordinator = user("coordinator")
        watch = Community.objects.get(memberships__user=coordinator, memberships__role=Role.COORDINATOR)
        held = Post.objects.filter(community=watch, status=PostStatus.HELD).count()
        reported = PostReport.objects.filter(post__community=watch, resolved_at=None).values("post").distinct().count()
        self.assertGreaterEqual(held + reported, 3)
        self.assertTrue(selectors.queue(community=watch, viewer=coordinator))
        resident = user("bewoner")
        home = Community.objects.filter(
            memberships__user=resident, memberships__status=MembershipStatus.ACTIVE, kind="whatsapp"
        ).order_by("pk")[0]
        stream = selectors.stream(community=home, viewer=resident)
        self.assertEqual(len(stream), selectors.PAGE)
        self.assertLessEqual({PostKind.MESSAGE, PostKind.REPORT}, {p.kind for p in stream})
        self.assertTrue(any(p.pinned_at for p in stream))
        self.assertTrue(any(p.thanks or p.seen for p in stream))
        self.assertTrue(selectors.replies_for(posts=stream))


@FAST_HASHER
class DemoConversationDeterminismTests(TestCase):
    def test_the_same_seed_writes_the_same_conversations_and_reset_removes_them(self) -> None:
        builder.build(seed=7, residents=400, now=NOW)
        first, digest = snapshot(), builder.content_digest()
        self.assertGreater(Post.objects.count(), 100)
        builder.reset()
        for model in (Post, PostEvent, Reaction, PostReport, ConductStep, Appeal):
            self.assertFalse(model.objects.exists(), model.__name__)
        self.assertFalse(AuditEvent.objects.filter(action__startswith="conduct.").exists())
        builder.build(seed=7, residents=400, now=NOW)
        self.assertEqual(snapshot(), first)
        self.assertEqual(builder.content_digest(), digest)
