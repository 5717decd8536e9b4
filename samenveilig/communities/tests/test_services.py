"""Services: phase rules, house-rules versions, the invite flow, members' removal and roles."""

from datetime import timedelta
from unittest import mock

from django.utils import timezone

from samenveilig.communities import services
from samenveilig.communities.models import (
    Community,
    HouseRules,
    Invite,
    Membership,
    MembershipStatus,
    Partnership,
    Phase,
    PhaseChange,
)
from samenveilig.communities.tests.helpers import add_pending, membership
from samenveilig.core.errors import Conflict, Invalid
from samenveilig.core.models import AuditEvent
from samenveilig.core.permissions import OrganisationKind, Role
from samenveilig.core.testing import SamenVeiligTestCase, box


class PhaseTests(SamenVeiligTestCase):
    def change(self, to: int, reason: str = "") -> PhaseChange:
        return services.community_change_phase(community=self.buurt, to_phase=to, by=self.fenna, reason=reason)

    def test_moving_forward_one_phase_is_kept_in_the_history_and_the_audit_log(self) -> None:
        change = self.change(Phase.STRUCTURE)
        self.buurt.refresh_from_db()
        self.assertEqual(self.buurt.phase, 2)
        self.assertEqual((change.from_phase, change.to_phase, change.changed_by), (1, 2, self.fenna))
        event = AuditEvent.objects.get(action="community.phase")
        self.assertEqual((event.actor, event.data["from_phase"], event.data["to_phase"]), (self.fenna, 1, 2))

    def test_a_phase_cannot_be_skipped(self) -> None:
        with self.assertRaises(Invalid) as caught:
            self.change(Phase.EXECUTION, reason="we are ready")
        self.assertEqual(caught.exception.code, "phase.skip")
        self.buurt.refresh_from_db()
        self.assertEqual(self.buurt.phase, 1)
        self.assertFalse(PhaseChange.objects.exists())

    def test_the_same_phase_is_refused(self) -> None:
        with self.assertRaises(Invalid) as caught:
            self.change(Phase.RELATIONSHIPS)
        self.assertEqual(caught.exception.code, "phase.same")

    def test_an_unknown_phase_is_refused(self) -> None:
        with self.assertRaises(Invalid) as caught:
            self.change(5)
        self.assertEqual(caught.exception.code, "phase.invalid")

    def test_moving_back_several_phases_needs_a_reason_and_is_logged(self) -> None:
        for phase in (2, 3, 4):
            self.change(phase)
        with self.assertRaises(Invalid) as caught:
            self.change(Phase.RELATIONSHIPS, reason="   ")
        self.assertEqual(caught.exception.code, "phase.reason_required")
        change = self.change(Phase.RELATIONSHIPS, reason="Both coordinators stopped.")
        self.assertEqual((change.from_phase, change.to_phase, change.reason), (4, 1, "Both coordinators stopped."))
        self.assertEqual(PhaseChange.objects.filter(community=self.buurt).count(), 4)
        self.assertEqual(AuditEvent.objects.filter(action="community.phase").count(), 4)

    def test_a_stale_community_object_cannot_skip_a_phase(self) -> None:
        stale = Community.objects.get(pk=self.buurt.pk)
        self.change(Phase.STRUCTURE)
        # The stale copy still says phase 1; moving it "one step" to 3 would skip phase 2 from its point of view.
        services.community_change_phase(community=stale, to_phase=3, by=self.cor)
        self.buurt.refresh_from_db()
        self.assertEqual(self.buurt.phase, 3)
        with self.assertRaises(Invalid) as caught:
            services.community_change_phase(community=Community.objects.get(pk=self.buurt.pk), to_phase=3, by=self.cor)
        self.assertEqual(caught.exception.code, "phase.same")


