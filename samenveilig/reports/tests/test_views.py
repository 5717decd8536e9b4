import io
import json
from urllib.parse import unquote
from uuid import uuid4

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from PIL import Image

from samenveilig.core.testing import SamenVeiligTestCase
from samenveilig.notifications.models import Notification
from samenveilig.notifications.services import fan_out_pending
from samenveilig.reports import services
from samenveilig.reports.models import Report
from samenveilig.reports.tests.factories import NOORD_POINT, submit

NEW = "/meldingen/nieuw/"


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    gps = {1: "N", 2: (52.0, 5.0, 30.0), 3: "E", 4: (5.0, 6.0, 7.0)}
    exif[0x8825] = gps  # GPSInfo
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


class ReportFormTests(SamenVeiligTestCase):
    def form_data(self, **overrides: str) -> dict[str, str]:
        data = {
            "community": str(self.buurt.code),
            "type": "urgent",
            "urgency": "verdacht",
            "called_112": "yes",
            "idempotency_key": str(uuid4()),
            "what": "Iemand probeert fietsen los te knippen bij de flat.",
            "lat": str(NOORD_POINT["lat"]),
            "lon": str(NOORD_POINT["lon"]),
            "occurred_at": "",
            "persons-0-sex": "man",
            "persons-0-top": "groene jas",
            "persons-0-bottom": "spijkerbroek",
            "vehicles-0-kind": "scooter",
            "vehicles-0-plate": "",
            "share_with_members": "on",
        }
        data.update(overrides)
        return data

    def test_the_first_step_offers_the_users_own_communities_only(self) -> None:
        self.login_as("anna")
        response = self.client.get(NEW)
        self.assertContains(response, "Buurtpreventie Noord")
        self.assertNotContains(response, "Straat Zuid")

    def test_an_urgent_report_asks_life_threatening_or_suspicious_then_112(self) -> None:
        self.login_as("anna")
        url = f"{NEW}?community={self.buurt.code}&type=urgent"
        self.assertContains(self.client.get(url), 'value="levensbedreigend"')
        life = self.client.get(url + "&urgency=levensbedreigend")
        self.assertContains(life, 'href="tel:112"')
        self.assertContains(life, 'name="called_112" value="yes"')
        self.assertNotContains(life, 'name="what"')  # nothing else until the 112 question is answered
        form = self.client.get(url + "&urgency=levensbedreigend&called_112=no")
        self.assertContains(form, 'name="what"')
        self.assertContains(form, 'name="idempotency_key"')
        self.assertContains(form, 'name="called_112" value="no"')

    def test_other_types_go_straight_to_the_form(self) -> None:
        self.login_as("anna")
        response = self.client.get(f"{NEW}?community={self.buurt.code}&type=overlast")
        self.assertContains(response, 'name="what"')
        self.assertNotContains(response, 'name="share_with_members"')

    def test_a_stranger_cannot_open_the_form_of_a_community(self) -> None:
        self.login_as("olaf")
        self.assertEqual(self.client.get(f"{NEW}?community={self.buurt.code}&type=overlast").status_code, 404)

    def test_signed_out_visitors_are_sent_to_log_in(self) -> None:
        self.assertEqual(self.client.get(NEW).status_code, 302)

    def test_a_valid_urgent_report_is_stored_and_shows_the_confirmation(self) -> None:
        self.login_as("anna")
        data = self.form_data()
        response = self.client.post(NEW, data)
        report = Report.objects.get()
        self.assertRedirects(response, reverse("reports:submitted", args=[report.code]))
        self.assertEqual((report.type, report.called_112, report.urgency), ("urgent", True, "verdacht"))
        self.assertEqual(report.persons.get().top, "groene jas")
        self.assertEqual(report.vehicles.get().kind, "scooter")
        page = self.client.get(reverse("reports:submitted", args=[report.code]))
        self.assertContains(page, "Politie basisteam Testdorp")
        self.assertContains(page, "https://wa.me/?text=")
        self.assertContains(page, 'href="tel:112"')

    def test_the_whatsapp_text_has_what_where_and_who_was_seen_but_not_the_reporter(self) -> None:
        self.login_as("anna")
        self.client.post(NEW, self.form_data(address="Kerkstraat 12"))
        report = Report.objects.get()
        page = self.client.get(reverse("reports:submitted", args=[report.code])).content.decode()
        link = page.split('href="https://wa.me/?text=')[1].split('"')[0]
        text = unquote(link.replace("&amp;", "&"))
        self.assertIn("fietsen los te knippen", text)
        self.assertIn("Kerkstraat 12", text)
        self.assertIn("groene jas", text)
        self.assertNotIn("Anna", text)
        self.assertNotIn("Jansen", text)

    def test_the_same_token_twice_stores_one_report(self) -> None:
        self.login_as("anna")
        data = self.form_data()
        first = self.client.post(NEW, data)
        second = self.client.post(NEW, data)
        self.assertEqual(Report.objects.count(), 1)
        self.assertEqual(first["Location"], second["Location"])

    def test_the_offline_queue_gets_json_with_the_confirmation_url(self) -> None:
        self.login_as("anna")
        data = self.form_data()
        first = self.client.post(NEW, data, headers={"accept": "application/json"})
        again = self.client.post(NEW, data, headers={"accept": "application/json"})
        self.assertEqual((first.status_code, again.status_code), (201, 200))
        report = Report.objects.get()
        self.assertEqual(first.json()["url"], reverse("reports:submitted", args=[report.code]))
        self.assertEqual(again.json()["code"], str(report.code))

    def test_a_signed_out_json_submit_answers_401_so_the_queue_keeps_it(self) -> None:
        response = self.client.post(NEW, self.form_data(), headers={"accept": "application/json"})
        self.assertEqual(response.status_code, 401)

    def test_missing_what_and_place_are_shown_next_to_the_fields_with_422(self) -> None:
        self.login_as("anna")
        response = self.client.post(NEW, self.form_data(what="", lat="", lon=""))
        self.assertEqual(response.status_code, 422)
        self.assertContains(response, 'id="id_what-error"', status_code=422)
        self.assertContains(response, 'id="location-error"', status_code=422)
        self.assertEqual(Report.objects.count(), 0)

    def test_an_invalid_plate_and_a_skin_colour_only_description_are_refused_per_block(self) -> None:
        self.login_as("anna")
        data = self.form_data(
            **{
                "vehicles-0-plate": "XX",
                "persons-0-top": "",
                "persons-0-bottom": "",
                "persons-0-skin_colour": "donker",
            }
        )
        response = self.client.post(NEW, data)
        self.assertEqual(response.status_code, 422)
        body = response.content.decode()
        self.assertIn('id="id_vehicles_0_plate-error"', body)
        self.assertIn('id="person-0-error"', body)
        self.assertEqual(Report.objects.count(), 0)

    def test_refused_json_lists_the_fields(self) -> None:
        self.login_as("anna")
        response = self.client.post(NEW, self.form_data(what=""), headers={"accept": "application/json"})
        self.assertEqual(response.status_code, 422)
        self.assertIn("what", response.json()["fields"])

    def test_an_urgent_report_without_the_112_answer_is_refused(self) -> None:
        self.login_as("anna")
        response = self.client.post(NEW, self.form_data(called_112=""))
        self.assertEqual(response.status_code, 422)
        self.assertContains(response, "112", status_code=422)
        self.assertEqual(Report.objects.count(), 0)

    def test_add_a_person_without_javascript_shows_a_second_block_and_stores_nothing(self) -> None:
        self.login_as("anna")
        response = self.client.post(NEW, self.form_data(more="persons"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'name="persons-1-top"')
        self.assertContains(response, 'value="groene jas"')
        self.assertEqual(Report.objects.count(), 0)

    def test_a_point_far_outside_the_community_is_refused(self) -> None:
        self.login_as("anna")
        response = self.client.post(NEW, self.form_data(lat="52.5", lon="5.5"))
        self.assertEqual(response.status_code, 422)
        self.assertEqual(Report.objects.count(), 0)

    def test_a_community_the_reporter_is_not_in_is_404(self) -> None:
        self.login_as("anna")
        response = self.client.post(NEW, self.form_data(community=str(self.zuid_community.code)))
        self.assertEqual(response.status_code, 404)
        self.assertEqual(Report.objects.count(), 0)

    def test_opting_out_of_sharing_keeps_it_from_the_members(self) -> None:
        self.login_as("anna")
        data = self.form_data()
        del data["share_with_members"]
        self.client.post(NEW, data)
        self.assertFalse(Report.objects.get().share_with_members)

    def test_an_anonymous_report_keeps_no_plain_link(self) -> None:
        self.login_as("anna")
        self.client.post(NEW, self.form_data(anonymous="on"))
        report = Report.objects.get()
        self.assertTrue(report.anonymous)
        self.assertIsNone(report.reporter)

    def test_a_nuisance_report_needs_no_persons(self) -> None:
        self.login_as("anna")
        data = self.form_data(type="overlast", **{"persons-0-sex": "", "persons-0-top": "", "persons-0-bottom": ""})
        data.pop("urgency")
        data.pop("called_112")
        response = self.client.post(NEW, data)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Report.objects.get().type, "overlast")


