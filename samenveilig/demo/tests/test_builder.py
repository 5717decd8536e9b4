"""The demo municipality: its size and coverage (one full build per class), its determinism, and its command."""

import itertools
import re
from collections import Counter
from datetime import UTC, datetime
from io import StringIO

import numpy as np
import shapely
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase, override_settings
from django.urls import reverse
from shapely.geometry import shape

from samenveilig.accounts.models import Organisation, Residence, StaffMembership, User
from samenveilig.areas import geo
from samenveilig.areas.models import Area, AreaKind
from samenveilig.areas.services import area_save
from samenveilig.communities.models import (
    Community,
    CommunityKind,
    HouseRules,
    Invite,
    Membership,
    MembershipStatus,
    Partnership,
    Phase,
    PhaseChange,
)
from samenveilig.core.models import AuditEvent
from samenveilig.core.permissions import OrganisationKind, Role
from samenveilig.core.testing import box
from samenveilig.demo import builder
from samenveilig.demo.accounts import (
    DEMO_ACCOUNTS,
    DEMO_MFA_ACCOUNTS,
    DEMO_PASSWORD,
    DEMO_TOTP_SECRET,
    current_totp_code,
)

NOW = datetime(2025, 6, 2, tzinfo=UTC)
POSTCODE = re.compile(r"^[1-9][0-9]{3} (?!SA|SD|SS)[A-Z]{2}$")
# A fast hasher in tests (CONVENTIONS §8); the demo hashes its one password with whatever hasher is configured.
FAST_HASHER = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])