class HouseRulesTests(SamenVeiligTestCase):
    def test_publishing_makes_a_new_version_and_keeps_the_old_one(self) -> None:
        old = HouseRules.objects.get(community=self.buurt, version=1)
        new = services.house_rules_publish(community=self.buurt, text="Wees aardig tegen elkaar.", by=self.cor)
        self.assertEqual(new.version, 2)
        self.assertEqual(HouseRules.objects.get(pk=old.pk).text, old.text)
        self.assertTrue(AuditEvent.objects.filter(action="rules.publish", data__version=2).exists())
        third = services.house_rules_publish(community=self.buurt, text="Bel eerst 112, dan de groep.", by=self.cor)
        self.assertEqual(third.version, 3)

    def test_empty_or_unchanged_rules_are_refused(self) -> None:
        for text, code in (("", "rules.empty"), (HouseRules.objects.get(community=self.buurt).text, "rules.unchanged")):
            with self.subTest(code=code), self.assertRaises(Invalid) as caught:
                services.house_rules_publish(community=self.buurt, text=text, by=self.cor)
            self.assertEqual(caught.exception.code, code)
        self.assertEqual(HouseRules.objects.filter(community=self.buurt).count(), 1)

    def test_a_member_is_asked_again_and_only_the_current_version_can_be_accepted(self) -> None:
        services.house_rules_publish(community=self.buurt, text="Nieuwe spelregels, versie twee.", by=self.cor)
        anna = membership(self.buurt, self.anna)
        self.assertEqual(anna.rules_version_accepted, 1)
        with self.assertRaises(Invalid) as caught:
            services.house_rules_accept(membership=anna, version=1)
        self.assertEqual(caught.exception.code, "rules.outdated")
        with self.assertRaises(Invalid) as caught:
            services.house_rules_accept(membership=anna, version=7)
        self.assertEqual(caught.exception.code, "rules.unknown")
        self.assertEqual(membership(self.buurt, self.anna).rules_version_accepted, 1)
        services.house_rules_accept(membership=anna, version=2)
        accepted = membership(self.buurt, self.anna)
        self.assertEqual(accepted.rules_version_accepted, 2)
        self.assertIsNotNone(accepted.rules_accepted_at)


