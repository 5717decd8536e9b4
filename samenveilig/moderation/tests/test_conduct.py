"""Conduct steps and appeals: request, warning, removal, one appeal decided by someone else."""

from samenveilig.communities.models import Membership, MembershipStatus
from samenveilig.core.errors import Conflict, Forbidden, Invalid, NotFound
from samenveilig.core.models import AuditEvent
from samenveilig.core.testing import SamenVeiligTestCase
from samenveilig.moderation import prompts, services
from samenveilig.moderation.models import AppealOutcome, ConductStep, ModerationSettings, StepKind
from samenveilig.notifications.models import Notification


class ConductTests(SamenVeiligTestCase):
    def setUp(self) -> None:
        self.anna_m = Membership.objects.get(community=self.buurt, user=self.anna)

    def step(self, kind: str) -> ConductStep:
        return services.conduct_step_take(
            membership=self.anna_m, by=self.cor, kind=kind, message=prompts.step_template(kind, "Anna")
        )

    def test_request_warning_removal_in_order_each_logged_and_told(self) -> None:
        with self.assertRaises(Conflict):
            self.step(StepKind.WARNING)
        self.step(StepKind.REQUEST)
        with self.assertRaises(Conflict):
            self.step(StepKind.REMOVAL)
        self.step(StepKind.WARNING)
        self.step(StepKind.REMOVAL)
        self.assertEqual(Membership.objects.get(pk=self.anna_m.pk).status, MembershipStatus.REMOVED)
        self.assertEqual(
            list(
                AuditEvent.objects.filter(action__startswith="conduct.").order_by("id").values_list("action", flat=True)
            ),
            ["conduct.request", "conduct.warning", "conduct.removal"],
        )
        self.assertEqual(Notification.objects.filter(recipient=self.anna, kind__startswith="conduct.").count(), 3)

    def test_the_threshold_is_set_per_community(self) -> None:
        ModerationSettings.objects.create(community=self.buurt, warnings_before_removal=2)
        self.step(StepKind.REQUEST)
        self.step(StepKind.WARNING)
        with self.assertRaises(Conflict):
            self.step(StepKind.REMOVAL)

    def test_only_coordinators_take_steps_and_a_message_is_needed(self) -> None:
        with self.assertRaises(Forbidden):
            services.conduct_step_take(membership=self.anna_m, by=self.ivo, kind="request", message="Hoi")
        with self.assertRaises(Invalid):
            services.conduct_step_take(membership=self.anna_m, by=self.cor, kind="request", message=" ")
        self.assertFalse(ConductStep.objects.exists())

    def test_a_removed_member_appeals_once_and_another_person_decides(self) -> None:
        self.step(StepKind.REQUEST)
        self.step(StepKind.WARNING)
        removal = self.step(StepKind.REMOVAL)
        appeal = services.appeal_file(step=removal, by=self.anna, text="Ik bedoelde het niet zo.")
        with self.assertRaises(Conflict):
            services.appeal_file(step=removal, by=self.anna, text="Nog een keer")
        with self.assertRaises(NotFound):
            services.appeal_file(step=removal, by=self.ivo, text="Namens Anna")
        with self.assertRaises(Forbidden):  # the coordinator who took the step
            services.appeal_decide(appeal=appeal, by=self.cor, outcome="overturned", decision="Prima")
        self.assertTrue(
            Notification.objects.filter(recipient=self.fenna, kind="conduct.appealed").exists()
        )  # the facilitator is asked
        decided = services.appeal_decide(
            appeal=appeal, by=self.fenna, outcome=AppealOutcome.OVERTURNED, decision="Anna krijgt een nieuwe kans."
        )
        self.assertEqual(decided.decided_by, self.fenna)
        self.assertEqual(Membership.objects.get(pk=self.anna_m.pk).status, MembershipStatus.ACTIVE)
        with self.assertRaises(Conflict):
            services.appeal_decide(appeal=appeal, by=self.mark, outcome="upheld", decision="Toch niet")

    def test_the_municipality_partner_may_decide_an_appeal(self) -> None:
        request = self.step(StepKind.REQUEST)
        appeal = services.appeal_file(step=request, by=self.anna, text="Oneerlijk")
        upheld = services.appeal_decide(appeal=appeal, by=self.mark, outcome="upheld", decision="Het verzoek blijft.")
        self.assertEqual(upheld.outcome, AppealOutcome.UPHELD)


class ConductLinkTests(SamenVeiligTestCase):
    def test_the_notifications_lead_to_the_pages_where_one_acts(self) -> None:
        anna = Membership.objects.get(community=self.buurt, user=self.anna)
        step = services.conduct_step_take(membership=anna, by=self.cor, kind="request", message="Let op je toon.")
        services.appeal_file(step=step, by=self.anna, text="Oneerlijk")
        told = Notification.objects.get(recipient=self.anna, kind="conduct.request")
        asked = Notification.objects.get(recipient=self.fenna, kind="conduct.appealed")
        self.login_as("anna")
        self.assertContains(self.client.get(told.link), "Let op je toon.")
        self.login_as("fenna")
        self.assertContains(self.client.get(asked.link), "Oneerlijk")
