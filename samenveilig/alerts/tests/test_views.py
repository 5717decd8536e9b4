"""The alert pages with the test client: each role sees its page (the sender's side the console, a recipient the
answer form, a police copy a read-only page, anybody else a 404), the forms post once per key, and the messages
of the services come back in Dutch next to the fields."""

import uuid
from typing import Any

from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from samenveilig.accounts.services import residence_set
from samenveilig.alerts.models import Alert, AlertOutcome, AlertResponse, AlertUpdate
from samenveilig.alerts.tests.factories import CENTRE, send
from samenveilig.communities.models import Membership
from samenveilig.core.testing import SamenVeiligTestCase
from samenveilig.notifications.services import fan_out_pending


def t(message: str) -> str:
    with translation.override("nl"):
        return translation.gettext(message)


def home(user: Any, lat: float, lon: float) -> None:
    residence_set(
        user=user, street="Dorpsstraat", house_number="1", postcode="3511 AB", city="Testdorp", lat=lat, lon=lon
    )


@override_settings(LANGUAGE_CODE="nl", LIVE_PORT=0, LIVE_URL="")
class AlertViewTests(SamenVeiligTestCase):
    def setUp(self) -> None:
        home(self.anna, CENTRE[0] + 0.001, CENTRE[1] + 0.001)  # inside a 1 km radius around the centre
        home(self.olaf, 52.0805, 5.1005)  # about 1.2 km away: outside

    def send_form(self, **overrides: Any) -> dict[str, Any]:
        data = {
            "idempotency_key": str(uuid.uuid4()),
            "kind": "missing",
            "title": "Vermist: jongen van 8 jaar",
            "text": "Sinds 15:00 vermist bij de speeltuin. Rode jas, blauwe spijkerbroek.",
            "target": "radius",
            "lat": str(CENTRE[0]),
            "lon": str(CENTRE[1]),
            "radius_m": "1000",
            "valid_minutes": "60",
            "urgent": "on",
        }
        data.update(overrides)
        return data

    # --- the list -----------------------------------------------------------------------------------------------
    def test_the_list_offers_sending_to_the_police_and_coordinators_only(self) -> None:
        new = reverse("alerts:new")
        for who, offered in {"wendy": True, "cor": True, "anna": False, "olaf": False}.items():
            with self.subTest(who=who):
                self.login_as(who)
                response = self.client.get(reverse("alerts:list"))
                self.assertEqual(response.status_code, 200)
                self.assertEqual(f'href="{new}"' in response.content.decode(), offered)
        self.login_as(None)
        self.assertEqual(self.client.get(reverse("alerts:list")).status_code, 302)

    def test_the_list_shows_received_and_sent_alerts(self) -> None:
        alert = send(self.wendy)
        for who, view in {"wendy": "sender", "anna": "recipient"}.items():
            with self.subTest(who=who):
                self.login_as(who)
                body = self.client.get(reverse("alerts:list")).content.decode()
                self.assertIn(f'data-alert-row="{alert.code}" data-view="{view}"', body)
        self.login_as("olaf")
        self.assertNotIn(str(alert.code), self.client.get(reverse("alerts:list")).content.decode())

    def test_a_member_switches_to_every_alert_in_the_whole_area(self) -> None:
        self.login_as("anna")
        response = self.client.post(reverse("alerts:opt_in"), {"community": str(self.buurt.code), "on": "on"})
        self.assertRedirects(response, reverse("alerts:list") + "#whole-area")
        self.assertTrue(Membership.objects.get(user=self.anna, community=self.buurt).alerts_whole_area)
        self.client.post(reverse("alerts:opt_in"), {"community": str(self.buurt.code)})
        self.assertFalse(Membership.objects.get(user=self.anna, community=self.buurt).alerts_whole_area)
        self.login_as("olaf")  # not a member: nothing to switch
        self.assertEqual(
            self.client.post(reverse("alerts:opt_in"), {"community": str(self.buurt.code), "on": "on"}).status_code,
            404,
        )

    # --- sending ------------------------------------------------------------------------------------------------
    def test_the_send_page_is_for_senders_only(self) -> None:
        for who, status in {"wendy": 200, "cor": 200, "anna": 403, "olaf": 403}.items():
            with self.subTest(who=who):
                self.login_as(who)
                self.assertEqual(self.client.get(reverse("alerts:new")).status_code, status)
        self.login_as("wendy")
        body = self.client.get(reverse("alerts:new")).content.decode()
        self.assertIn('name="idempotency_key"', body)
        self.assertIn("data-templates=", body)
        self.assertIn('value="BU90010102"', body)  # the buurten of her partner community's municipality

    def test_the_police_send_an_alert_once_per_key(self) -> None:
        self.login_as("wendy")
        data = self.send_form()
        response = self.client.post(reverse("alerts:new"), data)
        alert = Alert.objects.get()
        self.assertRedirects(response, reverse("alerts:detail", args=[alert.code]))
        self.assertEqual((alert.kind, alert.radius_m, alert.urgent, alert.sender), ("missing", 1000, True, self.wendy))
        again = self.client.post(reverse("alerts:new"), data)
        self.assertRedirects(again, reverse("alerts:detail", args=[alert.code]))
        self.assertEqual(Alert.objects.count(), 1)

    def test_the_service_messages_show_in_dutch_next_to_the_fields(self) -> None:
        self.login_as("wendy")
        response = self.client.post(reverse("alerts:new"), self.send_form(lat="", lon="", title="", valid_minutes=""))
        self.assertEqual(response.status_code, 422)
        body = response.content.decode()
        self.assertIn("Dit veld is verplicht.", body)  # Django's own message, in Dutch
        response = self.client.post(reverse("alerts:new"), self.send_form(lat="", lon="", title=""))
        self.assertEqual(response.status_code, 422)
        body = response.content.decode()
        self.assertIn(t("Put the centre of the alert on the map."), body)
        self.assertIn(t("The alert is not complete yet: see the fields marked."), body)
        self.assertEqual(Alert.objects.count(), 0)

    def test_a_coordinator_confirms_112_for_an_urgent_alert(self) -> None:
        self.login_as("cor")
        data = self.send_form(kind="warning", community=str(self.buurt.code), lat="52.095", lon="5.11")
        response = self.client.post(reverse("alerts:new"), data)
        self.assertEqual(response.status_code, 422)
        self.assertIn(
            t("An urgent situation goes to 112 first. Confirm that 112 was called before you alert the community."),
            response.content.decode(),
        )
        response = self.client.post(reverse("alerts:new"), {**data, "called_112": "on"})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Alert.objects.get().sent_as, "coordinator")

    def test_the_preview_counts_whom_the_alert_reaches(self) -> None:
        self.login_as("wendy")
        response = self.client.get(reverse("alerts:preview"), self.send_form(), HTTP_HX_REQUEST="true")
        self.assertEqual(response.status_code, 200)
        self.assertIn('data-preview-total="1"', response.content.decode())  # anna, not olaf
        wider = self.client.get(reverse("alerts:preview"), self.send_form(radius_m="5000"))
        self.assertIn('data-preview-total="2"', wider.content.decode())
        nowhere = self.client.get(reverse("alerts:preview"), self.send_form(lat="", lon=""))
        self.assertIn(t("Put the centre of the alert on the map."), nowhere.content.decode())
        self.login_as("anna")
        self.assertEqual(self.client.get(reverse("alerts:preview"), self.send_form()).status_code, 403)

    # --- one alert ----------------------------------------------------------------------------------------------
    def test_each_role_sees_its_own_page_of_an_alert(self) -> None:
        alert = send(self.wendy)
        url = reverse("alerts:detail", args=[alert.code])
        expected = {"wendy": (200, "data-console-map"), "anna": (200, 'data-answer="seen"')}
        for who, (status, marker) in expected.items():
            with self.subTest(who=who):
                self.login_as(who)
                response = self.client.get(url)
                self.assertEqual(response.status_code, status)
                self.assertIn(marker, response.content.decode())
        self.login_as("anna")
        self.assertNotIn("data-console-map", self.client.get(url).content.decode())
        for who in ("olaf", "bob", "cor", "mark"):
            with self.subTest(who=who):
                self.login_as(who)
                self.assertEqual(self.client.get(url).status_code, 404)
        self.login_as(None)
        self.assertEqual(self.client.get(url).status_code, 302)
        self.login_as("wendy")
        self.assertEqual(self.client.get(reverse("alerts:detail", args=[uuid.uuid4()])).status_code, 404)

    def test_the_police_read_a_coordinators_alert_as_a_copy(self) -> None:
        alert = send(self.cor, "warning", community=str(self.buurt.code), called_112=True, lat=52.095)
        self.login_as("wendy")
        response = self.client.get(reverse("alerts:detail", args=[alert.code]))
        self.assertEqual(response.status_code, 200)
        body = response.content.decode()
        self.assertIn('data-view="copy"', body)
        self.assertNotIn('data-answer="seen"', body)
        self.assertNotIn("data-console-map", body)

    def test_a_recipient_answers_once_per_key_and_sees_the_answer(self) -> None:
        alert = send(self.wendy)
        self.login_as("anna")
        data = {"idempotency_key": str(uuid.uuid4()), "kind": "seen", "text": "Bij de speeltuin", "lat": "52.0905",
                "lon": "5.1105"}  # fmt: skip
        response = self.client.post(reverse("alerts:respond", args=[alert.code]), data)
        self.assertRedirects(response, reverse("alerts:detail", args=[alert.code]) + "#own-answers")
        self.client.post(reverse("alerts:respond", args=[alert.code]), data)
        answer = AlertResponse.objects.get()
        self.assertEqual((answer.kind, answer.lat, answer.responder), ("seen", 52.0905, self.anna))
        body = self.client.get(reverse("alerts:detail", args=[alert.code])).content.decode()
        self.assertIn('data-own-answer="seen"', body)
        self.assertIn(t("Thank you: your answer has been sent."), body)

    def test_information_without_text_is_refused_in_dutch(self) -> None:
        alert = send(self.wendy)
        self.login_as("anna")
        response = self.client.post(
            reverse("alerts:respond", args=[alert.code]), {"idempotency_key": str(uuid.uuid4()), "kind": "info"}
        )
        self.assertEqual(response.status_code, 422)
        self.assertIn(t("This field is required."), response.content.decode())
        self.assertEqual(AlertResponse.objects.count(), 0)

    def test_only_recipients_answer(self) -> None:
        alert = send(self.wendy)
        data = {"idempotency_key": str(uuid.uuid4()), "kind": "seen"}
        for who, status in {"olaf": 404, "bob": 404, "wendy": 403}.items():
            with self.subTest(who=who):
                self.login_as(who)
                self.assertEqual(
                    self.client.post(reverse("alerts:respond", args=[alert.code]), data).status_code, status
                )
        self.assertEqual(AlertResponse.objects.count(), 0)

    def test_the_console_parts_show_answers_and_pins_to_the_sender_side_only(self) -> None:
        alert = send(self.wendy)
        self.login_as("anna")
        self.client.post(
            reverse("alerts:respond", args=[alert.code]),
            {"idempotency_key": str(uuid.uuid4()), "kind": "seen", "lat": "52.0905", "lon": "5.1105"},
        )
        url = reverse("alerts:console_parts", args=[alert.code])
        self.assertEqual(self.client.get(url).status_code, 403)
        self.login_as("olaf")
        self.assertEqual(self.client.get(url).status_code, 404)
        self.login_as("wendy")
        response = self.client.get(url, HTTP_HX_REQUEST="true")
        self.assertEqual(response.status_code, 200)
        body = response.content.decode()
        self.assertIn('data-answer-item="seen"', body)
        self.assertNotIn("<html", body)
        pins = self.client.get(url, {"format": "json"}).json()
        self.assertEqual([(p["kind"], p["lat"], p["lon"]) for p in pins["pins"]], [("seen", 52.0905, 5.1105)])
        self.assertEqual(pins["counts"]["seen"], 1)
        self.assertNotIn("Dorpsstraat", response.content.decode())

    def test_the_sender_posts_an_update_once_and_closes_with_the_outcome(self) -> None:
        alert = send(self.wendy)
        self.login_as("wendy")
        key = str(uuid.uuid4())
        for _ in range(2):
            response = self.client.post(
                reverse("alerts:update", args=[alert.code]), {"idempotency_key": key, "text": "Hij draagt een pet."}
            )
            self.assertEqual(response.status_code, 302)
        self.assertEqual(AlertUpdate.objects.count(), 1)
        refused = self.client.post(reverse("alerts:update", args=[alert.code]), {"idempotency_key": key, "text": ""})
        self.assertEqual(refused.status_code, 422)
        close = {"idempotency_key": str(uuid.uuid4()), "outcome": "found", "text": "Hij is gevonden, dank!"}
        for _ in range(2):
            response = self.client.post(reverse("alerts:close", args=[alert.code]), close)
            self.assertRedirects(response, reverse("alerts:detail", args=[alert.code]))
        alert.refresh_from_db()
        self.assertEqual((alert.outcome, alert.closed_by), (AlertOutcome.FOUND, self.wendy))
        self.login_as("anna")
        body = self.client.get(reverse("alerts:detail", args=[alert.code])).content.decode()
        self.assertIn('data-outcome="found"', body)
        self.assertIn("Hij draagt een pet.", body)
        self.assertNotIn('data-answer="seen"', body)  # no more answers taken
        late = self.client.post(
            reverse("alerts:respond", args=[alert.code]), {"idempotency_key": str(uuid.uuid4()), "kind": "seen"}
        )
        self.assertEqual(late.status_code, 422)
        self.assertIn(t("This alert is closed: answers are no longer taken."), late.content.decode())

    def test_a_recipient_cannot_update_or_close(self) -> None:
        alert = send(self.wendy)
        self.login_as("anna")
        for name in ("update", "close"):
            with self.subTest(name=name):
                data = {"idempotency_key": str(uuid.uuid4()), "text": "x", "outcome": "found"}
                self.assertEqual(self.client.post(reverse(f"alerts:{name}", args=[alert.code]), data).status_code, 403)
        alert.refresh_from_db()
        self.assertIsNone(alert.closed_at)

    # --- persons and vehicles on the send form ------------------------------------------------------------------
    def test_the_send_page_offers_the_person_and_vehicle_blocks_of_reports(self) -> None:
        self.login_as("wendy")
        body = self.client.get(reverse("alerts:new")).content.decode()
        for name in ("persons-0-top", "persons-0-origin", "vehicles-0-plate", "vehicles-0-foreign_plate"):
            self.assertIn(f'name="{name}"', body)
        self.assertIn('<template data-template="persons">', body)
        self.assertIn('data-add="vehicles"', body)
        # "Add a person" without JavaScript: the same form with a second block, nothing sent.
        data = self.send_form(**{"persons-0-top": "rode jas", "more": "persons"})
        response = self.client.post(reverse("alerts:new"), data)
        self.assertEqual(response.status_code, 200)
        body = response.content.decode()
        self.assertIn('name="persons-1-top"', body)
        self.assertIn('value="rode jas"', body)
        self.assertEqual(Alert.objects.count(), 0)

    def test_the_police_send_an_alert_with_a_person_and_a_vehicle(self) -> None:
        self.login_as("wendy")
        data = self.send_form(
            kind="suspect",
            title="Verdachte na inbraak",
            text="Na een inbraak aan de Dorpsstraat gevlucht richting het park.",
            **{
                "persons-0-top": "  zwarte   jas ",
                "persons-0-bottom": "grijze joggingbroek",
                "persons-0-height": "ca. 1,80 m",
                "vehicles-0-kind": "scooter",
                "vehicles-0-colour": "wit",
                "vehicles-0-plate": "gf123k",
                "vehicles-1-make": "",  # an empty block is left out
            },
        )
        response = self.client.post(reverse("alerts:new"), data)
        alert = Alert.objects.get()
        self.assertRedirects(response, reverse("alerts:detail", args=[alert.code]))
        self.assertEqual(len(alert.persons), 1)
        person = alert.persons[0]
        self.assertEqual(
            (person["top"], person["bottom"], person["height"]), ("zwarte jas", "grijze joggingbroek", "ca. 1,80 m")
        )
        self.assertEqual(person["origin"], "")
        self.assertEqual(len(alert.vehicles), 1)
        vehicle = alert.vehicles[0]
        self.assertEqual((vehicle["kind"], vehicle["colour"], vehicle["plate"]), ("scooter", "wit", "GF-123-K"))
        self.assertFalse(vehicle["foreign_plate"])
        fan_out_pending()
        self.login_as("anna")  # a recipient reads the description too
        body = self.client.get(reverse("alerts:detail", args=[alert.code])).content.decode()
        self.assertIn("zwarte jas", body)
        self.assertIn("GF-123-K", body)
        self.assertIn("data-person", body)
        self.assertIn("data-vehicle", body)

    def test_a_person_by_origin_alone_is_refused_next_to_the_block(self) -> None:
        self.login_as("wendy")
        data = self.send_form(kind="suspect", **{"persons-0-origin": "Noord-Afrikaans", "persons-0-direction": "park"})
        response = self.client.post(reverse("alerts:new"), data)
        self.assertEqual(response.status_code, 422)
        body = response.content.decode()
        rule = t(
            "You mention skin colour or origin. That only helps to recognise someone together with other details: "
            "add at least two, such as clothing, shoes, height, build, hair, headwear or distinguishing marks. That "
            "way nobody becomes a suspect because of how they look."
        )
        rule = escape(rule)
        self.assertIn(rule, body)
        block = body.index('id="person-0-error"')
        self.assertLess(body.index('data-block="persons"'), block)
        self.assertGreater(body.index(rule), block)
        self.assertNotIn('class="utrecht-unordered-list__item">' + rule, body)  # not (only) on top of the form
        self.assertIn('value="Noord-Afrikaans"', body)  # the values survive
        self.assertIn('value="park"', body)
        self.assertEqual(Alert.objects.count(), 0)

    def test_a_bad_dutch_plate_gets_its_message_next_to_the_plate(self) -> None:
        self.login_as("wendy")
        data = self.send_form(kind="vehicle", **{"vehicles-0-colour": "rood", "vehicles-0-plate": "QQQ"})
        response = self.client.post(reverse("alerts:new"), data)
        self.assertEqual(response.status_code, 422)
        body = response.content.decode()
        message = escape(
            t(
                "This is not a Dutch licence plate (such as GF-123-K or 12-ABC-3). Is it a foreign plate? Then mark it "
                "as foreign."
            )
        )
        self.assertIn('id="id_vehicles_0_plate-error"', body)
        self.assertGreater(body.index(message), body.index('id="id_vehicles_0_plate-error"'))
        self.assertIn('value="QQQ"', body)
        self.assertEqual(Alert.objects.count(), 0)
        # Marked as foreign, the same plate goes.
        response = self.client.post(reverse("alerts:new"), {**data, "vehicles-0-foreign_plate": "on"})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Alert.objects.get().vehicles[0]["foreign_plate"], True)