class InviteFlowTests(SamenVeiligTestCase):
    def join(self, invite: Invite, user, version: int | None = 1) -> Membership:
        return services.membership_join(invite=invite, user=user, accept_rules_version=version)

    def test_an_invite_has_a_long_random_token_and_the_default_validity(self) -> None:
        invite = services.invite_create(community=self.buurt, by=self.cor)
        other = services.invite_create(community=self.buurt, by=self.cor)
        self.assertGreaterEqual(len(invite.token), 43)
        self.assertNotEqual(invite.token, other.token)
        self.assertAlmostEqual((invite.expires_at - timezone.now()).days, 29, delta=1)
        self.assertTrue(invite.requires_approval)  # follows the community

    def test_bad_invite_settings_are_refused(self) -> None:
        for kwargs in ({"days": 0}, {"days": 400}, {"max_uses": 0}, {"note": "x" * 201}):
            with self.subTest(**{k: str(v)[:10] for k, v in kwargs.items()}), self.assertRaises(Invalid):
                services.invite_create(community=self.buurt, by=self.cor, **kwargs)
        self.assertFalse(Invite.objects.exists())

    def test_with_approval_the_member_waits_until_a_coordinator_approves(self) -> None:
        invite = services.invite_create(community=self.buurt, by=self.cor)
        joined = self.join(invite, self.olaf)
        self.assertEqual((joined.status, joined.role, joined.rules_version_accepted), ("pending", "participant", 1))
        approved = services.membership_approve(membership=joined, by=self.cor)
        self.assertEqual(approved.status, "active")
        with self.assertRaises(Conflict) as caught:
            services.membership_approve(membership=approved, by=self.cor)
        self.assertEqual(caught.exception.code, "membership.not_pending")

    def test_a_coordinator_can_decline_a_request(self) -> None:
        pending = add_pending(self.buurt)
        declined = services.membership_reject(membership=pending, by=self.cor, reason="Woont niet in de buurt.")
        self.assertEqual(declined.status, MembershipStatus.REJECTED)
        self.assertTrue(AuditEvent.objects.filter(action="membership.reject").exists())

    def test_without_approval_the_member_is_active_at_once_and_the_use_is_counted(self) -> None:
        invite = services.invite_create(community=self.buurt, by=self.cor, requires_approval=False, max_uses=3)
        self.assertEqual(self.join(invite, self.olaf).status, "active")
        invite.refresh_from_db()
        self.assertEqual(invite.uses, 1)

    def test_an_expired_invite_is_refused(self) -> None:
        invite = services.invite_create(community=self.buurt, by=self.cor, days=1)
        with mock.patch("django.utils.timezone.now", return_value=timezone.now() + timedelta(days=2)):
            with self.assertRaises(Invalid) as caught:
                self.join(invite, self.olaf)
        self.assertEqual(caught.exception.code, "invite.expired")
        self.assertFalse(Membership.objects.filter(user=self.olaf).exists())

    def test_a_revoked_invite_is_refused(self) -> None:
        invite = services.invite_create(community=self.buurt, by=self.cor)
        services.invite_revoke(invite=invite, by=self.cor)
        with self.assertRaises(Invalid) as caught:
            self.join(invite, self.olaf)
        self.assertEqual(caught.exception.code, "invite.revoked")

    def test_a_used_up_invite_is_refused(self) -> None:
        invite = services.invite_create(community=self.buurt, by=self.cor, max_uses=1)
        self.join(invite, self.olaf)
        with self.assertRaises(Invalid) as caught:
            self.join(invite, self.bob)
        self.assertEqual(caught.exception.code, "invite.used_up")

    def test_counting_uses_does_not_trust_a_stale_invite_object(self) -> None:
        invite = services.invite_create(community=self.buurt, by=self.cor, max_uses=1)
        first_copy, second_copy = Invite.objects.get(pk=invite.pk), Invite.objects.get(pk=invite.pk)
        self.join(first_copy, self.olaf)
        # second_copy still says uses=0: the conditional UPDATE in the database decides, not this object.
        self.assertEqual(second_copy.uses, 0)
        with self.assertRaises(Invalid) as caught:
            self.join(second_copy, self.bob)
        self.assertEqual(caught.exception.code, "invite.used_up")
        invite.refresh_from_db()
        self.assertEqual(invite.uses, 1)
        self.assertFalse(Membership.objects.filter(user=self.bob).exists())

    def test_a_duplicate_membership_is_a_conflict_and_uses_nothing(self) -> None:
        invite = services.invite_create(community=self.buurt, by=self.cor)
        for user in (self.anna, add_pending(self.buurt).user):
            with self.subTest(user=user.username), self.assertRaises(Conflict) as caught:
                self.join(invite, user)
            self.assertEqual(caught.exception.code, "membership.duplicate")
        invite.refresh_from_db()
        self.assertEqual(invite.uses, 0)

    def test_a_removed_member_cannot_rejoin_with_an_invite(self) -> None:
        services.membership_remove(membership=membership(self.buurt, self.anna), by=self.cor, reason="Eigenrichting")
        invite = services.invite_create(community=self.buurt, by=self.cor)
        with self.assertRaises(Conflict) as caught:
            self.join(invite, self.anna)
        self.assertEqual(caught.exception.code, "membership.removed")

    def test_someone_who_left_can_join_again(self) -> None:
        services.membership_leave(membership=membership(self.buurt, self.anna))
        invite = services.invite_create(community=self.buurt, by=self.cor, requires_approval=False)
        again = self.join(invite, self.anna)
        self.assertEqual((again.status, again.ended_at), ("active", None))

    def test_joining_needs_the_current_rules(self) -> None:
        invite = services.invite_create(community=self.buurt, by=self.cor)
        with self.assertRaises(Invalid) as caught:
            self.join(invite, self.olaf, version=None)
        self.assertEqual(caught.exception.code, "rules.not_accepted")
        services.house_rules_publish(community=self.buurt, text="Versie twee van de regels.", by=self.cor)
        with self.assertRaises(Invalid) as caught:
            self.join(invite, self.olaf, version=1)
        self.assertEqual(caught.exception.code, "rules.outdated")
        invite.refresh_from_db()
        self.assertEqual(invite.uses, 0)
        self.assertEqual(self.join(invite, self.olaf, version=2).rules_version_accepted, 2)