@override_settings(REPORT_PHOTO_MAX_BYTES=2_000_000)
class ReportPhotoTests(SamenVeiligTestCase):
    def post_with_photo(self, content: bytes, name: str = "foto.jpg") -> Report | None:
        self.login_as("anna")
        data = {
            "community": str(self.buurt.code),
            "type": "overlast",
            "idempotency_key": str(uuid4()),
            "what": "Zwerfvuil bij de container.",
            "lat": str(NOORD_POINT["lat"]),
            "lon": str(NOORD_POINT["lon"]),
            "photos": [SimpleUploadedFile(name, content, content_type="image/jpeg")],
        }
        self.response = self.client.post(NEW, data)
        return Report.objects.first()

    def test_a_photo_is_stored_without_exif_and_gps(self) -> None:
        original = jpeg_with_gps()
        with Image.open(io.BytesIO(original)) as probe:
            self.assertIn(0x8825, probe.getexif())  # the test photo does carry GPS
        report = self.post_with_photo(original)
        stored = report.photos.get()
        with stored.file.open("rb") as handle:
            content = handle.read()
        with Image.open(io.BytesIO(content)) as image:
            self.assertEqual(dict(image.getexif()), {})
        self.assertNotIn(b"CameraMaker", content)
        self.assertNotIn(b"Exif", content)

    def test_a_file_that_is_no_photo_is_refused_with_422(self) -> None:
        report = self.post_with_photo(b"%PDF-1.4 not an image", "brief.pdf")
        self.assertIsNone(report)
        self.assertEqual(self.response.status_code, 422)
        self.assertContains(self.response, "brief.pdf", status_code=422)

    def test_the_photo_is_for_the_reporter_and_the_partner_only(self) -> None:
        report = self.post_with_photo(jpeg_with_gps())
        photo = report.photos.get()
        url = reverse("reports:photo", args=[report.code, photo.code])
        expected = {"anna": 200, "mark": 200, "cor": 404, "olaf": 404, "bob": 404}
        for who, status in expected.items():
            with self.subTest(who=who):
                self.login_as(who)
                response = self.client.get(url)
                self.assertEqual(response.status_code, status)
                if status == 200:
                    self.assertEqual(response["Content-Type"], "image/jpeg")
                    self.assertIn("no-store", response["Cache-Control"])
                    self.assertIn("private", response["Cache-Control"])


