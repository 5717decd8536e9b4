"""Who an alert reaches: exactly the homes within the radius (haversine), in buurten, in a community, plus members
who opted in for a community's whole area; and the flat-earth distance that decides the edge stays within its slack."""

import math
import random

from django.test import TestCase

from samenveilig.alerts import targeting
from samenveilig.alerts.tests.factories import CENTRE
from samenveilig.areas import geo
from samenveilig.areas.tests.helpers import destination, make_homes, random_points
from samenveilig.communities.models import Membership
from samenveilig.core.testing import make_cast


class ApproximationTests(TestCase):
    def test_the_flat_earth_distance_stays_within_its_slack_up_to_six_km(self) -> None:
        rnd = random.Random(7)
        worst = 0.0
        for _ in range(20_000):
            lat, lon = rnd.uniform(50.0, 54.0), rnd.uniform(3.0, 7.5)
            plat, plon = destination(lat, lon, rnd.uniform(0, 6000), rnd.uniform(0, 360))
            worst = max(
                worst, abs(targeting.approx_distance_m(lat, lon, plat, plon) - geo.haversine_m(lat, lon, plat, plon))
            )
        self.assertLess(worst, targeting.APPROX_SLACK_M / 10)


class RadiusTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.points = random_points(3000, seed=3, centre=CENTRE, half_size_deg=(0.05, 0.08))
        # Homes right on both sides of a 1 km circle: the band where the exact distance decides.
        for bearing in range(0, 360, 7):
            for offset in (-0.3, -0.05, 0.05, 0.3):
                cls.points.append(destination(*CENTRE, 1000 + offset, bearing))
        cls.homes = make_homes(cls.points)

    def test_the_recipients_are_exactly_the_homes_within_the_radius(self) -> None:
        for radius in (100, 500, 1000, 2500, 4000):
            with self.subTest(radius=radius):
                expected = sorted(h.user_id for h in self.homes if geo.haversine_m(*CENTRE, h.lat, h.lon) <= radius)
                target = targeting.Target(kind="radius", lat=CENTRE[0], lon=CENTRE[1], radius_m=radius)
                self.assertEqual(sorted(targeting.recipient_ids(target)), expected)
                self.assertEqual(targeting.recipient_counts(target)["total"], len(expected))
        self.assertTrue(
            any(math.isclose(geo.haversine_m(*CENTRE, h.lat, h.lon), 1000, abs_tol=0.5) for h in self.homes)
        )

    def test_the_database_computes_the_haversine_exactly_as_python_does(self) -> None:
        from django.db import connection

        from samenveilig.accounts.models import Residence

        sql, params = targeting.haversine_sql(*CENTRE)
        table = connection.ops.quote_name(Residence._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT lat, lon, {sql} FROM {table}", params)  # noqa: S608
            rows = cursor.fetchall()
        self.assertEqual(len(rows), len(self.homes))
        for lat, lon, distance in rows:
            self.assertEqual(distance, geo.haversine_m(*CENTRE, lat, lon))

    def test_the_sender_is_left_out(self) -> None:
        home = min(self.homes, key=lambda h: geo.haversine_m(*CENTRE, h.lat, h.lon))
        target = targeting.Target(kind="radius", lat=CENTRE[0], lon=CENTRE[1], radius_m=500, exclude_id=home.user_id)
        self.assertNotIn(home.user_id, targeting.recipient_ids(target))


class AreaTargetTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        make_cast(cls)
        from samenveilig.accounts.services import residence_set

        cls.noord_home = residence_set(
            user=cls.ivo, street="Noordweg", house_number="1", postcode="3511 AB", city="Testdorp", lat=52.095, lon=5.11
        )
        cls.zuid_home = residence_set(
            user=cls.olaf, street="Zuidweg", house_number="2", postcode="3511 AC", city="Testdorp", lat=52.085, lon=5.11
        )

    def test_buurten_reach_the_homes_in_them(self) -> None:
        target = targeting.Target(kind="buurten", lat=0, lon=0, buurt_ids=(self.zuid.pk,))
        self.assertEqual(targeting.recipient_ids(target), [self.olaf.pk])

    def test_a_community_reaches_its_members_and_the_homes_in_its_area(self) -> None:
        target = targeting.Target(kind="community", lat=0, lon=0, community_id=self.buurt.pk)
        members = set(Membership.objects.filter(community=self.buurt).values_list("user_id", flat=True))
        self.assertEqual(set(targeting.recipient_ids(target)), members | {self.ivo.pk})
        self.assertNotIn(self.olaf.pk, targeting.recipient_ids(target))

    def test_members_who_opted_in_hear_alerts_anywhere_in_the_area(self) -> None:
        Membership.objects.filter(user=self.anna).update(alerts_whole_area=True)  # anna has no home on record
        target = targeting.Target(kind="radius", lat=52.095, lon=5.11, radius_m=100)
        self.assertEqual(set(targeting.recipient_ids(target)), {self.anna.pk, self.ivo.pk})
        far = targeting.Target(kind="radius", lat=52.085, lon=5.11, radius_m=100)  # Zuid: not anna's community
        self.assertEqual(targeting.recipient_ids(far), [self.olaf.pk])
