"""The public area pages: the list, one area with its map, and the point look-up."""

import json
import re

from django.test import TestCase
from django.urls import reverse

from samenveilig.core.testing import make_areas


class AreaPageTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.areas = make_areas()

    def test_the_list_shows_municipalities_with_their_wijken_and_buurten(self) -> None:
        response = self.client.get(reverse("areas:list"))
        self.assertEqual(response.status_code, 200)
        tree = response.context["tree"]
        self.assertEqual([node.area.code for node in tree], ["GM9001"])
        self.assertEqual([node.area.code for node in tree[0].children], ["WK900101"])
        self.assertEqual([node.area.name for node in tree[0].children[0].children], ["Noord", "Zuid"])
        for code in ("GM9001", "WK900101", "BU90010101", "BU90010102"):
            self.assertContains(response, f'href="{reverse("areas:detail", args=[code])}"')

    def test_the_list_is_a_fixed_number_of_queries(self) -> None:
        with self.assertNumQueries(1):
            self.client.get(reverse("areas:list"))

    def test_an_area_page_shows_the_map_and_the_areas_within(self) -> None:
        response = self.client.get(reverse("areas:detail", args=["WK900101"]))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, '<h1 class="utrecht-heading-1">Centrum</h1>', html=False)
        match = re.search(r'class="sv-map" data-geojson="([^"]+)"', response.content.decode())
        self.assertIsNotNone(match)
        collection = json.loads(match.group(1).replace("&quot;", '"'))
        self.assertEqual(collection["features"][0]["geometry"], self.areas["wijk"].geometry)
        self.assertEqual(sorted(f["properties"]["name"] for f in collection["features"][1:]), ["Noord", "Zuid"])
        self.assertContains(response, reverse("areas:detail", args=["BU90010102"]))
        self.assertContains(response, reverse("areas:detail", args=["GM9001"]))  # the breadcrumb and "part of"
        self.assertContains(response, "vendor/leaflet/leaflet.js")

    def test_an_unknown_area_is_404(self) -> None:
        self.assertEqual(self.client.get(reverse("areas:detail", args=["BU00000000"])).status_code, 404)

    def test_looking_up_a_point_shows_its_areas(self) -> None:
        response = self.client.get(reverse("areas:lookup"), {"lat": "52.095", "lon": "5.11"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual([a.code for a in response.context["found"]], ["GM9001", "WK900101", "BU90010102"])
        self.assertContains(response, "sv-map")

    def test_a_point_outside_every_area_is_re_rendered_with_422_and_the_message(self) -> None:
        response = self.client.get(reverse("areas:lookup"), {"lat": "52.5", "lon": "5.5"}, HTTP_ACCEPT_LANGUAGE="en")
        self.assertEqual(response.status_code, 422)
        self.assertContains(response, "This point does not lie in any area known to Samen Veilig.", status_code=422)
        self.assertContains(response, 'aria-invalid="true"', status_code=422)

    def test_an_invalid_point_is_re_rendered_with_422_and_the_field_error(self) -> None:
        response = self.client.get(reverse("areas:lookup"), {"lat": "95", "lon": "x"})
        self.assertEqual(response.status_code, 422)
        self.assertEqual(set(response.context["form"].errors), {"lat", "lon"})
        self.assertContains(response, 'aria-describedby="id_lat-description id_lat-error"', status_code=422)

    def test_the_look_up_page_without_a_point_shows_the_form(self) -> None:
        response = self.client.get(reverse("areas:lookup"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'name="lat"')
