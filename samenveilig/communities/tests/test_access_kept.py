"""Communities are kept per process by code and slug (communities.access, core.refcache): every change must reach
the very next request, and nothing of one caller's standing may reach another."""

from samenveilig.communities import access, services
from samenveilig.communities.models import Community
from samenveilig.communities.tests.helpers import membership
from samenveilig.core.errors import NotFound
from samenveilig.core.permissions import Need
from samenveilig.core.testing import SamenVeiligTestCase


class KeptCommunityTests(SamenVeiligTestCase):
    def test_a_phase_change_reaches_the_next_request_by_code_and_by_slug(self) -> None:
        for key in (self.buurt.code, str(self.buurt.code), self.buurt.slug):
            access.access_community(self.anna, key, need=Need.VIEW)  # kept now
        services.community_change_phase(community=self.buurt, to_phase=2, by=self.root)
        for key in (self.buurt.code, str(self.buurt.code), self.buurt.slug):
            with self.subTest(key=key):
                self.assertEqual(access.access_community(self.anna, key, need=Need.VIEW).phase, 2)

    def test_a_saved_change_reaches_the_next_request(self) -> None:
        access.access_community(self.anna, self.buurt.slug, need=Need.VIEW)
        stored = Community.objects.get(pk=self.buurt.pk)
        stored.name = "Buurtpreventie Noord-Oost"
        stored.save()
        self.assertEqual(access.access_community(self.anna, self.buurt.slug, need=Need.VIEW).name, stored.name)

    def test_a_removed_member_is_a_stranger_at_the_next_request(self) -> None:
        access.access_community(self.anna, self.buurt.code, need=Need.REPORT)
        services.membership_remove(membership=membership(self.buurt, self.anna), by=self.cor, reason="test")
        with self.assertRaises(NotFound):
            access.access_community(self.anna, self.buurt.code, need=Need.REPORT)

    def test_each_caller_gets_its_own_copy_without_anybodys_standing(self) -> None:
        first = access.access_community(self.anna, self.buurt.code, need=Need.REPORT)
        first.name = "changed by a caller"
        second = access.access_community(self.ivo, self.buurt.code, need=Need.VIEW)
        self.assertEqual(second.name, "Buurtpreventie Noord")
        self.assertEqual(set(second.__dict__["_sv_standing"]), {self.ivo.pk})  # anna's standing stayed on hers
        with self.assertRaises(NotFound):
            access.access_community(self.olaf, self.buurt.code, need=Need.VIEW)  # a stranger, whoever came before

    def test_an_unknown_slug_is_not_kept_as_missing(self) -> None:
        with self.assertRaises(NotFound):
            access.access_community(self.root, "nieuwe-buurt", need=Need.VIEW)
        created = services.community_create(
            name="Nieuwe buurt", kind="street", municipality=self.areas["gemeente"], buurten=[self.zuid]
        )
        self.assertEqual(created.slug, "nieuwe-buurt")
        self.assertEqual(access.access_community(self.root, "nieuwe-buurt", need=Need.VIEW).pk, created.pk)
