"""The alerts API over real HTTP: sending (idempotent, every "bad input" case, the coordinator's limit), the
preview, answering, the answers for the sender's side only, closing with the outcome for every recipient, what
each view of an alert shows, and the access matrix over the cast."""

import io
from typing import Any
from uuid import uuid4

from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from PIL import ExifTags, Image

from samenveilig.accounts.services import residence_set
from samenveilig.alerts import selectors, services
from samenveilig.alerts.models import Alert, AlertKind, AlertPhoto, AlertResponse
from samenveilig.alerts.tests.factories import CENTRE, send
from samenveilig.areas.tests.helpers import make_homes
from samenveilig.core.models import AuditEvent
from samenveilig.core.testing import ApiTestCase
from samenveilig.notifications.models import ChannelChoice, Fanout, Notification
from samenveilig.notifications.services import fan_out_pending

PROBLEM = "application/problem+json"
URL = "/api/v1/alerts"
NEAR = [(52.0905, 5.1105), (52.0895, 5.1095), (52.0900, 5.1112)]  # within 100 m of CENTRE
FAR = [(52.0990, 5.1190)]  # about 1.2 km from CENTRE


def nl(message: str, **params: Any) -> str:
    """The message as the API says it by default (Dutch)."""
    with translation.override("nl"):
        return gettext(message) % params if params else gettext(message)


