"""The start page: a signed-in person sees what waits for them, by what they are (a resident with a question on
their report, a wijkagent with new and overdue reports, a coordinator with people asking to join), their
communities with their role and their latest reports; strangers see what the platform is. Nobody sees another
person's counts."""

from datetime import timedelta

from django.utils import timezone

from samenveilig.accounts.services import residence_set
from samenveilig.alerts.tests.factories import send
from samenveilig.communities import services as community_services
from samenveilig.communities.models import Membership, MembershipStatus, Partnership
from samenveilig.core.testing import SamenVeiligTestCase
from samenveilig.reports import services as reports
from samenveilig.reports.models import Report
from samenveilig.reports.tests.factories import submit
from samenveilig.start.selectors import start_overview

NOORD = (52.095, 5.11)  # inside buurt Noord (core.testing), within the alert factory's 1 km of its centre


def kinds(person) -> dict[str, int]:
    return {item.kind: item.count for item in start_overview(person).waiting}


class StartOverviewTests(SamenVeiligTestCase):
    def test_a_resident_sees_the_question_on_her_report_and_her_unread_messages(self) -> None:
        self.assertEqual(kinds(self.anna), {})
        report = submit(self.anna, self.buurt)
        reports.report_question_ask(report=report, by=self.wendy, organisation=self.police, text="Welke kant op?")
        waiting = kinds(self.anna)
        self.assertEqual(waiting["questions"], 1)
        self.assertGreaterEqual(waiting["messages"], 1)  # the question also reached her inbox
        overview = start_overview(self.anna)
        self.assertEqual([r.pk for r in overview.recent_reports], [report.pk])
        self.assertEqual(
            [(c.name, c.my_role_label) for c in overview.communities], [("Buurtpreventie Noord", "deelnemer")]
        )
        self.assertFalse(overview.partner)

    def test_a_wijkagent_sees_new_and_overdue_reports_of_her_organisation_only(self) -> None:
        report = submit(self.anna, self.buurt)  # urgent: routed to the police of Noord
        self.assertEqual(kinds(self.wendy).get("inbox_new"), 1)
        self.assertNotIn("inbox_new", kinds(self.bob))  # another police team: not routed there
        self.assertNotIn("inbox_new", kinds(self.anna))  # not staff
        report.routes.update(due_at=timezone.now() - timedelta(hours=1))
        self.assertEqual(kinds(self.wendy).get("inbox_overdue"), 1)
        Report.objects.filter(pk=report.pk).update(status="closed")
        self.assertEqual(kinds(self.wendy), {})

    def test_a_coordinator_sees_who_asks_to_join_and_the_one_asking_sees_his_request_waiting(self) -> None:
        Membership.objects.create(community=self.buurt, user=self.olaf, status=MembershipStatus.PENDING)
        [asking] = [item for item in start_overview(self.cor).waiting if item.kind == "members_asking"]
        self.assertEqual((asking.count, asking.community), (1, self.buurt))
        self.assertNotIn("members_asking", kinds(self.anna))  # a participant does not admit members
        [mine] = start_overview(self.olaf).communities
        self.assertTrue(mine.my_pending)
        self.assertNotIn("members_asking", kinds(self.olaf))

    def test_an_open_alert_the_person_received_waits_until_it_closes(self) -> None:
        residence_set(
            user=self.anna,
            street="Teststraat",
            house_number="1",
            postcode="3511 AB",
            city="Testdorp",
            lat=NOORD[0],
            lon=NOORD[1],
        )
        alert = send(self.wendy)
        self.assertEqual(kinds(self.anna).get("alerts"), 1)
        self.assertNotIn("alerts", kinds(self.wendy))  # the sender's side is not asked for help
        alert.closed_at = timezone.now()
        alert.save(update_fields=["closed_at"])
        self.assertNotIn("alerts", kinds(self.anna))


class StartPageTests(SamenVeiligTestCase):
    def test_strangers_see_what_the_platform_is(self) -> None:
        page = self.client.get("/")
        self.assertContains(page, "Samen voor een veilige buurt")
        self.assertNotContains(page, "data-waiting")

    def test_a_resident_sees_her_page_in_dutch_with_links_to_act_on(self) -> None:
        report = submit(self.anna, self.buurt)
        reports.report_question_ask(report=report, by=self.wendy, organisation=self.police, text="Welke kant op?")
        self.login_as("anna")
        page = self.client.get("/")
        self.assertContains(page, "Welkom, Anna")
        self.assertContains(page, 'href="tel:112"')
        self.assertContains(page, "Een partner stelt je een vraag over je melding")
        self.assertContains(page, 'href="/meldingen/"')
        self.assertContains(page, "Buurtpreventie Noord")
        self.assertContains(page, f'href="/meldingen/{report.code}/"')
        self.assertNotContains(page, "inbox van je organisatie")
        html = page.content.decode()
        self.assertLess(html.index("Doe een melding"), html.index("data-waiting"))  # a resident comes to report

    def test_a_wijkagent_is_led_to_the_inbox_filtered(self) -> None:
        submit(self.anna, self.buurt)
        self.login_as("wendy")
        page = self.client.get("/")
        self.assertContains(page, "1 nieuwe melding in de inbox van je organisatie")
        self.assertContains(page, 'href="/meldingen/inbox/?status=received"')
        self.assertContains(page, "Als partner")  # Noord, through her organisation's partnership
        html = page.content.decode()
        self.assertLess(html.index("data-waiting"), html.index("Doe een melding"))  # partner staff: the inbox first

    def test_a_partner_of_many_communities_sees_six_and_a_link_to_all(self) -> None:
        for n in range(6):
            extra = community_services.community_create(
                name=f"Straat {n}", kind="street", municipality=self.areas["gemeente"], buurten=[self.noord]
            )
            Partnership.objects.create(community=extra, organisation=self.police)
        self.login_as("wendy")
        page = self.client.get("/")
        self.assertEqual(page.content.decode().count("Als partner"), 6)
        self.assertContains(page, "Alle 7 communities")

    def test_nothing_waiting_and_no_community_yet(self) -> None:
        self.login_as("olaf")
        page = self.client.get("/", HTTP_ACCEPT_LANGUAGE="en")
        self.assertContains(page, "Nothing is waiting for you.")
        self.assertContains(page, "You are not in a community yet.")
