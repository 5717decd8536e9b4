"""Selectors: the public list (one query), a person's own communities, members' first names, covering a point."""

from samenveilig.communities import selectors, services
from samenveilig.communities.tests.helpers import add_pending
from samenveilig.core.testing import ORIGIN, SamenVeiligTestCase


class ListSelectorTests(SamenVeiligTestCase):
    def test_the_public_list_is_one_query_with_member_counts(self) -> None:
        with self.assertNumQueries(1):
            rows = [(c.name, c.member_count, c.municipality.name) for c in selectors.communities_public_list()]
        self.assertEqual(rows, [("Buurtpreventie Noord", 4, "Testdorp"), ("Straat Zuid", 0, "Testdorp")])

    def test_the_public_list_counts_only_active_members(self) -> None:
        add_pending(self.buurt)
        counts = {c.name: c.member_count for c in selectors.communities_public_list()}
        self.assertEqual(counts["Buurtpreventie Noord"], 4)

    def test_filters(self) -> None:
        services.community_change_phase(community=self.zuid_community, to_phase=2, by=self.root)
        cases = {
            "kind": ({"kind": "street"}, ["Straat Zuid"]),
            "phase": ({"phase": 2}, ["Straat Zuid"]),
            "search": ({"search": "preventie"}, ["Buurtpreventie Noord"]),
            "municipality": ({"municipality": "GM9001"}, ["Buurtpreventie Noord", "Straat Zuid"]),
            "other municipality": ({"municipality": "GM0000"}, []),
        }
        for name, (filters, expected) in cases.items():
            with self.subTest(name):
                self.assertEqual([c.name for c in selectors.communities_public_list(**filters)], expected)

    def test_my_communities_are_one_query_and_include_partner_ones(self) -> None:
        with self.assertNumQueries(1):
            mine = {who: [c.name for c in selectors.communities_for_user(getattr(self, who))] for who in ("anna",)}
        self.assertEqual(mine["anna"], ["Buurtpreventie Noord"])
        self.assertEqual([c.name for c in selectors.communities_for_user(self.wendy)], ["Buurtpreventie Noord"])
        self.assertEqual(list(selectors.communities_for_user(self.bob)), [])
        pia = add_pending(self.buurt).user
        self.assertEqual([c.name for c in selectors.communities_for_user(pia)], ["Buurtpreventie Noord"])

    def test_members_are_first_names_and_roles_in_one_query(self) -> None:
        with self.assertNumQueries(1):
            members = selectors.community_members(community=self.buurt, viewer=self.anna)
        self.assertEqual(
            [(m.first_name, m.role) for m in members],
            [("Anna", "participant"), ("Cor", "coordinator"), ("Fenna", "facilitator"), ("Ivo", "initiator")],
        )
        self.assertFalse(hasattr(members[0], "last_name") or hasattr(members[0], "email"))
        self.assertEqual(selectors.community_coordinators(self.buurt), ["Cor"])


class CoveringTests(SamenVeiligTestCase):
    def test_a_point_in_noord_is_covered_by_the_noord_community_only(self) -> None:
        lat, lon = ORIGIN
        self.assertEqual(selectors.communities_covering(lat=lat + 0.015, lon=lon + 0.01), [self.buurt])
        self.assertEqual(selectors.communities_covering(lat=lat + 0.005, lon=lon + 0.01), [self.zuid_community])

    def test_a_margin_reaches_a_community_next_door(self) -> None:
        lat, lon = ORIGIN
        # 0.001° of latitude (about 111 m) south of Noord's southern edge, inside Zuid.
        point = {"lat": lat + 0.009, "lon": lon + 0.01}
        self.assertEqual(selectors.communities_covering(**point), [self.zuid_community])
        found = selectors.communities_covering(**point, margin_m=200)
        self.assertEqual({c.pk for c in found}, {self.buurt.pk, self.zuid_community.pk})
        self.assertEqual(selectors.communities_covering(**point, margin_m=50), [self.zuid_community])

    def test_a_point_far_away_is_covered_by_nothing(self) -> None:
        self.assertEqual(selectors.communities_covering(lat=53.2, lon=6.5), [])