class AlertApiTestCase(ApiTestCase):
    """The cast, with homes: anna (Noord, ~120 m from the centre), ivo (Zuid, ~560 m), three neighbours within
    100 m and one ~1.2 km away. olaf, bob and cor have no home: an alert around the centre never reaches them."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        home = {"street": "Dorpsstraat", "city": "Testdorp"}
        residence_set(user=cls.anna, house_number="1", postcode="3511 AB", lat=52.091, lon=5.111, **home)
        residence_set(user=cls.ivo, house_number="2", postcode="3511 AC", lat=52.085, lon=5.11, **home)
        cls.near = make_homes(NEAR, prefix="near")
        cls.far = make_homes(FAR, prefix="far")
        ChannelChoice.objects.create(user=cls.anna, category="alert", channel="email")
        ChannelChoice.objects.create(user_id=cls.near[0].user_id, category="alert", channel="push")

    def body(self, **overrides: Any) -> dict[str, Any]:
        body: dict[str, Any] = {
            "kind": "missing",
            "title": "Vermist: jongen van 8 jaar",
            "text": "Sinds 15:00 vermist bij de speeltuin. Rode jas, blauwe spijkerbroek, loopt richting het park.",
            "persons": [{"sex": "jongen", "age": "8", "top": "rode jas", "bottom": "blauwe spijkerbroek"}],
            "target": "radius",
            "lat": CENTRE[0],
            "lon": CENTRE[1],
            "radius_m": 1000,
        }
        body.update(overrides)
        return body

    def send_api(self, who: Any = None, key: Any = None, **overrides: Any):
        key = key or uuid4()
        return self.post(URL, self.body(**overrides), who or self.wendy, HTTP_IDEMPOTENCY_KEY=str(key))

    def assertProblem(self, response, status: int, code: str) -> dict:  # noqa: N802
        self.assertEqual(response.status_code, status, response.content[:500])
        self.assertEqual(response["Content-Type"], PROBLEM)
        body = response.json()
        self.assertEqual((body["status"], body["code"]), (status, code))
        self.assertTrue(body["detail"])
        return body

    def recipients(self, alert: Alert, kind: str = "alert.sent") -> set[int]:
        return set(
            Notification.objects.filter(subject_type="alerts.alert", subject_code=str(alert.code), kind=kind)
            .exclude(recipient=None)
            .values_list("recipient_id", flat=True)
        )


class SendTests(AlertApiTestCase):
    def test_sending_answers_201_a_replay_200_and_another_body_with_the_same_key_409(self) -> None:
        key = uuid4()
        first = self.send_api(key=key)
        self.assertEqual(first.status_code, 201, first.content)
        sent = first.json()
        self.assertEqual(
            (sent["kind"], sent["state"], sent["view"], sent["sent_as"]), ("missing", "open", "sender", "police")
        )
        self.assertEqual(sent["sender"], self.police.name)
        self.assertEqual(sent["persons"][0]["top"], "rode jas")
        self.assertEqual(sent["target"]["kind"], "radius")
        self.assertEqual(sent["target"]["radius_m"], 1000)
        self.assertEqual(sent["target"]["centre"], {"lat": CENTRE[0], "lon": CENTRE[1]})
        self.assertIsNone(sent["figures"]["reached"])  # the fan-out has not run yet

        again = self.send_api(key=key)
        self.assertEqual(again.status_code, 200, again.content)
        self.assertEqual(again["Idempotent-Replayed"], "true")
        self.assertEqual(again.json()["id"], sent["id"])
        self.assertEqual(Alert.objects.count(), 1)

        other = self.send_api(key=key, title="Vermist: meisje van 6 jaar")
        self.assertProblem(other, 409, "alert.idempotency_mismatch")
        self.assertEqual(Alert.objects.count(), 1)

        fan_out_pending()
        self.assertEqual(
            self.recipients(Alert.objects.get()), {self.anna.pk, self.ivo.pk, *(h.user_id for h in self.near)}
        )

    def test_the_idempotency_key_is_required(self) -> None:
        response = self.post(URL, self.body(), self.wendy)
        body = self.assertProblem(response, 422, "invalid")
        self.assertEqual(list(body["fields"]), ["Idempotency-Key"])
        self.assertEqual(Alert.objects.count(), 0)

    def test_bad_input_is_422_with_a_dutch_message_per_field_and_stores_nothing(self) -> None:
        radius = nl("Choose a radius from %(min)d m to %(max)d km.", min=100, max=5)
        outside = nl("This point lies outside the municipality. Choose a point inside it.")
        cases = {
            "radius 50 m": ({"radius_m": 50}, "radius_m", radius),
            "radius 6 km": ({"radius_m": 6000}, "radius_m", radius),
            "outside the municipality": ({"lat": 52.2, "lon": 5.3}, "location", outside),
            "no title": ({"title": None}, "title", "Dit veld is verplicht."),
        }
        for name, (overrides, field, message) in cases.items():
            with self.subTest(name):
                body = self.body(**overrides)
                body = {k: v for k, v in body.items() if v is not None}
                response = self.post(URL, body, self.wendy, HTTP_IDEMPOTENCY_KEY=str(uuid4()))
                problem = self.assertProblem(response, 422, "alert.invalid")
                self.assertEqual(problem["fields"][field], [message])
                self.assertEqual((Alert.objects.count(), Fanout.objects.count()), (0, 0))

    def test_participants_and_outsiders_may_not_send(self) -> None:
        for who in (self.anna, self.olaf):
            with self.subTest(who=who.username):
                self.assertProblem(self.send_api(who), 403, "alert.forbidden")
        self.assertProblem(self.post(URL, self.body(), None, HTTP_IDEMPOTENCY_KEY=str(uuid4())), 401, "unauthenticated")
        self.assertEqual(Alert.objects.count(), 0)

    def test_a_coordinator_sends_three_alerts_a_day_and_the_fourth_is_429(self) -> None:
        body = {"kind": "warning", "target": "community", "community": str(self.buurt.code)}
        for i in range(3):
            sent = self.send_api(self.cor, title=f"Waarschuwing {i}", **body)
            self.assertEqual(sent.status_code, 201, sent.content)
            self.assertEqual((sent.json()["sent_as"], sent.json()["sender"]), ("coordinator", self.buurt.name))
        fourth = self.send_api(self.cor, title="Waarschuwing 4", **body)
        self.assertProblem(fourth, 429, "alert.rate_limited")
        self.assertEqual(Alert.objects.count(), 3)

    def test_a_coordinator_sends_no_missing_person_alert(self) -> None:
        response = self.send_api(self.cor, community=self.buurt.slug, lat=52.095, lon=5.11)
        problem = self.assertProblem(response, 422, "alert.invalid")
        self.assertIn("kind", problem["fields"])


class PreviewTests(AlertApiTestCase):
    def test_the_preview_counts_the_people_reached_and_their_channels(self) -> None:
        params = {"kind": "missing", "title": "Vermist", "text": "Rode jas.", "lat": CENTRE[0], "lon": CENTRE[1]}
        small = self.get(f"{URL}/preview", self.wendy, data={**params, "radius_m": 300})
        self.assertEqual(small.status_code, 200, small.content)
        self.assertEqual(small.json(), {"total": 4, "app": 4, "email": 1, "sms": 0, "push": 1})
        large = self.get(f"{URL}/preview", self.wendy, data={**params, "radius_m": 2000})
        self.assertEqual(large.json()["total"], 6)
        self.assertEqual(Alert.objects.count(), 0)

    def test_the_preview_takes_buurten_as_repeated_parameters(self) -> None:
        params = {"kind": "warning", "title": "Let op", "text": "Inbraken.", "target": "buurten"}
        one = self.get(f"{URL}/preview", self.wendy, data={**params, "buurten": [self.zuid.code]})
        self.assertEqual(one.json()["total"], 1, one.content)  # ivo's home
        both = self.get(f"{URL}/preview", self.wendy, data={**params, "buurten": [self.zuid.code, self.noord.code]})
        self.assertEqual(both.json()["total"], 2)  # and anna's

    def test_the_preview_checks_like_sending(self) -> None:
        params = {"kind": "missing", "title": "Vermist", "text": "Rode jas.", "lat": CENTRE[0], "lon": CENTRE[1]}
        problem = self.assertProblem(
            self.get(f"{URL}/preview", self.wendy, data={**params, "radius_m": 50}), 422, "alert.invalid"
        )
        self.assertIn("radius_m", problem["fields"])
        self.assertProblem(
            self.get(f"{URL}/preview", self.anna, data={**params, "radius_m": 500}), 403, "alert.forbidden"
        )


class AnswerAndCloseTests(AlertApiTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.alert = send(self.wendy)
        self.url = f"{URL}/{self.alert.code}"

    def test_a_recipient_answers_201_and_a_replay_is_200(self) -> None:
        key = str(uuid4())
        answer = {"kind": "seen", "text": "Bij de bakker, 5 minuten geleden.", "lat": 52.0902, "lon": 5.1101}
        first = self.post(f"{self.url}/responses", answer, self.anna, HTTP_IDEMPOTENCY_KEY=key)
        self.assertEqual(first.status_code, 201, first.content)
        self.assertEqual((first.json()["kind"], first.json()["responder"]), ("seen", None))
        again = self.post(f"{self.url}/responses", answer, self.anna, HTTP_IDEMPOTENCY_KEY=key)
        self.assertEqual((again.status_code, again.json()["id"]), (200, first.json()["id"]))
        other = self.post(f"{self.url}/responses", {**answer, "kind": "not_seen"}, self.anna, HTTP_IDEMPOTENCY_KEY=key)
        self.assertProblem(other, 409, "answer.idempotency_mismatch")
        self.assertEqual(AlertResponse.objects.count(), 1)
        # answering opens the alert notification
        self.assertTrue(
            Notification.objects.filter(recipient=self.anna, kind="alert.sent", read_at__isnull=False).exists()
        )

    def test_an_answer_without_a_needed_text_is_422(self) -> None:
        problem = self.assertProblem(
            self.post(f"{self.url}/responses", {"kind": "info"}, self.anna), 422, "answer.invalid"
        )
        self.assertEqual(problem["fields"]["text"], ["Dit veld is verplicht."])

    def test_somebody_who_did_not_receive_it_gets_404(self) -> None:
        for who in (self.olaf, self.bob, self.cor):
            with self.subTest(who=who.username):
                self.assertProblem(self.post(f"{self.url}/responses", {"kind": "seen"}, who), 404, "not_found")
        self.assertEqual(AlertResponse.objects.count(), 0)

    def test_only_the_sender_side_reads_the_answers(self) -> None:
        self.post(
            f"{self.url}/responses",
            {"kind": "seen", "text": "Bij de bakker.", "lat": 52.0902, "lon": 5.1101},
            self.anna,
        )
        self.post(f"{self.url}/responses", {"kind": "not_seen"}, self.ivo)
        self.assertProblem(self.get(f"{self.url}/responses", self.anna), 403, "forbidden")
        self.assertProblem(self.get(f"{self.url}/responses", self.olaf), 404, "not_found")
        answers = self.get(f"{self.url}/responses", self.wendy)
        self.assertEqual(answers.status_code, 200, answers.content)
        rows = answers.json()
        self.assertEqual([(a["kind"], a["responder"]) for a in rows], [("not_seen", "Ivo"), ("seen", "Anna")])
        self.assertEqual((rows[1]["text"], rows[1]["lat"], rows[1]["lon"]), ("Bij de bakker.", 52.0902, 5.1101))
        self.assertEqual(rows[1]["flags"], [])
        self.assertNotIn("Jansen", str(rows))

    def test_closing_reaches_every_recipient_and_a_second_close_is_409(self) -> None:
        recipients = self.recipients(self.alert)
        self.assertEqual(len(recipients), 5)
        self.post(f"{self.url}/responses", {"kind": "seen"}, self.anna)

        closed = self.post(f"{self.url}/close", {"outcome": "found", "text": "Hij is gevonden. Dank!"}, self.wendy)
        self.assertEqual(closed.status_code, 200, closed.content)
        self.assertEqual(
            (closed.json()["state"], closed.json()["outcome"], closed.json()["outcome_text"]),
            ("closed", "found", "Hij is gevonden. Dank!"),
        )
        self.assertProblem(
            self.post(f"{self.url}/close", {"outcome": "found"}, self.wendy), 409, "alert.already_closed"
        )

        fan_out_pending()
        self.assertEqual(self.recipients(self.alert, "alert.closed"), recipients)  # also those who did not answer
        seen = self.get(self.url, self.ivo).json()
        self.assertEqual(
            (seen["state"], seen["outcome"], seen["outcome_text"]), ("closed", "found", "Hij is gevonden. Dank!")
        )

    def test_an_answer_to_a_closed_alert_is_422(self) -> None:
        self.post(f"{self.url}/close", {"outcome": "no_result"}, self.wendy)
        self.assertProblem(self.post(f"{self.url}/responses", {"kind": "seen"}, self.anna), 422, "alert.closed")

    def test_closing_needs_a_known_outcome(self) -> None:
        problem = self.assertProblem(
            self.post(f"{self.url}/close", {"outcome": "expired"}, self.wendy), 422, "alert.invalid"
        )
        self.assertIn("outcome", problem["fields"])
        self.assertIsNone(Alert.objects.get().closed_at)


class ViewTests(AlertApiTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.alert = send(self.wendy)
        services.alert_update(alert=self.alert, by=self.wendy, text="Hij is gezien bij het station.")
        self.url = f"{URL}/{self.alert.code}"

    def test_the_sender_side_sees_the_figures(self) -> None:
        self.post(f"{self.url}/responses", {"kind": "seen", "text": "Bij de bakker."}, self.anna)
        self.post(f"{self.url}/responses", {"kind": "info", "text": "Hij liep richting het park."}, self.anna)
        self.post(f"{self.url}/responses", {"kind": "not_seen"}, self.ivo)
        response = self.get(self.url, self.wendy)
        self.assertEqual(response.status_code, 200, response.content)
        alert = response.json()
        self.assertEqual(alert["view"], "sender")
        self.assertEqual([u["text"] for u in alert["updates"]], ["Hij is gezien bij het station."])
        figures = alert["figures"]
        self.assertEqual((figures["reached"], figures["opened"], figures["answered"], figures["answers"]), (5, 2, 2, 3))
        self.assertEqual(figures["by_kind"], {"seen": 1, "not_seen": 1, "info": 1})
        self.assertGreaterEqual(figures["first_answer_s"], 0)
        self.assertEqual(sum(figures["channels"]["email"].values()), 1)  # anna chose e-mail for alerts
        self.assertEqual(sum(figures["channels"]["sms"].values()), 0)

    def test_a_recipient_sees_the_alert_without_figures_answers_or_homes(self) -> None:
        self.post(f"{self.url}/responses", {"kind": "seen", "text": "Bij de bakker."}, self.anna)
        response = self.get(self.url, self.anna)
        self.assertEqual(response.status_code, 200, response.content)
        alert = response.json()
        self.assertEqual((alert["view"], alert["title"], alert["state"]), ("recipient", self.alert.title, "open"))
        self.assertIsNone(alert["figures"])
        self.assertEqual([u["text"] for u in alert["updates"]], ["Hij is gezien bij het station."])
        for hidden in ("Bij de bakker", "52.091", "Dorpsstraat", "Jansen", "responses", "answers"):
            self.assertNotIn(hidden, response.content.decode())

    def test_the_list_shows_each_person_their_alerts(self) -> None:
        warning = send(self.cor, "warning", target="community", community=str(self.buurt.code))
        by_wendy = {a["id"]: a["view"] for a in self.get(URL, self.wendy).json()}
        self.assertEqual(by_wendy, {str(self.alert.code): "sender", str(warning.code): "copy"})
        by_anna = [(a["id"], a["view"]) for a in self.get(URL, self.anna).json()]
        self.assertEqual(by_anna, [(str(warning.code), "recipient"), (str(self.alert.code), "recipient")])
        self.assertEqual([a["view"] for a in self.get(URL, self.cor).json()], ["sender"])
        self.assertEqual(self.get(URL, self.olaf).json(), [])
        self.assertEqual(self.get(URL, self.bob).json(), [])

    def test_open_alerts_come_first_in_two_queries(self) -> None:
        later = send(self.wendy, title="Vermist: meisje van 6 jaar")
        services.alert_close(alert=later, by=self.wendy, outcome="found")
        with self.assertNumQueries(2):
            found = selectors.alerts_for(self.anna)
        self.assertEqual([a.code for a in found], [self.alert.code, later.code])
        self.assertEqual([a.open for a in found], [True, False])

    def test_there_is_a_template_for_every_kind(self) -> None:
        templates = selectors.alert_templates()
        self.assertEqual(set(templates), set(AlertKind.values))
        for kind, template in templates.items():
            with self.subTest(kind=kind):
                self.assertTrue(template["title"] and template["text"])
                self.assertLessEqual(len(template["title"]), services.MAX_TITLE)


class AccessMatrixTests(AlertApiTestCase):
    """wendy's alert around the centre reaches anna (and ivo, and the neighbours); bob is other police, olaf has no
    role and cor no home there. Cells: GET alert, GET responses, POST responses, POST close."""

    MATRIX = {
        "bob": (404, 404, 404, 404),
        "olaf": (404, 404, 404, 404),
        "cor": (404, 404, 404, 404),
        "anna": (200, 403, 201, 403),
        "wendy": (200, 200, 403, 200),  # last: she closes it
        None: (401, 401, 401, 401),
    }

    def test_who_may_do_what_with_an_alert(self) -> None:
        alert = send(self.wendy)
        url = f"{URL}/{alert.code}"
        for name, expected in self.MATRIX.items():
            who = getattr(self, name) if name else None
            with self.subTest(who=name):
                got = (
                    self.get(url, who).status_code,
                    self.get(f"{url}/responses", who).status_code,
                    self.post(f"{url}/responses", {"kind": "seen"}, who).status_code,
                    self.post(f"{url}/close", {"outcome": "found"}, who).status_code,
                )
                self.assertEqual(got, expected)
        self.assertEqual(self.get(f"{URL}/{uuid4()}", self.wendy).status_code, 404)


class UpdateTests(AlertApiTestCase):
    def test_the_sender_side_posts_an_update_to_every_recipient_while_it_is_open(self) -> None:
        alert = send(self.wendy)
        url = f"{URL}/{alert.code}/updates"
        response = self.post(url, {"text": "Hij draagt nu een grijze muts."}, self.wendy)
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["text"], "Hij draagt nu een grijze muts.")
        fan_out_pending()
        received = Notification.objects.filter(kind="alert.update", subject_code=str(alert.code))
        self.assertEqual(received.count(), 5)  # anna, ivo and the three neighbours
        self.assertProblem(self.post(url, {"text": "Ik ook"}, self.anna), 403, "forbidden")
        self.assertProblem(self.post(url, {"text": "Ik ook"}, self.olaf), 404, "not_found")
        self.assertProblem(self.post(url, {"text": ""}, self.wendy), 422, "alert.invalid")
        services.alert_close(alert=alert, by=self.wendy, outcome="found")
        self.assertProblem(self.post(url, {"text": "Nog iets"}, self.wendy), 422, "alert.closed")
        self.assertEqual(alert.updates.count(), 1)


def photo_with_exif(fmt: str = "JPEG", size: tuple[int, int] = (40, 30)) -> io.BytesIO:
    """A small image made in memory that carries a camera make and a GPS position in its EXIF."""
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Telefoonmerk"
    exif[ExifTags.Base.Model] = "Model X"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef], gps[ExifTags.GPS.GPSLatitude] = "N", (52.0, 5.0, 26.0)
    gps[ExifTags.GPS.GPSLongitudeRef], gps[ExifTags.GPS.GPSLongitude] = "E", (5.0, 6.0, 40.0)
    out = io.BytesIO()
    image.save(out, format=fmt, exif=exif)
    with Image.open(io.BytesIO(out.getvalue())) as made:  # the fixture really carries the metadata
        assert made.getexif().get_ifd(ExifTags.IFD.GPSInfo)  # noqa: S101
    out.seek(0)
    out.name = "foto.jpg" if fmt == "JPEG" else "foto.png"
    return out


class PhotoTests(AlertApiTestCase):
    """The photo of an alert (the sender's side sets it, everybody who sees the alert fetches it) and of an answer
    (its author sets it, the sender's side and the author fetch it): multipart POST, metadata stripped, no-store."""

    def setUp(self) -> None:
        super().setUp()
        self.alert = send(self.wendy)
        self.url = f"{URL}/{self.alert.code}"

    def put_photo(self, url: str, upload: Any, who: Any = None):
        data = {"photo": upload} if upload is not None else {}
        return self.client.post(url, data, **self.auth(who))

    def answer(self, who: Any) -> str:
        response = self.post(f"{self.url}/responses", {"kind": "seen", "text": "Bij de bakker."}, who)
        self.assertEqual(response.status_code, 201, response.content)
        return response.json()["id"]

    def assertNoExif(self, content: bytes, fmt: str) -> None:  # noqa: N802
        with Image.open(io.BytesIO(content)) as image:
            self.assertEqual(image.format, fmt)
            self.assertEqual(dict(image.getexif()), {})
            self.assertNotIn("exif", image.info)
        self.assertNotIn(b"Telefoonmerk", content)

    def test_the_sender_sets_a_photo_without_exif_that_everybody_who_sees_the_alert_fetches(self) -> None:
        response = self.put_photo(f"{self.url}/photo", photo_with_exif("JPEG"), self.wendy)
        self.assertEqual(response.status_code, 200, response.content)
        photo = response.json()
        self.assertEqual((photo["content_type"], photo["width"], photo["height"]), ("image/jpeg", 40, 30))
        self.assertGreater(photo["size"], 0)
        self.assertEqual(
            photo["url"], "http://testserver" + reverse("api:alert_photo", kwargs={"code": self.alert.code})
        )
        path = photo["url"].removeprefix("http://testserver")
        for who, status in ((self.wendy, 200), (self.anna, 200), (self.ivo, 200), (self.olaf, 404), (self.bob, 404)):
            with self.subTest(who=who.username):
                fetched = self.get(path, who)
                self.assertEqual(fetched.status_code, status)
                if status == 200:
                    self.assertEqual(fetched["Content-Type"], "image/jpeg")
                    self.assertEqual(fetched["Cache-Control"], "private, no-store")
                    self.assertNoExif(fetched.getvalue(), "JPEG")
        self.assertEqual(self.get(path).status_code, 401)
        self.assertEqual(self.get(self.url, self.anna).json()["photo"]["id"], photo["id"])
        self.assertTrue(AuditEvent.objects.filter(action="alert.photo", object_id=str(self.alert.pk)).exists())

        # replacing it deletes the old photo: its row at once, its file once the transaction committed
        old = AlertPhoto.objects.get(code=photo["id"])
        self.assertTrue(default_storage.exists(old.file.name))
        with self.captureOnCommitCallbacks(execute=True):
            again = self.put_photo(f"{self.url}/photo", photo_with_exif("PNG", (20, 10)), self.wendy)
        self.assertEqual(again.status_code, 200, again.content)
        self.assertEqual((again.json()["content_type"], again.json()["width"]), ("image/png", 20))
        self.assertFalse(AlertPhoto.objects.filter(pk=old.pk).exists())
        self.assertFalse(default_storage.exists(old.file.name))
        self.assertEqual(AlertPhoto.objects.count(), 1)
        self.assertNoExif(self.get(path, self.anna).getvalue(), "PNG")

    def test_an_alert_without_a_photo_shows_null_and_its_photo_is_404(self) -> None:
        self.assertIsNone(self.get(self.url, self.anna).json()["photo"])
        self.assertProblem(self.get(f"{self.url}/photo", self.anna), 404, "not_found")

    def test_a_non_image_is_422_with_a_dutch_message_and_stores_nothing(self) -> None:
        not_an_image = io.BytesIO(b"%PDF-1.4 not a photo")
        not_an_image.name = "scan.pdf"
        problem = self.assertProblem(self.put_photo(f"{self.url}/photo", not_an_image, self.wendy), 422, "alert.photo")
        message = nl("This file is not a photo we can read: send a JPEG, PNG or HEIC image.")
        self.assertNotEqual(message, "This file is not a photo we can read: send a JPEG, PNG or HEIC image.")
        self.assertEqual(problem["fields"], {"photo": [message]})
        missing = self.assertProblem(
            self.put_photo(f"{self.url}/photo", None, self.wendy), 422, "invalid"
        )  # ninja: the field is required
        self.assertIn("photo", missing["fields"])
        answer = self.answer(self.anna)
        self.assertProblem(
            self.put_photo(f"{self.url}/responses/{answer}/photo", io.BytesIO(b"GIF89a"), self.anna),
            422,
            "answer.photo",
        )
        self.assertEqual(AlertPhoto.objects.count(), 0)
        self.assertIsNone(Alert.objects.get().photo)

    def test_only_the_sender_side_sets_the_alert_photo(self) -> None:
        url = f"{self.url}/photo"
        self.assertProblem(self.put_photo(url, photo_with_exif(), self.anna), 403, "forbidden")
        for who in (self.olaf, self.bob, self.cor):
            with self.subTest(who=who.username):
                self.assertProblem(self.put_photo(url, photo_with_exif(), who), 404, "not_found")
        self.assertEqual(self.put_photo(url, photo_with_exif()).status_code, 401)
        self.assertEqual(AlertPhoto.objects.count(), 0)

    def test_the_author_sets_the_photo_of_an_answer_for_the_sender_side_only(self) -> None:
        answer = self.answer(self.anna)
        url = f"{self.url}/responses/{answer}/photo"
        for who in (self.ivo, self.wendy, self.olaf):  # another recipient, the sender, an outsider
            with self.subTest(who=who.username):
                self.assertProblem(self.put_photo(url, photo_with_exif("PNG"), who), 404, "not_found")
        response = self.put_photo(url, photo_with_exif("PNG"), self.anna)
        self.assertEqual(response.status_code, 200, response.content)
        photo = response.json()
        self.assertEqual(photo["content_type"], "image/png")
        self.assertEqual(
            photo["url"],
            "http://testserver"
            + reverse("api:alert_answer_photo", kwargs={"code": self.alert.code, "response_code": answer}),
        )
        path = photo["url"].removeprefix("http://testserver")
        for who, status in ((self.wendy, 200), (self.anna, 200), (self.ivo, 403), (self.olaf, 404), (self.bob, 404)):
            with self.subTest(who=who.username):
                fetched = self.get(path, who)
                body = fetched.getvalue()  # streamed when it is the image: read once
                self.assertEqual(fetched.status_code, status, body[:200])
                if status == 200:
                    self.assertEqual(fetched["Cache-Control"], "private, no-store")
                    self.assertNoExif(body, "PNG")
        answers = self.get(f"{self.url}/responses", self.wendy).json()
        self.assertEqual(answers[0]["photo"]["id"], photo["id"])
        self.assertEqual(answers[0]["photo"]["url"], photo["url"])
        # the photo of an answer without one is 404, also for the sender's side
        other = self.answer(self.ivo)
        self.assertProblem(self.get(f"{self.url}/responses/{other}/photo", self.wendy), 404, "not_found")
        self.assertProblem(self.get(f"{self.url}/responses/{uuid4()}/photo", self.wendy), 404, "not_found")
        self.assertNotIn("photo", str(self.get(self.url, self.ivo).json().get("figures")))

    def test_no_photo_lands_on_a_closed_alert(self) -> None:
        answer = self.answer(self.anna)
        services.alert_close(alert=self.alert, by=self.wendy, outcome="found")
        self.assertProblem(self.put_photo(f"{self.url}/photo", photo_with_exif(), self.wendy), 422, "alert.closed")
        self.assertProblem(
            self.put_photo(f"{self.url}/responses/{answer}/photo", photo_with_exif(), self.anna), 422, "alert.closed"
        )
        self.assertEqual(AlertPhoto.objects.count(), 0)
        self.assertEqual(AlertResponse.objects.exclude(photo=None).count(), 0)
