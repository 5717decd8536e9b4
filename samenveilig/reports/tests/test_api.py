"""The reports API: the whole loop, idempotent replays, every "bad input" case of issue 4, and the partner tools."""

import io
from typing import Any
from uuid import uuid4

from django.test import override_settings
from django.utils import translation
from django.utils.translation import gettext
from PIL import Image

from samenveilig.core.models import AuditEvent
from samenveilig.core.testing import ApiTestCase
from samenveilig.notifications.models import Fanout, Notification
from samenveilig.reports.models import Feedback, Report, ReportEvent, ReportPhoto, ReportStatus
from samenveilig.reports.tests.factories import NOORD_POINT, submit

PROBLEM = "application/problem+json"


def png(size: tuple[int, int] = (40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


class ReportApiTestCase(ApiTestCase):
    def report_body(self, **overrides: Any) -> dict[str, Any]:
        body = {
            "community": str(self.buurt.code),
            "type": "urgent",
            "called_112": True,
            "what": "Twee personen lopen langs de achterdeuren en voelen aan de deurklinken.",
            "location": dict(NOORD_POINT),
            "persons": [{"sex": "man", "top": "zwarte hoodie", "bottom": "grijze joggingbroek"}],
            "vehicles": [{"kind": "scooter", "colour": "zwart", "plate": "GF-123-K"}],
        }
        body.update(overrides)
        return body

    def file(self, who: Any = None, key: Any = None, **overrides: Any):
        key = key or uuid4()
        headers = {name: overrides.pop(name) for name in list(overrides) if name.startswith("HTTP_")}
        return self.post(
            "/api/v1/reports", self.report_body(**overrides), who or self.anna, HTTP_IDEMPOTENCY_KEY=str(key), **headers
        )

    def assertProblem(self, response, status: int, code: str) -> dict:  # noqa: N802
        self.assertEqual(response.status_code, status, response.content[:500])
        self.assertEqual(response["Content-Type"], PROBLEM)
        body = response.json()
        self.assertEqual((body["status"], body["code"]), (status, code))
        self.assertTrue(body["detail"])
        return body

    def counts(self) -> tuple[int, ...]:
        return (
            Report.objects.count(),
            Notification.objects.count(),
            Fanout.objects.count(),
            ReportEvent.objects.count(),
            ReportPhoto.objects.count(),
            Feedback.objects.count(),
        )


class TheLoopTests(ReportApiTestCase):
    def test_the_whole_loop_through_the_api(self) -> None:
        # anna files an urgent report
        response = self.file()
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response["Cache-Control"], "no-store")
        filed = response.json()
        code = filed["id"]
        self.assertEqual((filed["status"], filed["view"], filed["type"]), ("received", "reporter", "urgent"))
        self.assertEqual(filed["community"]["code"], str(self.buurt.code))
        self.assertEqual(filed["location"], NOORD_POINT)
        self.assertEqual(filed["persons"][0]["top"], "zwarte hoodie")
        self.assertEqual(filed["vehicles"][0]["plate"], "GF-123-K")
        self.assertFalse(filed["anonymous"])

        # wendy (the police it was routed to) sees it in her inbox
        inbox = self.get("/api/v1/inbox", self.wendy).json()
        self.assertEqual([item["id"] for item in inbox], [code])
        self.assertEqual((inbox[0]["due_at"], inbox[0]["overdue"]), (None, False))
        seen = self.get(f"/api/v1/reports/{code}", self.wendy).json()
        self.assertEqual(seen["view"], "partner")
        self.assertEqual(seen["reporter"]["name"], "Anna Jansen")
        self.assertTrue(AuditEvent.objects.filter(action="report.reporter_read").exists())

        # received → in progress, feedback, → closed
        url = f"/api/v1/reports/{code}"
        moved = self.post(f"{url}/transitions", {"status": "in_progress", "note": "Collega's gaan kijken."}, self.wendy)
        self.assertEqual((moved.status_code, moved.json()["status"]), (200, "in_progress"))
        feedback = self.post(
            f"{url}/feedback",
            {"to_reporter": "Dank je, we hebben twee mensen aangesproken.", "to_community": "Er is gesurveilleerd."},
            self.wendy,
        )
        self.assertEqual(feedback.status_code, 201, feedback.content)
        closed = self.post(f"{url}/transitions", {"status": "closed", "outcome": "solved"}, self.wendy)
        self.assertEqual(
            (closed.status_code, closed.json()["status"], closed.json()["outcome"]), (200, "closed", "solved")
        )

        # anna sees the status timeline and the feedback, never the internal note
        mine = self.get(url, self.anna).json()
        self.assertEqual(mine["view"], "reporter")
        statuses = [e["status_to"] for e in mine["timeline"] if e["kind"] in ("submitted", "status")]
        self.assertEqual(statuses, ["received", "in_progress", "closed"])
        self.assertNotIn("note", [e["kind"] for e in mine["timeline"]])
        self.assertNotIn("Collega", str(mine))
        self.assertEqual(mine["feedback"][0]["to_reporter"], "Dank je, we hebben twee mensen aangesproken.")
        self.assertIsNone(mine["reporter"])
        self.assertEqual([r["id"] for r in self.get("/api/v1/reports", self.anna).json()], [code])
        kinds = {n["kind"] for n in self.get("/api/v1/notifications", self.anna).json()}
        self.assertLessEqual({"report.status", "report.feedback"}, kinds)

        # anna rates it not helpful: a request to reopen, which wendy decides on
        feedback_id = mine["feedback"][0]["id"]
        rated = self.post(
            f"/api/v1/feedback/{feedback_id}/rating", {"helpful": False, "reason": "Ze staan er weer."}, self.anna
        )
        self.assertEqual((rated.status_code, rated.json()["helpful"]), (200, False))
        requests = self.get("/api/v1/reopen-requests", self.wendy).json()
        self.assertEqual([(r["report"], r["reason"]) for r in requests], [(code, "Ze staan er weer.")])
        decided = self.post(f"/api/v1/reopen-requests/{requests[0]['id']}/decision", {"reopen": True}, self.wendy)
        self.assertEqual((decided.status_code, decided.json()["decision"]), (200, "reopened"))
        self.assertEqual(self.get(url, self.anna).json()["status"], "reopened")
        self.assertEqual(self.get("/api/v1/reopen-requests", self.wendy).json(), [])
        again = self.post(f"/api/v1/reopen-requests/{requests[0]['id']}/decision", {"reopen": True}, self.wendy)
        self.assertProblem(again, 409, "report.reopen_decided")

    def test_a_member_sees_the_description_status_and_community_feedback_only(self) -> None:
        code = self.file().json()["id"]
        self.post(
            f"/api/v1/reports/{code}/feedback",
            {"to_reporter": "Persoonlijk bericht voor Anna.", "to_community": "Algemeen bericht."},
            self.wendy,
        )
        body = self.get(f"/api/v1/reports/{code}", self.cor).json()
        self.assertEqual(body["view"], "member")
        self.assertEqual(body["reporter_first_name"], "Anna")
        self.assertNotIn("Jansen", str(body))
        self.assertNotIn("anna@example.org", str(body))
        self.assertNotIn("Persoonlijk", str(body))
        self.assertEqual([f["to_community"] for f in body["feedback"]], ["Algemeen bericht."])
        self.assertIsNone(body["questions"])
        self.assertIsNone(body["routes"])

    def test_an_anonymous_report_hides_the_reporter_from_everybody_but_the_logged_reveal(self) -> None:
        response = self.file(anonymous=True)
        self.assertEqual(response.status_code, 201, response.content)
        code = response.json()["id"]
        for who in (self.wendy, self.cor, self.root):
            with self.subTest(who=who.username):
                body = self.get(f"/api/v1/reports/{code}", who).json()
                self.assertIsNone(body["reporter"])
                self.assertIsNone(body["reporter_first_name"])
                self.assertNotIn("Anna", str(body))
                self.assertNotIn("anna@", str(body))
        self.assertEqual([r["id"] for r in self.get("/api/v1/reports", self.anna).json()], [code])
        self.assertEqual(self.get(f"/api/v1/reports/{code}", self.anna).json()["view"], "reporter")
        reveal = f"/api/v1/reports/{code}/reveal-reporter"
        self.assertProblem(self.post(reveal, {"reason": "Misbruik"}, self.wendy), 403, "report.forbidden")
        self.assertProblem(self.post(reveal, {"reason": ""}, self.root), 422, "invalid")
        revealed = self.post(reveal, {"reason": "Melding van misbruik"}, self.root)
        self.assertEqual((revealed.status_code, revealed.json()["reporter"]["email"]), (200, "anna@example.org"))
        self.assertTrue(AuditEvent.objects.filter(action="report.reveal_reporter").exists())


class IdempotencyTests(ReportApiTestCase):
    def test_a_replay_answers_the_same_report_and_stores_it_once(self) -> None:
        key = uuid4()
        first = self.file(key=key)
        after_first = self.counts()
        again = self.file(key=key)
        self.assertEqual((first.status_code, again.status_code), (201, 201))
        self.assertEqual(again["Idempotent-Replayed"], "true")
        self.assertFalse(first.has_header("Idempotent-Replayed"))
        self.assertEqual(first.json(), again.json())
        self.assertEqual(self.counts(), after_first)
        self.assertEqual(after_first[0], 1)

    def test_the_same_key_with_another_body_is_a_conflict_and_changes_nothing(self) -> None:
        key = uuid4()
        self.file(key=key)
        before = self.counts()
        self.assertProblem(self.file(key=key, what="Iets heel anders."), 409, "report.idempotency_mismatch")
        other = self.post(
            "/api/v1/reports",
            self.report_body(community=str(self.zuid_community.code)),
            self.anna,
            HTTP_IDEMPOTENCY_KEY=str(key),
        )
        self.assertEqual(other.status_code, 404)  # not a member there: the gate comes first
        self.assertEqual(self.counts(), before)

    def test_a_key_is_per_person(self) -> None:
        key = uuid4()
        first = self.file(key=key).json()["id"]
        second = self.file(self.cor, key=key).json()["id"]
        self.assertNotEqual(first, second)


class BadInputTests(ReportApiTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.report = submit(self.anna, self.buurt)
        self.url = f"/api/v1/reports/{self.report.code}"

    def test_every_bad_report_is_a_clear_problem_that_stores_nothing(self) -> None:
        cases = {
            "what": {"what": "   "},
            "location": {"location": {"lat": 52.5, "lon": 5.5}},
            "vehicles.0.plate": {"vehicles": [{"plate": "XYZ"}]},
            "persons.0": {"persons": [{"sex": "man", "skin_colour": "donker", "top": "rode jas"}]},
            "called_112": {"called_112": None},
        }
        before = self.counts()
        for field, overrides in cases.items():
            with self.subTest(field=field):
                problem = self.assertProblem(self.file(**overrides), 422, "report.invalid")
                self.assertIn(field, problem["fields"])
                self.assertTrue(problem["fields"][field][0])
        self.assertEqual(self.counts(), before)

    def test_the_messages_are_dutch_by_default_and_english_on_request(self) -> None:
        dutch = self.assertProblem(self.file(what=""), 422, "report.invalid")
        english = self.assertProblem(self.file(what="", HTTP_ACCEPT_LANGUAGE="en"), 422, "report.invalid")
        self.assertEqual(english["fields"]["what"], ["Describe what happens: behaviour first."])
        with translation.override("nl"):
            self.assertEqual(dutch["fields"]["what"], [gettext("Describe what happens: behaviour first.")])
        not_found = self.get(f"/api/v1/reports/{uuid4()}", self.anna).json()["detail"]
        not_found_en = self.get(f"/api/v1/reports/{uuid4()}", self.anna, HTTP_ACCEPT_LANGUAGE="en").json()["detail"]
        self.assertEqual(not_found_en, "This does not exist, or you have no access to it.")
        self.assertNotEqual(not_found, not_found_en)  # the Dutch catalogue has it

    def test_a_community_you_are_not_an_active_member_of_is_404(self) -> None:
        before = self.counts()
        for who, community in (
            (self.anna, self.zuid_community.code),  # exists, anna is no member
            (self.wendy, self.buurt.code),  # partner staff may see it, but not report in it
            (self.olaf, self.buurt.code),
            (self.root, self.buurt.code),  # an admin is no member
            (self.anna, uuid4()),  # does not exist at all
        ):
            with self.subTest(who=who.username, community=str(community)):
                self.assertProblem(self.file(who, community=str(community)), 404, "not_found")
        self.assertEqual(self.counts(), before)

    def test_the_idempotency_key_is_required_and_must_be_a_uuid(self) -> None:
        before = self.counts()
        missing = self.post("/api/v1/reports", self.report_body(), self.anna)
        self.assertIn("Idempotency-Key", self.assertProblem(missing, 422, "invalid")["fields"])
        wrong = self.post("/api/v1/reports", self.report_body(), self.anna, HTTP_IDEMPOTENCY_KEY="twee")
        self.assertIn("Idempotency-Key", self.assertProblem(wrong, 422, "invalid")["fields"])
        self.assertEqual(self.counts(), before)

    def test_an_unknown_type_or_malformed_body_is_422(self) -> None:
        before = self.counts()
        self.assertIn("type", self.assertProblem(self.file(type="paniek"), 422, "invalid")["fields"])
        self.assertIn("location.lat", self.assertProblem(self.file(location={"lat": "x"}), 422, "invalid")["fields"])
        self.assertEqual(self.counts(), before)

    def test_an_unknown_status_is_422_and_an_invalid_transition_409_with_its_reason(self) -> None:
        before = self.counts()
        problem = self.assertProblem(
            self.post(f"{self.url}/transitions", {"status": "lost"}, self.wendy), 422, "report.unknown_status"
        )
        self.assertIn("status", problem["fields"])
        problem = self.assertProblem(
            self.post(f"{self.url}/transitions", {"status": "closed", "outcome": "solved"}, self.wendy),
            409,
            "report.invalid_transition",
        )
        with translation.override("nl"):
            self.assertIn(str(ReportStatus.IN_PROGRESS.label), problem["detail"])
        self.assertEqual(self.counts(), before)
        self.report.refresh_from_db()
        self.assertEqual(self.report.status, "received")

    def test_closing_without_feedback_asks_for_confirmation(self) -> None:
        self.post(f"{self.url}/transitions", {"status": "in_progress"}, self.wendy)
        closing = {"status": "closed", "outcome": "no_action"}
        self.assertProblem(self.post(f"{self.url}/transitions", closing, self.wendy), 409, "report.no_feedback")
        confirmed = self.post(f"{self.url}/transitions", {**closing, "confirm_without_feedback": True}, self.wendy)
        self.assertEqual(confirmed.json()["status"], "closed")

    def test_feedback_on_a_report_not_routed_to_your_organisation_is_404(self) -> None:
        before = self.counts()
        for who in (self.bob, self.mark):  # other police; the municipality gets no urgent reports by default
            with self.subTest(who=who.username):
                response = self.post(f"{self.url}/feedback", {"to_reporter": "Hallo"}, who)
                self.assertProblem(response, 404, "not_found")
        self.assertProblem(
            self.post(f"{self.url}/feedback", {"to_reporter": "Hallo"}, self.cor), 403, "report.forbidden"
        )
        self.assertProblem(self.post(f"{self.url}/feedback", {}, self.wendy), 422, "report.feedback_empty")
        self.assertEqual(self.counts(), before)

    def test_an_oversized_or_non_image_photo_is_422_and_stores_nothing(self) -> None:
        before = self.counts()
        url = f"{self.url}/photos"
        not_an_image = io.BytesIO(b"%PDF-1.4 not a photo")
        not_an_image.name = "scan.pdf"
        problem = self.assertProblem(
            self.client.post(url, {"photo": not_an_image}, **self.auth(self.anna)), 422, "report.photo"
        )
        self.assertIn("photo", problem["fields"])
        big = io.BytesIO(png())
        big.name = "groot.png"
        with override_settings(REPORT_PHOTO_MAX_BYTES=100):
            self.assertProblem(self.client.post(url, {"photo": big}, **self.auth(self.anna)), 422, "report.photo")
        missing = self.client.post(url, {}, **self.auth(self.anna))
        fields = self.assertProblem(missing, 422, "invalid")["fields"]
        self.assertTrue(any(name.endswith("photo") for name in fields), fields)  # "file.photo" until core strips it
        self.assertEqual(self.counts(), before)


class PhotoTests(ReportApiTestCase):
    def test_the_reporter_adds_a_photo_that_those_who_see_the_report_can_fetch_uncached(self) -> None:
        report = submit(self.anna, self.buurt)
        upload = io.BytesIO(png())
        upload.name = "foto.png"
        url = f"/api/v1/reports/{report.code}/photos"
        self.assertEqual(self.client.post(url, {"photo": io.BytesIO(png())}, **self.auth(self.wendy)).status_code, 403)
        response = self.client.post(url, {"photo": upload}, **self.auth(self.anna))
        self.assertEqual(response.status_code, 201, response.content)
        photo = response.json()
        self.assertEqual((photo["content_type"], photo["width"], photo["height"]), ("image/png", 40, 30))
        path = photo["url"].removeprefix("http://testserver")
        for who, status in ((self.anna, 200), (self.wendy, 200), (self.cor, 200), (self.bob, 404), (self.olaf, 404)):
            with self.subTest(who=who.username):
                fetched = self.get(path, who)
                self.assertEqual(fetched.status_code, status)
                if status == 200:
                    self.assertEqual(fetched["Content-Type"], "image/png")
                    self.assertEqual(fetched["Cache-Control"], "private, no-store")
                    self.assertTrue(fetched.getvalue().startswith(b"\x89PNG"))
        self.assertEqual(len(self.get(f"/api/v1/reports/{report.code}", self.wendy).json()["photos"]), 1)


class PartnerToolTests(ReportApiTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.report = submit(self.anna, self.buurt)
        self.url = f"/api/v1/reports/{self.report.code}"

    def test_notes_stay_internal(self) -> None:
        response = self.post(f"{self.url}/notes", {"text": "Bekende situatie bij nummer 12."}, self.wendy)
        self.assertEqual((response.status_code, response.json()["internal"]), (201, True))
        self.assertIn("nummer 12", str(self.get(self.url, self.wendy).json()["timeline"]))
        self.assertNotIn("nummer 12", str(self.get(self.url, self.anna).json()))
        self.assertNotIn("nummer 12", str(self.get(self.url, self.cor).json()))
        self.assertProblem(self.post(f"{self.url}/notes", {"text": ""}, self.wendy), 422, "invalid")
        self.assertProblem(self.post(f"{self.url}/notes", {"text": "x"}, self.anna), 403, "report.forbidden")

    def test_a_question_is_answered_once_by_the_reporter(self) -> None:
        asked = self.post(f"{self.url}/questions", {"text": "Welke kant liepen ze op?"}, self.wendy)
        self.assertEqual(asked.status_code, 201, asked.content)
        question = asked.json()["id"]
        mine = self.get("/api/v1/reports", self.anna).json()
        self.assertTrue(mine[0]["open_questions"])
        self.assertEqual(self.get(self.url, self.anna).json()["questions"][0]["text"], "Welke kant liepen ze op?")
        answer_url = f"/api/v1/questions/{question}/answer"
        self.assertEqual(self.post(answer_url, {"text": "Richting het park."}, self.cor).status_code, 403)
        answered = self.post(answer_url, {"text": "Richting het park."}, self.anna)
        self.assertEqual((answered.status_code, answered.json()["answer"]), (200, "Richting het park."))
        self.assertProblem(self.post(answer_url, {"text": "Nogmaals."}, self.anna), 409, "report.question_answered")
        self.assertIn("Richting het park.", str(self.get(self.url, self.wendy).json()["timeline"]))

    def test_a_forward_link_works_once_without_an_account(self) -> None:
        made = self.post(
            f"{self.url}/forwards", {"recipient": "Woningcorporatie", "message": "Graag kijken"}, self.wendy
        )
        self.assertEqual(made.status_code, 201, made.content)
        self.assertIn("/meldingen/extern/", made.json()["url"])
        path = made.json()["api_url"].removeprefix("http://testserver")
        seen = self.client.get(path)
        self.assertEqual(seen.status_code, 200, seen.content)
        self.assertEqual(seen.json()["message"], "Graag kijken")
        self.assertNotIn("Anna", str(seen.json()))
        self.assertEqual(
            self.client.post(path, {"text": "Wij gaan erheen."}, content_type="application/json").status_code, 201
        )
        self.assertEqual(self.client.get(path).status_code, 404)
        self.assertEqual(
            self.client.post(path, {"text": "Nog eens."}, content_type="application/json").status_code, 404
        )
        self.assertIn("Wij gaan erheen.", str(self.get(self.url, self.wendy).json()["timeline"]))
        self.assertNotIn("Wij gaan erheen.", str(self.get(self.url, self.anna).json()))
        self.assertEqual(self.client.get("/api/v1/forwards/" + "x" * 43).status_code, 404)

    def test_deadlines_mark_inbox_items(self) -> None:
        response = self.put("/api/v1/deadlines/urgent", {"hours": 4}, self.wendy)
        self.assertEqual((response.status_code, response.json()["hours"]), (200, 4))
        listed = {d["type"]: d["hours"] for d in self.get("/api/v1/deadlines", self.wendy).json()}
        self.assertEqual(listed, {"urgent": 4, "overlast": None, "verbeteridee": None, "informatie": None})
        fresh = submit(self.anna, self.buurt, what="Nog een melding.")
        items = {i["id"]: i for i in self.get("/api/v1/inbox", self.wendy).json()}
        self.assertIsNotNone(items[str(fresh.code)]["due_at"])
        self.assertFalse(items[str(fresh.code)]["overdue"])
        self.assertIsNotNone(self.get(f"/api/v1/reports/{fresh.code}", self.wendy).json()["due_at"])
        self.assertProblem(self.put("/api/v1/deadlines/urgent", {"hours": 0}, self.wendy), 422, "invalid")
        self.assertProblem(self.put("/api/v1/deadlines/urgent", {"hours": 4}, self.anna), 403, "inbox.not_staff")
        self.assertEqual(self.put("/api/v1/deadlines/urgent", {"hours": None}, self.wendy).json()["hours"], None)

    def test_the_inbox_filters(self) -> None:
        overlast = submit(self.anna, self.buurt, "overlast", what="Harde muziek na middernacht.")
        self.assertEqual([i["id"] for i in self.get("/api/v1/inbox", self.mark).json()], [str(overlast.code)])
        self.assertEqual(self.get("/api/v1/inbox?type=overlast", self.wendy).json(), [])
        self.assertEqual(len(self.get("/api/v1/inbox?status=received", self.wendy).json()), 1)
        self.assertEqual(self.get("/api/v1/inbox?status=closed", self.wendy).json(), [])
        self.assertEqual(self.get(f"/api/v1/inbox?community={self.zuid_community.code}", self.wendy).json(), [])
        self.assertEqual(len(self.get(f"/api/v1/inbox?community={self.buurt.code}", self.wendy).json()), 1)
        self.assertEqual(len(self.get(f"/api/v1/inbox?organisation={self.police.code}", self.wendy).json()), 1)
        self.assertProblem(self.get(f"/api/v1/inbox?organisation={self.gemeente.code}", self.wendy), 404, "not_found")
        self.assertProblem(self.get("/api/v1/inbox?status=lost", self.wendy), 422, "invalid")
        self.assertProblem(self.get("/api/v1/inbox?limit=500", self.wendy), 422, "invalid")
        self.assertEqual(self.get("/api/v1/inbox?offset=1", self.wendy).json(), [])
        self.assertProblem(self.get("/api/v1/inbox", self.anna), 403, "inbox.not_staff")
        self.assertProblem(self.get("/api/v1/inbox"), 401, "unauthenticated")

    def test_routing_rules_are_for_coordinators(self) -> None:
        url = f"/api/v1/routing-rules/{self.buurt.code}"
        rules = {r["type"]: r for r in self.get(url, self.cor).json()}
        self.assertEqual(rules["urgent"]["partner_kinds"], ["police"])
        changed = self.put(
            f"{url}/informatie",
            {"to_coordinators": True, "to_members": True, "partner_kinds": ["municipality"]},
            self.cor,
        )
        self.assertEqual((changed.status_code, changed.json()["to_members"]), (200, True))
        self.assertTrue(AuditEvent.objects.filter(action="routing.change").exists())
        self.assertProblem(self.put(f"{url}/informatie", {"to_coordinators": False}, self.cor), 422, "routing.invalid")
        self.assertProblem(self.put(f"{url}/paniek", {}, self.cor), 422, "routing.invalid")
        self.assertProblem(self.get(url, self.anna), 403, "community.forbidden")
        self.assertProblem(self.get(url, self.olaf), 404, "not_found")


class CommunityListScopeTests(ReportApiTestCase):
    def test_signed_in_the_list_is_your_own_communities_with_your_role(self) -> None:
        mine = self.get("/api/v1/communities", self.anna).json()
        self.assertEqual([(c["name"], c["my_role"]) for c in mine], [("Buurtpreventie Noord", "participant")])
        self.assertEqual(mine[0]["code"], str(self.buurt.code))
        partner = self.get("/api/v1/communities", self.wendy).json()
        self.assertEqual([(c["name"], c["my_role"]) for c in partner], [("Buurtpreventie Noord", None)])
        self.assertEqual(self.get("/api/v1/communities", self.olaf).json(), [])
        everything = self.get("/api/v1/communities?scope=all", self.anna).json()
        self.assertEqual([c["name"] for c in everything], ["Buurtpreventie Noord", "Straat Zuid"])
        self.assertEqual(self.get("/api/v1/communities?scope=mine&kind=street", self.anna).json(), [])

    def test_without_login_the_list_is_the_public_directory(self) -> None:
        self.assertEqual(len(self.get("/api/v1/communities").json()), 2)
        self.assertEqual(len(self.get("/api/v1/communities?scope=all").json()), 2)
        self.assertProblem(self.get("/api/v1/communities?scope=mine"), 401, "unauthenticated")
        self.assertProblem(self.get("/api/v1/communities?scope=some"), 422, "invalid")