class MyReportsTests(SamenVeiligTestCase):
    def test_my_reports_lists_my_own_reports_including_anonymous_ones(self) -> None:
        submit(self.anna, self.buurt, what="Eigen melding met naam")
        submit(self.anna, self.buurt, what="Anonieme melding van mij", anonymous=True)
        submit(self.cor, self.buurt, what="Melding van Cor")
        self.login_as("anna")
        response = self.client.get(reverse("reports:mine"))
        self.assertContains(response, "Eigen melding met naam")
        self.assertContains(response, "Anonieme melding van mij")
        self.assertNotContains(response, "Melding van Cor")

    def test_an_open_question_is_flagged_and_can_be_answered(self) -> None:
        report = submit(self.anna, self.buurt)
        question = services.report_question_ask(
            report=report, by=self.wendy, organisation=self.police, text="Welke kant liepen ze op?"
        )
        self.login_as("anna")
        self.assertContains(self.client.get(reverse("reports:mine")), "sv-attention")
        detail = self.client.get(reverse("reports:detail", args=[report.code]))
        self.assertContains(detail, "Welke kant liepen ze op?")
        empty = self.client.post(reverse("reports:answer", args=[question.code]), {"text": ""})
        self.assertEqual(empty.status_code, 422)
        response = self.client.post(reverse("reports:answer", args=[question.code]), {"text": "Richting het park."})
        self.assertEqual(response.status_code, 302)
        question.refresh_from_db()
        self.assertEqual(question.answer, "Richting het park.")

    def test_somebody_else_cannot_answer_the_question(self) -> None:
        report = submit(self.anna, self.buurt)
        question = services.report_question_ask(report=report, by=self.wendy, organisation=self.police, text="Wat?")
        self.login_as("cor")
        response = self.client.post(reverse("reports:answer", args=[question.code]), {"text": "Ik weet het"})
        self.assertIn(response.status_code, (403, 404))
        question.refresh_from_db()
        self.assertEqual(question.answer, "")

    def test_the_reporter_sees_the_timeline_and_feedback_and_rates_it(self) -> None:
        report = submit(self.anna, self.buurt)
        services.report_transition(report=report, by=self.wendy, organisation=self.police, status="in_progress")
        feedback = services.feedback_give(
            report=report, by=self.wendy, organisation=self.police, to_reporter="We zijn langs geweest."
        )
        self.login_as("anna")
        detail = self.client.get(reverse("reports:detail", args=[report.code]))
        self.assertContains(detail, "We zijn langs geweest.")
        self.assertContains(detail, reverse("reports:rate", args=[feedback.code]))
        self.client.post(reverse("reports:rate", args=[feedback.code]), {"helpful": "yes"})
        feedback.refresh_from_db()
        self.assertTrue(feedback.helpful)

    def test_no_on_a_closed_report_becomes_a_request_to_reopen(self) -> None:
        report = submit(self.anna, self.buurt)
        services.report_transition(report=report, by=self.wendy, organisation=self.police, status="in_progress")
        feedback = services.feedback_give(report=report, by=self.wendy, organisation=self.police, to_reporter="Klaar.")
        services.report_transition(
            report=report, by=self.wendy, organisation=self.police, status="closed", outcome="solved"
        )
        self.login_as("anna")
        detail = self.client.get(reverse("reports:detail", args=[report.code]))
        self.assertContains(detail, f'id="rate-{feedback.code}-help"')
        self.client.post(reverse("reports:rate", args=[feedback.code]), {"helpful": "no", "reason": "Het gaat door."})
        self.assertEqual(report.reopen_requests.get().reason, "Het gaat door.")

    def test_a_member_sees_the_description_and_community_feedback_but_not_an_anonymous_reporter(self) -> None:
        report = submit(self.anna, self.buurt, anonymous=True)
        services.feedback_give(
            report=report,
            by=self.wendy,
            organisation=self.police,
            to_reporter="Persoonlijk bericht voor de melder.",
            to_community="We hebben extra gesurveilleerd.",
        )
        self.login_as("ivo")
        response = self.client.get(reverse("reports:detail", args=[report.code]))
        self.assertContains(response, "achterdeuren")
        self.assertContains(response, "We hebben extra gesurveilleerd.")
        self.assertNotContains(response, "Persoonlijk bericht voor de melder.")
        self.assertNotContains(response, "Anna")
        self.assertNotContains(response, "Jansen")

    def test_partners_are_sent_to_the_inbox_and_strangers_get_404(self) -> None:
        report = submit(self.anna, self.buurt)
        url = reverse("reports:detail", args=[report.code])
        self.login_as("wendy")
        self.assertRedirects(self.client.get(url), f"/meldingen/inbox/{report.code}/", fetch_redirect_response=False)
        for who in ("olaf", "bob"):
            with self.subTest(who=who):
                self.login_as(who)
                self.assertEqual(self.client.get(url).status_code, 404)

    def test_opening_a_report_marks_its_notifications_read(self) -> None:
        report = submit(self.anna, self.buurt)
        services.report_transition(report=report, by=self.wendy, organisation=self.police, status="in_progress")
        self.assertTrue(Notification.objects.filter(recipient=self.anna, read_at__isnull=True).exists())
        self.login_as("anna")
        self.client.get(reverse("reports:detail", args=[report.code]))
        self.assertFalse(Notification.objects.filter(recipient=self.anna, read_at__isnull=True).exists())

    def test_the_confirmation_page_is_for_the_reporter_only(self) -> None:
        report = submit(self.anna, self.buurt)
        url = reverse("reports:submitted", args=[report.code])
        self.login_as("anna")
        self.assertEqual(self.client.get(url).status_code, 200)
        self.login_as("olaf")
        self.assertEqual(self.client.get(url).status_code, 404)
        self.login_as("cor")
        self.assertEqual(self.client.get(url).status_code, 403)


