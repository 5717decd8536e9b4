"""The notifications API: the caller's own inbox, read one, read all, in the reader's language."""

from samenveilig.notifications.services import fan_out_pending
from samenveilig.reports.tests.factories import submit
from samenveilig.reports.tests.test_api import ReportApiTestCase


class NotificationApiTests(ReportApiTestCase):
    def test_the_inbox_of_notifications_reads_and_marks(self) -> None:
        submit(self.anna, self.buurt)
        fan_out_pending()  # what the worker does
        items = self.get("/api/v1/notifications", self.cor).json()
        self.assertEqual(len(items), 1)
        item = items[0]
        self.assertEqual(set(item), {"id", "kind", "title", "body", "link", "created_at", "read"})
        self.assertEqual((item["kind"], item["read"]), ("report.routed", False))
        self.assertProblem(self.post(f"/api/v1/notifications/{item['id']}/read", {}, self.anna), 404, "not_found")
        read = self.post(f"/api/v1/notifications/{item['id']}/read", {}, self.cor)
        self.assertEqual((read.status_code, read.json()["read"]), (200, True))
        self.assertEqual(self.get("/api/v1/notifications?unread=true", self.cor).json(), [])
        self.assertEqual(self.post("/api/v1/notifications/read-all", {}, self.wendy).json(), {"marked": 1})
        self.assertEqual(self.post("/api/v1/notifications/read-all", {}, self.wendy).json(), {"marked": 0})
        english = self.get("/api/v1/notifications", self.wendy, HTTP_ACCEPT_LANGUAGE="en").json()[0]
        self.assertEqual(english["title"], "New report (urgent) in Buurtpreventie Noord")
        self.assertProblem(self.get("/api/v1/notifications"), 401, "unauthenticated")
