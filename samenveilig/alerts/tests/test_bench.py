"""The alerts benchmark on a tiny population: its figures have the promised shape, the database and the in-memory
scan agree, the population is reused, and every alert it sent is gone afterwards."""

from django.test import TestCase

from samenveilig.accounts.models import Residence, User
from samenveilig.alerts import bench
from samenveilig.alerts.models import Alert
from samenveilig.areas.models import Area
from samenveilig.notifications.models import Fanout, Notification

POINTS = 3_000


class AlertsBenchTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.result = bench.measure(points=POINTS, seed=3, centres=2)

    def test_the_figures_have_the_promised_shape(self) -> None:
        result = self.result
        self.assertEqual((result["benchmark"], result["population"]), ("alerts", POINTS))
        self.assertIn(result["database"], {"sqlite", "postgresql"})
        self.assertEqual([row["radius_m"] for row in result["radii"]], [500, 1000, 2000])
        for row in result["radii"]:
            with self.subTest(radius=row["radius_m"]):
                for key in ("recipients", "resolve_ms", "scan_resolve_ms", "fanout_s"):
                    self.assertIsInstance(row[key], int | float)
                self.assertGreater(row["recipients"], 0)
                self.assertTrue(row["checked"])
        counts = [row["recipients"] for row in result["radii"]]
        self.assertEqual(counts, sorted(counts))
        self.assertIn("met", result["targets"])
        self.assertGreater(result["build_seconds"], 0)

    def test_the_population_is_there_and_reused(self) -> None:
        self.assertEqual(Residence.objects.filter(user__username__startswith=bench.PEOPLE).count(), POINTS)
        self.assertTrue(bench.population_ready(POINTS, 3))
        self.assertFalse(bench.population_ready(POINTS, 4))
        again = bench.measure(points=POINTS, seed=3, centres=1)
        self.assertEqual(again["build_seconds"], 0)
        self.assertTrue(again["checked"])

    def test_nothing_of_the_alerts_stays_behind(self) -> None:
        self.assertFalse(Alert.objects.exists())
        self.assertFalse(Fanout.objects.exists())
        self.assertFalse(Notification.objects.exists())

    def test_drop_removes_the_population(self) -> None:
        bench.drop()
        self.assertFalse(User.objects.filter(username__startswith=bench.PREFIX).exists())
        self.assertFalse(Area.objects.filter(code=bench.AREA_CODE).exists())