@FAST_HASHER
class FullDemoTests(TestCase):
    """The default build (5,000 residents), made once for the class."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.summary = builder.build(seed=1, now=NOW)
        cls.gemeente = Area.objects.get(code=builder.MUNICIPALITY_CODE)
        cls.wijken = list(Area.objects.filter(kind=AreaKind.WIJK, parent=cls.gemeente))
        cls.buurten = list(Area.objects.filter(kind=AreaKind.BUURT, parent__in=cls.wijken))
        cls.communities = list(Community.objects.filter(municipality=cls.gemeente))

    def test_the_summary_names_what_was_built(self) -> None:
        self.assertIn("Gemeente Voorbeeld (seed 1)", self.summary)
        self.assertIn("5,000 residents", self.summary)

    # Areas -----------------------------------------------------------------------------------------------------------
    def test_the_municipality_has_wijken_and_buurten_with_cbs_style_codes(self) -> None:
        self.assertGreaterEqual(len(self.wijken), 2)
        self.assertGreaterEqual(len(self.buurten), 8)
        self.assertEqual(self.gemeente.code, "GM9999")
        for wijk in self.wijken:
            self.assertRegex(wijk.code, r"^WK9999\d\d$")
        for buurt in self.buurten:
            self.assertRegex(buurt.code, rf"^BU{buurt.parent.code[2:]}\d\d$")
            self.assertTrue(buurt.cells.exists(), buurt.code)

    def test_buurten_tile_the_municipality_without_overlaps(self) -> None:
        shapes = {b.code: shape(b.geometry) for b in self.buurten}
        for (a, pa), (b, pb) in itertools.combinations(shapes.items(), 2):
            with self.subTest(pair=(a, b)):
                self.assertLess(pa.intersection(pb).area, 1e-12)
        whole = shape(self.gemeente.geometry)
        self.assertAlmostEqual(sum(p.area for p in shapes.values()) / whole.area, 1.0, places=6)
        for buurt in self.buurten:
            self.assertTrue(shape(buurt.parent.geometry).buffer(1e-9).covers(shapes[buurt.code]), buurt.code)

    def test_buurten_are_irregular_polygons_not_rectangles(self) -> None:
        for buurt in self.buurten:
            polygon = shape(buurt.geometry)
            with self.subTest(buurt=buurt.code):
                self.assertTrue(polygon.is_valid)
                self.assertLess(polygon.area / polygon.envelope.area, 0.98)
                self.assertGreaterEqual(len(polygon.exterior.coords), 5)

    # Residents -------------------------------------------------------------------------------------------------------
    def test_five_thousand_residents_live_inside_their_buurt(self) -> None:
        homes = Residence.objects.filter(buurt__in=self.buurten)
        self.assertGreaterEqual(homes.count(), 5000)
        self.assertEqual(Residence.objects.filter(buurt__isnull=True).count(), 0)
        for buurt in self.buurten:
            points = np.array(list(homes.filter(buurt=buurt).values_list("lon", "lat")))
            with self.subTest(buurt=buurt.code):
                self.assertGreater(len(points), 0)
                self.assertTrue(shapely.contains_xy(shape(buurt.geometry), points[:, 0], points[:, 1]).all())

    def test_homes_have_dutch_addresses_and_matching_h3_cells(self) -> None:
        homes = list(Residence.objects.all()[:5000])
        for home in homes[::50]:
            with self.subTest(home=str(home)):
                self.assertRegex(home.postcode, POSTCODE)
                self.assertTrue(home.street and home.house_number and home.city == "Voorbeeld")
                self.assertEqual(home.h3_r9, geo.point_fields(home.lat, home.lon)["h3_r9"])
        streets = Counter(h.street for h in homes)
        self.assertGreater(len(streets), 40)  # many streets, not a handful of long lines
        addresses = Counter((h.street, h.house_number) for h in homes)
        self.assertLess(max(addresses.values()), 5)  # households, not towers

    # Communities -----------------------------------------------------------------------------------------------------
    def test_there_are_twenty_communities_of_every_kind_and_phase(self) -> None:
        self.assertGreaterEqual(len(self.communities), 20)
        self.assertEqual({c.kind for c in self.communities}, set(CommunityKind.values))
        self.assertEqual({c.phase for c in self.communities}, set(Phase.values))

    def test_business_parks_and_shopping_areas_have_a_drawn_area(self) -> None:
        for community in self.communities:
            if community.kind in {CommunityKind.BUSINESS_PARK, CommunityKind.SHOPPING_AREA}:
                self.assertFalse(community.buurten.exists(), community.name)
                self.assertTrue(shape(self.gemeente.geometry).covers(shape(community.geometry)), community.name)
        self.assertTrue(any(c.buurten.count() > 1 for c in self.communities))

    def test_every_community_has_members_in_every_role(self) -> None:
        for community in self.communities:
            roles = set(community.memberships.filter(status=MembershipStatus.ACTIVE).values_list("role", flat=True))
            with self.subTest(community=community.name):
                self.assertEqual(roles, set(Role.values))

    def test_memberships_include_pending_rejected_removed_and_left_members(self) -> None:
        statuses = Counter(Membership.objects.values_list("status", flat=True))
        self.assertGreater(statuses[MembershipStatus.PENDING], 5)
        self.assertGreater(statuses[MembershipStatus.REJECTED], 0)
        self.assertGreater(statuses[MembershipStatus.REMOVED], 0)
        self.assertGreater(statuses[MembershipStatus.LEFT], 0)
        ended = Membership.objects.filter(
            status__in=[MembershipStatus.REJECTED, MembershipStatus.REMOVED, MembershipStatus.LEFT]
        )
        self.assertFalse(ended.filter(end_reason="").exists())
        self.assertFalse(ended.filter(ended_at__isnull=True).exists())

    def test_some_communities_changed_their_rules_and_some_members_accepted_only_the_old_version(self) -> None:
        changed = [c for c in self.communities if c.rule_versions.filter(version=2).exists()]
        self.assertGreaterEqual(len(changed), 2)
        for community in changed:
            old = community.memberships.filter(status=MembershipStatus.ACTIVE, rules_version_accepted=1)
            with self.subTest(community=community.name):
                self.assertTrue(old.exists())
        for community in self.communities:
            current = community.rule_versions.order_by("-version").first().version
            self.assertFalse(community.memberships.filter(rules_version_accepted__gt=current).exists())
        self.assertEqual(
            HouseRules.objects.filter(community__in=self.communities, version=1).count(), len(self.communities)
        )
        published = AuditEvent.objects.filter(action="rules.publish", object_id__in=[str(c.pk) for c in changed])
        self.assertEqual(published.count(), len(changed))

    def test_invites_exist_active_expired_and_revoked_with_consistent_uses(self) -> None:
        invites = Invite.objects.filter(community__in=self.communities)
        self.assertTrue(invites.filter(expires_at__gt=NOW, revoked_at__isnull=True).exists())
        self.assertTrue(invites.filter(expires_at__lt=NOW).exists())
        self.assertTrue(invites.filter(revoked_at__isnull=False).exists())
        for invite in invites:
            used = Membership.objects.filter(invite=invite).count()
            self.assertEqual(invite.uses, used, invite.note)
            if invite.max_uses:
                self.assertLessEqual(invite.uses, invite.max_uses)
        self.assertTrue(invites.filter(uses__gt=0).exists())

    def test_phase_history_leads_from_phase_one_to_the_current_phase(self) -> None:
        backwards = 0
        for community in self.communities:
            changes = list(community.phase_changes.order_by("created_at", "id"))
            with self.subTest(community=community.name):
                if community.phase == 1:
                    self.assertEqual(changes, [])
                    continue
                self.assertEqual(changes[0].from_phase, 1)
                self.assertEqual(changes[-1].to_phase, community.phase)
                for before, after in itertools.pairwise(changes):
                    self.assertEqual(before.to_phase, after.from_phase)
                    self.assertLess(before.created_at, after.created_at)
                for change in changes:
                    self.assertEqual(abs(change.to_phase - change.from_phase), 1)  # never skipped
                    self.assertTrue(change.reason)
                    self.assertIsNotNone(change.changed_by)
                backwards += sum(c.to_phase < c.from_phase for c in changes)
        self.assertGreater(backwards, 0)

    def test_the_history_is_in_the_audit_log_with_its_dates(self) -> None:
        for community in self.communities:
            changes = list(community.phase_changes.order_by("created_at", "id"))
            logged = list(
                AuditEvent.objects.filter(
                    object_type="communities.community", object_id=str(community.pk), action="community.phase"
                ).order_by("created_at", "id")
            )
            with self.subTest(community=community.name):
                self.assertEqual([e.created_at for e in logged], [c.created_at for c in changes])
                self.assertEqual([e.data["to_phase"] for e in logged], [c.to_phase for c in changes])
                self.assertLess(community.created_at, NOW)

    # Partners --------------------------------------------------------------------------------------------------------
    def test_every_kind_of_partner_has_staff_working_areas_and_partnerships(self) -> None:
        organisations = list(
            Organisation.objects.filter(areas__in=[self.gemeente, *self.wijken, *self.buurten]).distinct()
        )
        self.assertEqual({o.kind for o in organisations}, set(OrganisationKind.values))
        for org in organisations:
            with self.subTest(org=org.name):
                self.assertTrue(org.staff.exists())
                self.assertTrue(org.areas.exists())
                self.assertTrue(Partnership.objects.filter(organisation=org).exists())
        police = next(o for o in organisations if o.kind == OrganisationKind.POLICE)
        self.assertGreaterEqual(police.staff.filter(title__startswith="wijkagent").count(), 2)
        names = " ".join(o.name for o in organisations)
        for word in ("basisteam", "Openbare Orde en Veiligheid", "Woonstichting", "Brandweer", "Winkeliersvereniging"):
            self.assertIn(word, names)

    def test_partners_work_only_with_communities_in_their_area(self) -> None:
        for partnership in Partnership.objects.select_related("community", "organisation"):
            area = shapely.union_all([shape(a.geometry) for a in partnership.organisation.areas.all()])
            community_area = shape(partnership.community.geometry)
            with self.subTest(partnership=(partnership.organisation.name, partnership.community.name)):
                self.assertGreater(area.intersection(community_area).area, 0)

    # Logins ----------------------------------------------------------------------------------------------------------
    def test_every_demo_account_exists_with_its_role(self) -> None:
        users = {u.email: u for u in User.objects.filter(email__in=[e for e, _ in DEMO_ACCOUNTS])}
        self.assertEqual(set(users), {e for e, _ in DEMO_ACCOUNTS})

        def active(email: str, role: str) -> bool:
            return Membership.objects.filter(user=users[email], role=role, status=MembershipStatus.ACTIVE).exists()

        self.assertTrue(active("bewoner@demo.samenveilig.nl", Role.PARTICIPANT))
        self.assertTrue(hasattr(users["bewoner@demo.samenveilig.nl"], "residence"))
        self.assertTrue(active("coordinator@demo.samenveilig.nl", Role.COORDINATOR))
        self.assertTrue(active("coordinator@demo.samenveilig.nl", Role.PARTICIPANT))  # roles differ per community
        self.assertTrue(active("initiatiefnemer@demo.samenveilig.nl", Role.INITIATOR))
        self.assertTrue(active("procesbegeleider@demo.samenveilig.nl", Role.FACILITATOR))
        staff_kinds = {
            "wijkagent@demo.samenveilig.nl": OrganisationKind.POLICE,
            "oov@demo.samenveilig.nl": OrganisationKind.MUNICIPALITY,
            "brandweer@demo.samenveilig.nl": OrganisationKind.FIRE,
            "ghor@demo.samenveilig.nl": OrganisationKind.MEDICAL,
            "woningcorporatie@demo.samenveilig.nl": OrganisationKind.HOUSING,
            "winkeliers@demo.samenveilig.nl": OrganisationKind.ORGANISATION,
        }
        for email, kind in staff_kinds.items():
            self.assertTrue(StaffMembership.objects.filter(user=users[email], organisation__kind=kind).exists(), email)
        admin = users["beheerder@demo.samenveilig.nl"]
        self.assertTrue(admin.is_staff and admin.is_superuser)
        self.assertFalse(any(u.is_staff for e, u in users.items() if e != admin.email))

    def test_every_demo_account_signs_in_with_the_demo_password(self) -> None:
        for email, _label in DEMO_ACCOUNTS:
            with self.subTest(email=email):
                self.client.logout()
                response = self.client.post(reverse("account_login"), {"login": email, "password": DEMO_PASSWORD})
                self.assertEqual(response.status_code, 302)
                if email in DEMO_MFA_ACCOUNTS:  # partners and the admin are asked for their second factor
                    self.assertEqual(response.url, reverse("mfa_authenticate"))
                    self.assertNotIn("_auth_user_id", self.client.session)
                else:
                    self.assertEqual(self.client.session["_auth_user_id"], str(User.objects.get(email=email).pk))

    def test_a_wrong_password_does_not_sign_in(self) -> None:
        response = self.client.post(
            reverse("account_login"), {"login": "bewoner@demo.samenveilig.nl", "password": "not-the-password"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_partners_and_the_admin_have_totp_with_the_demo_secret_and_residents_do_not(self) -> None:
        staff = User.objects.filter(staff_roles__isnull=False).distinct()
        needs = set(staff.values_list("pk", flat=True)) | set(
            User.objects.filter(is_superuser=True).values_list("pk", flat=True)
        )
        has = set(Authenticator.objects.filter(type=Authenticator.Type.TOTP).values_list("user_id", flat=True))
        self.assertEqual(has, needs)
        self.assertGreaterEqual(len(has), len(DEMO_MFA_ACCOUNTS))
        for email in DEMO_MFA_ACCOUNTS:
            authenticator = Authenticator.objects.get(user__email=email, type=Authenticator.Type.TOTP)
            self.assertTrue(TOTP(authenticator).validate_code(current_totp_code()), email)
        self.assertFalse(Authenticator.objects.filter(user__residence__isnull=False).exists())
        self.assertEqual(len(DEMO_TOTP_SECRET), 32)

    def test_account_lines_name_every_login_the_password_and_the_secret(self) -> None:
        text = "\n".join(builder.account_lines())
        for email, label in DEMO_ACCOUNTS:
            self.assertIn(email, text)
            self.assertIn(label, text)
        self.assertIn(DEMO_PASSWORD, text)
        self.assertIn(DEMO_TOTP_SECRET, text)


@FAST_HASHER
class DeterminismTests(TestCase):
    def test_the_same_seed_builds_the_same_demo_and_another_seed_another(self) -> None:
        builder.build(seed=7, residents=400, now=NOW)
        first = builder.content_digest()
        builder.reset()
        self.assertFalse(Area.objects.filter(code=builder.MUNICIPALITY_CODE).exists())
        builder.build(seed=7, residents=400, now=NOW)
        self.assertEqual(builder.content_digest(), first)
        builder.reset()
        builder.build(seed=8, residents=400, now=NOW)
        self.assertNotEqual(builder.content_digest(), first)

    def test_a_smaller_build_still_covers_every_kind_phase_and_role(self) -> None:
        builder.build(seed=2, residents=500, now=NOW)
        communities = Community.objects.filter(municipality__code=builder.MUNICIPALITY_CODE)
        self.assertEqual(Residence.objects.count(), 500)
        self.assertEqual(set(communities.values_list("kind", flat=True)), set(CommunityKind.values))
        self.assertEqual(set(communities.values_list("phase", flat=True)), set(Phase.values))
        self.assertEqual(set(Membership.objects.values_list("role", flat=True)), set(Role.values))
        self.assertTrue(PhaseChange.objects.exists())

    def test_reset_deletes_the_demo_and_nothing_else(self) -> None:
        other = User.objects.create_user(username="eigen", email="eigen@example.org", password="x" * 12)
        area, _ = area_save(kind=AreaKind.MUNICIPALITY, code="GM0001", name="Elders", geometry=box(52, 5, 0.01, 0.01))
        org = Organisation.objects.create(name="Politie Elders", kind=OrganisationKind.POLICE)
        org.areas.set([area])
        builder.build(seed=3, residents=300, now=NOW)
        self.assertGreater(User.objects.count(), 300)
        deleted = builder.reset()
        self.assertGreater(deleted, 300)
        self.assertEqual(list(User.objects.all()), [other])
        self.assertEqual(list(Area.objects.all()), [area])
        self.assertEqual(list(Organisation.objects.all()), [org])
        for model in (Community, Residence, Membership, Invite, PhaseChange, Authenticator, StaffMembership):
            self.assertFalse(model.objects.exists(), model.__name__)


@FAST_HASHER
class DemoCommandTests(TestCase):
    def test_the_command_builds_refuses_a_second_time_and_rebuilds_with_reset(self) -> None:
        out = StringIO()
        call_command("demo", "--seed", "4", "--residents", "300", stdout=out)
        self.assertIn("Gemeente Voorbeeld (seed 4)", out.getvalue())
        self.assertIn("bewoner@demo.samenveilig.nl", out.getvalue())
        digest = builder.content_digest()
        with self.assertRaises(CommandError):
            call_command("demo", "--seed", "4", "--residents", "300", stdout=StringIO())
        self.assertEqual(builder.content_digest(), digest)  # nothing changed
        out = StringIO()
        call_command("demo", "--seed", "5", "--residents", "300", "--reset", stdout=out)
        self.assertIn("Deleted the demo data", out.getvalue())
        self.assertEqual(Residence.objects.count(), 300)
        self.assertEqual(Area.objects.filter(kind=AreaKind.MUNICIPALITY).count(), 1)

    def test_the_command_prints_the_current_totp_code(self) -> None:
        out = StringIO()
        call_command("demo", "--totp", stdout=out)
        self.assertRegex(out.getvalue().strip(), r"^\d{6}$")
        self.assertEqual(out.getvalue().strip(), current_totp_code())
