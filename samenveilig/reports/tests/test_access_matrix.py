"""The access matrix of reports: role × object × action, in the API and the web, in one table (see the table at
the top of reports/access.py).

Objects, all in Buurtpreventie Noord and filed by anna, with the default routing rules:
- "urgent": to all members, the coordinators and the police of the area (wendy's team; bob's team is not a partner
  and has no working area there, mark's municipality gets no urgent reports);
- "anonymous": the same, filed anonymously: nobody but an admin (through the logged reveal) learns who filed it;
- "overlast": to the coordinators and the municipality (mark), not to other members, not to the police.

Cells per object: (API GET, GET inbox, POST transition, POST feedback, POST rating, web GET /meldingen/<code>/).
The API GET cell is (status, view, reporter identity in the answer: "full" name and contact, "first" name only, or
None). The inbox cell is True/False (200, whether the report is in it) or a status. The web cell is the status of the
page after the redirect partners and admins get to their inbox page, or "login". Every write is rolled back.
"""

from typing import Any

from django.conf import settings
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import TestCase

from samenveilig.accounts import services as account_services
from samenveilig.core.testing import make_cast
from samenveilig.reports import services
from samenveilig.reports.models import Report
from samenveilig.reports.tests.factories import submit

OBJECTS = ("urgent", "anonymous", "overlast")
ROLES = ("anonymous", "olaf", "anna", "cor", "ivo", "fenna", "wendy", "mark", "bob", "root")
NF, FB, NA = 404, 403, 401
LOGIN = "login"
MEMBER_FIRST = (200, "member", "first")
MEMBER_NONE = (200, "member", None)
NOT_STAFF = FB

# role: {object: (get, inbox, transition, feedback, rating, web)}
MATRIX: dict[str, dict[str, tuple[Any, ...]]] = {
    "anonymous": {obj: ((NA, None, None), NA, NA, NA, NA, LOGIN) for obj in OBJECTS},
    "olaf": {obj: ((NF, None, None), NOT_STAFF, NF, NF, NF, NF) for obj in OBJECTS},
    "anna": {  # the reporter, of the anonymous report too
        "urgent": ((200, "reporter", None), NOT_STAFF, FB, FB, 200, 200),
        "anonymous": ((200, "reporter", None), NOT_STAFF, FB, FB, 200, 200),
        "overlast": ((200, "reporter", None), NOT_STAFF, FB, FB, 200, 200),
    },
    "cor": {  # coordinator: every type reaches the coordinators
        "urgent": (MEMBER_FIRST, NOT_STAFF, FB, FB, FB, 200),
        "anonymous": (MEMBER_NONE, NOT_STAFF, FB, FB, FB, 200),
        "overlast": (MEMBER_FIRST, NOT_STAFF, FB, FB, FB, 200),
    },
    "ivo": {  # initiator: urgent reaches all members, overlast only the coordinators
        "urgent": (MEMBER_FIRST, NOT_STAFF, FB, FB, FB, 200),
        "anonymous": (MEMBER_NONE, NOT_STAFF, FB, FB, FB, 200),
        "overlast": ((NF, None, None), NOT_STAFF, NF, NF, NF, NF),
    },
    "fenna": {  # facilitator: the same as ivo here
        "urgent": (MEMBER_FIRST, NOT_STAFF, FB, FB, FB, 200),
        "anonymous": (MEMBER_NONE, NOT_STAFF, FB, FB, FB, 200),
        "overlast": ((NF, None, None), NOT_STAFF, NF, NF, NF, NF),
    },
    "wendy": {  # the police team urgent reports are routed to
        "urgent": ((200, "partner", "full"), True, 200, 201, FB, 200),
        "anonymous": ((200, "partner", None), True, 200, 201, FB, 200),
        "overlast": ((NF, None, None), False, NF, NF, NF, NF),
    },
    "mark": {  # the municipality: a partner of the community, routed for overlast only
        "urgent": ((NF, None, None), False, NF, NF, NF, NF),
        "anonymous": ((NF, None, None), False, NF, NF, NF, NF),
        "overlast": ((200, "partner", "full"), True, 200, 201, FB, 200),
    },
    "bob": {obj: ((NF, None, None), False, NF, NF, NF, NF) for obj in OBJECTS},  # another police team
    "root": {obj: ((200, "admin", None), NOT_STAFF, FB, FB, FB, 200) for obj in OBJECTS},
}


class ReportAccessMatrixTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        make_cast(cls)
        cls.objects = {
            "urgent": submit(cls.anna, cls.buurt),
            "anonymous": submit(cls.anna, cls.buurt, anonymous=True),
            "overlast": submit(cls.anna, cls.buurt, "overlast", what="Harde muziek na middernacht."),
        }
        cls.feedback = {}
        for name, report in cls.objects.items():
            by, organisation = (cls.mark, cls.gemeente) if name == "overlast" else (cls.wendy, cls.police)
            services.report_transition(report=report, by=by, organisation=organisation, status="in_progress")
            cls.feedback[name] = services.feedback_give(
                report=report, by=by, organisation=organisation, to_reporter="We zijn ermee bezig."
            )
        cls.keys = {
            role: account_services.token_create(user=getattr(cls, role))[1] for role in ROLES if role != "anonymous"
        }

    def auth(self, role: str) -> dict[str, str]:
        return {"HTTP_AUTHORIZATION": f"Bearer {self.keys[role]}"} if role != "anonymous" else {}

    def rolled_back(self, send: Any) -> Any:
        with transaction.atomic():
            response = send()
            transaction.set_rollback(True)
        return response

    def identity(self, body: dict[str, Any]) -> str | None:
        text = str(body)
        if "anna@example.org" in text or "Jansen" in text:
            return "full"
        if body.get("reporter_first_name") == "Anna" or "Anna" in text:
            return "first"
        return None

    def cells(self, role: str, name: str) -> tuple[Any, ...]:
        report: Report = self.objects[name]
        url = f"/api/v1/reports/{report.code}"
        auth = self.auth(role)
        got = self.client.get(url, **auth)
        get_cell = (got.status_code, None, None)
        if got.status_code == 200:
            body = got.json()
            get_cell = (200, body["view"], self.identity(body))
        inbox = self.client.get("/api/v1/inbox?limit=200", **auth)
        inbox_cell: Any = inbox.status_code
        if inbox.status_code == 200:
            inbox_cell = str(report.code) in {item["id"] for item in inbox.json()}
        post = self.client.post
        transition = self.rolled_back(
            lambda: post(f"{url}/transitions", {"status": "closed", "outcome": "solved"}, "application/json", **auth)
        ).status_code
        feedback = self.rolled_back(
            lambda: post(f"{url}/feedback", {"to_reporter": "Opgelost."}, "application/json", **auth)
        ).status_code
        rating_url = f"/api/v1/feedback/{self.feedback[name].code}/rating"
        rating = self.rolled_back(lambda: post(rating_url, {"helpful": True}, "application/json", **auth)).status_code
        self.client.logout()
        if role != "anonymous":
            self.client.force_login(getattr(self, role))
        page = self.client.get(f"/meldingen/{report.code}/")
        web: Any = page.status_code
        if web == 302:  # partners and admins handle it in the inbox; strangers to the web go to the login page
            location = page["Location"]
            web = (
                "login"
                if location.startswith(resolve_url(settings.LOGIN_URL))
                else self.client.get(location).status_code
            )
        self.client.logout()
        return (get_cell, inbox_cell, transition, feedback, rating, web)

    def test_reports_inbox_items_and_feedback_access_matrix(self) -> None:
        self.assertEqual(set(MATRIX), set(ROLES))
        for role in ROLES:
            for name in OBJECTS:
                with self.subTest(role=role, object=name):
                    self.assertEqual(self.cells(role, name), MATRIX[role][name])

    def test_nobody_but_the_reveal_links_an_anonymous_report_to_its_reporter(self) -> None:
        report = self.objects["anonymous"]
        for role in ROLES:
            with self.subTest(role=role):
                text = self.client.get(f"/api/v1/reports/{report.code}", **self.auth(role)).content.decode()
                self.assertNotIn("Jansen", text)
                self.assertNotIn("anna@example.org", text)
                self.assertNotIn(str(self.anna.code), text)