class MemberTests(SamenVeiligTestCase):
    def test_removal_needs_a_reason_and_is_logged(self) -> None:
        anna = membership(self.buurt, self.anna)
        with self.assertRaises(Invalid) as caught:
            services.membership_remove(membership=anna, by=self.cor, reason=" ")
        self.assertEqual(caught.exception.code, "membership.reason_required")
        self.assertEqual(membership(self.buurt, self.anna).status, "active")
        services.membership_remove(membership=anna, by=self.cor, reason="Deelde een foto van een verdachte.")
        removed = membership(self.buurt, self.anna)
        self.assertEqual((removed.status, removed.end_reason), ("removed", "Deelde een foto van een verdachte."))
        self.assertIsNotNone(removed.ended_at)
        event = AuditEvent.objects.get(action="membership.remove")
        self.assertEqual((event.actor, event.data["reason"]), (self.cor, "Deelde een foto van een verdachte."))

    def test_a_coordinator_cannot_remove_themselves(self) -> None:
        with self.assertRaises(Invalid) as caught:
            services.membership_remove(membership=membership(self.buurt, self.cor), by=self.cor, reason="klaar")
        self.assertEqual(caught.exception.code, "membership.remove_self")

    def test_the_last_coordinator_cannot_leave_or_step_down(self) -> None:
        cor = membership(self.buurt, self.cor)
        with self.assertRaises(Conflict):
            services.membership_leave(membership=cor)
        with self.assertRaises(Conflict):
            services.membership_set_role(membership=cor, role=Role.PARTICIPANT, by=self.cor)
        services.membership_set_role(membership=membership(self.buurt, self.anna), role=Role.COORDINATOR, by=self.cor)
        self.assertEqual(services.membership_leave(membership=cor).status, "left")

    def test_a_role_change_is_logged(self) -> None:
        services.membership_set_role(membership=membership(self.buurt, self.ivo), role=Role.FACILITATOR, by=self.cor)
        self.assertEqual(membership(self.buurt, self.ivo).role, "facilitator")
        event = AuditEvent.objects.get(action="membership.role")
        self.assertEqual((event.data["from_role"], event.data["to_role"]), ("initiator", "facilitator"))
        with self.assertRaises(Invalid):
            services.membership_set_role(membership=membership(self.buurt, self.ivo), role="boss", by=self.cor)


class CommunityStartTests(SamenVeiligTestCase):
    def test_the_creator_becomes_coordinator_in_phase_one(self) -> None:
        community = services.community_start(
            by=self.olaf, name="Buurtpreventie Zuid", kind="whatsapp", buurten=[self.zuid]
        )
        self.assertEqual(
            (community.phase, community.municipality, community.slug),
            (1, self.areas["gemeente"], "buurtpreventie-zuid"),
        )
        self.assertEqual(membership(community, self.olaf).role, Role.COORDINATOR)
        self.assertEqual(list(community.buurten.all()), [self.zuid])
        self.assertTrue(community.cells.exists())

    def test_municipality_staff_bring_in_their_municipality(self) -> None:
        community = services.community_start(
            by=self.mark, name="Winkelgebied Noord", kind="shopping_area", buurten=[self.noord]
        )
        self.assertTrue(Partnership.objects.filter(community=community, organisation=self.gemeente).exists())
        self.assertEqual(self.gemeente.kind, OrganisationKind.MUNICIPALITY)

    def test_a_drawn_polygon_finds_its_municipality(self) -> None:
        community = services.community_start(
            by=self.olaf, name="Straat", kind="street", geometry=box(52.085, 5.105, 0.001, 0.002)
        )
        self.assertEqual(community.municipality, self.areas["gemeente"])
        self.assertEqual(list(community.buurten.all()), [])

    def test_bad_input_changes_nothing(self) -> None:
        before = Community.objects.count()
        cases = [
            ({"name": "x", "kind": "street", "buurten": [self.zuid]}, "community.invalid"),
            ({"name": "Goed", "kind": "castle", "buurten": [self.zuid]}, "community.invalid"),
            ({"name": "Goed", "kind": "street"}, "community.no_area"),
            ({"name": "Goed", "kind": "street", "buurten": [self.areas["wijk"]]}, "community.not_a_buurt"),
            ({"name": "Goed", "kind": "street", "geometry": box(10.0, 10.0, 0.01, 0.01)}, "community.outside"),
            (
                {"name": "Goed", "kind": "street", "geometry": {"type": "Point", "coordinates": [5, 52]}},
                "geometry.not_polygon",
            ),
        ]
        for kwargs, code in cases:
            with self.subTest(code=code), self.assertRaises(Invalid) as caught:
                services.community_start(by=self.olaf, **kwargs)
            self.assertEqual(caught.exception.code, code)
        self.assertEqual(Community.objects.count(), before)

    def test_a_reserved_path_is_never_a_slug(self) -> None:
        community = services.community_start(by=self.olaf, name="Nieuw", kind="street", buurten=[self.zuid])
        self.assertNotEqual(community.slug, "nieuw")