class ServiceWorkerTests(SamenVeiligTestCase):
    def test_the_service_worker_is_served_as_javascript_under_meldingen(self) -> None:
        response = self.client.get(reverse("reports:sw"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(reverse("reports:sw"), "/meldingen/sw.js")
        self.assertTrue(response["Content-Type"].startswith("application/javascript"))
        self.assertIn(b"send-reports", response.content)

    def test_the_status_is_shown_in_my_reports(self) -> None:
        report = submit(self.anna, self.buurt)
        self.login_as("anna")
        self.assertContains(self.client.get(reverse("reports:mine")), f"sv-status--{report.status}")


class NavigationTests(SamenVeiligTestCase):
    def test_the_navigation_shows_report_links_and_unread_count(self) -> None:
        submit(self.cor, self.buurt)  # anna receives it as a member
        fan_out_pending()
        self.login_as("anna")
        body = self.client.get("/").content.decode()
        self.assertIn(reverse("reports:new"), body)
        self.assertIn(reverse("reports:mine"), body)
        self.assertIn('data-unread="1"', body)
        self.assertNotIn("/meldingen/inbox/", body)

    def test_partner_staff_see_the_inbox_link(self) -> None:
        self.login_as("wendy")
        self.assertContains(self.client.get("/"), 'href="/meldingen/inbox/"')

    def test_json_content_of_the_submit_answer_is_parseable(self) -> None:
        self.login_as("anna")
        response = self.client.post(NEW, {"community": str(self.buurt.code)}, headers={"accept": "application/json"})
        self.assertEqual(response.status_code, 422)
        self.assertIn("message", json.loads(response.content))
