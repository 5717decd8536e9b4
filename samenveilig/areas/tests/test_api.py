"""The areas API: public lists, GeoJSON features and the point look-up, with problem+json errors."""

import json

from django.test import TestCase

from samenveilig.core.testing import make_areas

PROBLEM = "application/problem+json"


class AreasApiTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.areas = make_areas()

    def get(self, url: str, **headers: str) -> tuple[int, dict, str]:
        response = self.client.get(url, **headers)
        return response.status_code, json.loads(response.content), response["Content-Type"]

    def test_list_gives_every_area_without_login(self) -> None:
        status, body, _ = self.get("/api/v1/areas")
        self.assertEqual(status, 200)
        self.assertEqual([a["code"] for a in body], ["GM9001", "WK900101", "BU90010102", "BU90010101"])
        noord = body[2]
        self.assertEqual((noord["name"], noord["kind"], noord["parent"]), ("Noord", "buurt", "WK900101"))
        self.assertAlmostEqual(noord["centroid"]["lat"], 52.095, places=5)
        self.assertAlmostEqual(noord["centroid"]["lon"], 5.11, places=5)
        self.assertIsNone(body[0]["parent"])

    def test_list_filters_on_kind_and_parent(self) -> None:
        self.assertEqual([a["code"] for a in self.get("/api/v1/areas?kind=wijk")[1]], ["WK900101"])
        self.assertEqual(
            [a["code"] for a in self.get("/api/v1/areas?parent=WK900101")[1]], ["BU90010102", "BU90010101"]
        )
        self.assertEqual(self.get("/api/v1/areas?kind=buurt&parent=GM9001")[1], [])

    def test_list_refuses_an_unknown_kind(self) -> None:
        status, body, content_type = self.get("/api/v1/areas?kind=province")
        self.assertEqual((status, content_type, body["code"]), (422, PROBLEM, "invalid"))
        self.assertIn("kind", body["fields"])

    def test_one_area_is_a_geojson_feature(self) -> None:
        status, body, _ = self.get("/api/v1/areas/BU90010102")
        self.assertEqual(status, 200)
        self.assertEqual((body["type"], body["id"]), ("Feature", "BU90010102"))
        self.assertEqual(body["geometry"], self.areas["noord"].geometry)
        properties = body["properties"]
        self.assertEqual((properties["name"], properties["kind"], properties["parent"]), ("Noord", "buurt", "WK900101"))
        self.assertEqual(properties["children"], [])
        self.assertAlmostEqual(properties["area_m2"], self.areas["noord"].area_m2)
        self.assertEqual(self.get("/api/v1/areas/WK900101")[1]["properties"]["children"], ["BU90010102", "BU90010101"])

    def test_an_unknown_area_is_a_404_problem(self) -> None:
        status, body, content_type = self.get("/api/v1/areas/BU00000000")
        self.assertEqual((status, content_type, body["code"]), (404, PROBLEM, "not_found"))

    def test_lookup_gives_the_municipality_wijk_and_buurt(self) -> None:
        status, body, _ = self.get("/api/v1/areas/lookup?lat=52.095&lon=5.11")
        self.assertEqual(status, 200)
        self.assertEqual(
            (body["municipality"]["code"], body["wijk"]["code"], body["buurt"]["code"]),
            ("GM9001", "WK900101", "BU90010102"),
        )
        self.assertEqual([a["code"] for a in body["areas"]], ["GM9001", "WK900101", "BU90010102"])

    def test_lookup_on_a_shared_border_lists_both_buurten(self) -> None:
        body = self.get("/api/v1/areas/lookup?lat=52.09&lon=5.11")[1]
        self.assertEqual(body["buurt"]["code"], "BU90010101")
        self.assertEqual([a["code"] for a in body["areas"]][2:], ["BU90010101", "BU90010102"])

    def test_a_point_outside_every_area_is_a_422_problem_in_the_readers_language(self) -> None:
        status, body, content_type = self.get("/api/v1/areas/lookup?lat=52.5&lon=5.5", HTTP_ACCEPT_LANGUAGE="en")
        self.assertEqual((status, content_type, body["code"]), (422, PROBLEM, "area.outside"))
        self.assertEqual(body["detail"], "This point does not lie in any area known to Samen Veilig.")
        self.assertEqual(body["fields"]["lat"], [body["detail"]])
        dutch = self.get("/api/v1/areas/lookup?lat=52.5&lon=5.5", HTTP_ACCEPT_LANGUAGE="nl")[1]
        self.assertEqual(dutch["code"], "area.outside")

    def test_an_invalid_point_is_a_422_problem_per_field(self) -> None:
        for query, fields in (
            ("lat=91&lon=5", {"lat"}),
            ("lat=52&lon=east", {"lon"}),
            ("lon=5", {"lat"}),
            ("lat=nan&lon=5", {"lat"}),
        ):
            with self.subTest(query=query):
                status, body, content_type = self.get(f"/api/v1/areas/lookup?{query}")
                self.assertEqual((status, content_type), (422, PROBLEM))
                self.assertIn(body["code"], {"invalid", "point.invalid"})
                self.assertTrue(fields <= set(body["fields"]), body)

    def test_the_openapi_document_declares_the_errors(self) -> None:
        schema = json.loads(self.client.get("/api/v1/openapi.json").content)
        lookup = schema["paths"]["/api/v1/areas/lookup"]["get"]["responses"]
        self.assertIn("422", lookup)
        self.assertIn("404", schema["paths"]["/api/v1/areas/{code}"]["get"]["responses"])
        self.assertIn("/api/v1/areas", schema["paths"])

    def test_a_list_is_a_fixed_number_of_queries(self) -> None:
        with self.assertNumQueries(1):
            self.client.get("/api/v1/areas")
