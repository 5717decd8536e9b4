"""`samenveilig manage community …`: every management action on the command line, through the same gates."""

import json
import tempfile
from io import StringIO
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import CommandError

from samenveilig.accounts.models import Organisation, StaffMembership
from samenveilig.areas.models import AreaKind
from samenveilig.areas.services import area_save
from samenveilig.communities.models import (
    Community,
    HouseRules,
    Invite,
    Membership,
    MembershipStatus,
    PhaseChange,
)
from samenveilig.communities.tests.helpers import add_pending, membership
from samenveilig.core.models import AuditEvent
from samenveilig.core.permissions import OrganisationKind, Role
from samenveilig.core.testing import ORIGIN, SamenVeiligTestCase, box, make_user

SLUG = "buurtpreventie-noord"


class CommandTestCase(SamenVeiligTestCase):
    def run_command(self, *args: str) -> str:
        out = StringIO()
        call_command("community", *args, stdout=out, stderr=StringIO())
        return out.getvalue()

    def refused(self, *args: str) -> str:
        """Run the command, expect a CommandError, and return its text."""
        with self.assertRaises(CommandError) as caught:
            self.run_command(*args)
        self.assertEqual(caught.exception.returncode, 1)
        return str(caught.exception)

    def write_file(self, text: str, suffix: str = ".txt") -> str:
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        path = Path(folder.name) / f"file{suffix}"
        path.write_text(text, encoding="utf-8")
        return str(path)

    def state(self) -> dict[str, Any]:
        """A snapshot of everything a community command could change."""
        return {
            "communities": list(Community.objects.order_by("pk").values_list("pk", "phase", "approval_required")),
            "memberships": list(Membership.objects.order_by("pk").values_list("pk", "status", "role", "end_reason")),
            "rules": HouseRules.objects.count(),
            "invites": list(Invite.objects.order_by("pk").values_list("pk", "revoked_at")),
            "phase_changes": PhaseChange.objects.count(),
        }


class ListAndShowTests(CommandTestCase):
    def test_list_prints_slug_name_kind_phase_and_active_member_count(self) -> None:
        rows = [line.split("\t") for line in self.run_command("list").splitlines()]
        self.assertIn([SLUG, "Buurtpreventie Noord", "whatsapp", "1", "4"], rows)
        self.assertIn(["straat-zuid", "Straat Zuid", "street", "1", "0"], rows)

    def test_list_filters_by_kind_and_prints_json_lines(self) -> None:
        rows = [json.loads(line) for line in self.run_command("list", "--kind", "street", "--json").splitlines()]
        self.assertEqual(
            [(r["slug"], r["municipality"], r["member_count"]) for r in rows], [("straat-zuid", "GM9001", 0)]
        )
        self.assertEqual(self.run_command("list", "--phase", "2"), "")

    def test_show_gives_a_member_the_members_first_names(self) -> None:
        data = json.loads(self.run_command("show", SLUG, "--as", "anna", "--json"))
        self.assertEqual(data["view"], "member")
        self.assertEqual(sorted(m["first_name"] for m in data["members"]), ["Anna", "Cor", "Fenna", "Ivo"])
        self.assertEqual(data["membership"]["role"], Role.PARTICIPANT)

    def test_show_gives_a_stranger_only_the_public_page(self) -> None:
        data = json.loads(self.run_command("show", SLUG, "--as", "olaf@example.org", "--json"))
        self.assertEqual(data["view"], "public")
        self.assertNotIn("members", data)
        self.assertNotIn("partners", data)
        text = self.run_command("show", SLUG, "--as", "olaf")
        self.assertIn("Buurtpreventie Noord", text)
        self.assertNotIn("Anna", text)


class CreateTests(CommandTestCase):
    def test_create_over_buurten_makes_the_person_coordinator_in_phase_1(self) -> None:
        args = ["create", "--as", "olaf", "--name", "Zuid Waakt", "--kind", "street", "--municipality", "GM9001"]
        slug = self.run_command(*args, "--buurt", "BU90010101", "--no-approval").strip()
        community = Community.objects.get(slug=slug)
        self.assertEqual((community.name, community.kind, community.phase), ("Zuid Waakt", "street", 1))
        self.assertFalse(community.approval_required)
        self.assertEqual([b.code for b in community.buurten.all()], ["BU90010101"])
        own = Membership.objects.get(community=community, user=self.olaf)
        self.assertEqual((own.role, own.status), (Role.COORDINATOR, MembershipStatus.ACTIVE))

    def test_create_from_a_geojson_feature_file(self) -> None:
        lat, lon = ORIGIN
        feature = {"type": "Feature", "properties": {}, "geometry": box(lat + 0.002, lon + 0.002, 0.004, 0.004)}
        path = self.write_file(json.dumps({"type": "FeatureCollection", "features": [feature]}), ".geojson")
        args = ["create", "--as", "anna", "--name", "Hofje", "--kind", "online_watch", "--municipality", "GM9001"]
        slug = self.run_command(*args, "--geojson", path).strip()
        community = Community.objects.get(slug=slug)
        self.assertEqual(community.municipality.code, "GM9001")
        self.assertTrue(community.approval_required)
        self.assertEqual(community.buurten.count(), 0)
        self.assertTrue(Membership.objects.filter(community=community, user=self.anna, role=Role.COORDINATOR).exists())

    def test_create_refuses_an_area_in_another_municipality_and_keeps_nothing(self) -> None:
        lat, lon = ORIGIN
        area_save(kind=AreaKind.MUNICIPALITY, code="GM9002", name="Elders", geometry=box(lat + 1, lon, 0.02, 0.02))
        before = self.state()
        args = ["create", "--as", "olaf", "--name", "Zuid Waakt", "--kind", "street", "--municipality", "GM9002"]
        text = self.refused(*args, "--buurt", "BU90010101")
        self.assertIn("[community.municipality_mismatch]", text)
        self.assertEqual(self.state(), before)
        self.assertFalse(Community.objects.filter(name="Zuid Waakt").exists())

    def test_create_refuses_unknown_buurt_codes_and_bad_names(self) -> None:
        args = ["create", "--as", "olaf", "--kind", "street", "--municipality", "GM9001"]
        before = self.state()
        self.assertIn("[community.unknown_buurt]", self.refused(*args, "--name", "Nergens", "--buurt", "BU00000000"))
        text = self.refused(*args, "--name", "Zu", "--buurt", "BU90010101")
        self.assertIn("[community.invalid]", text)
        self.assertIn("name:", text)
        self.assertIn(
            "[community.unknown_municipality]",
            self.refused(*args[:-1], "GM0000", "--name", "X", "--buurt", "BU90010101"),
        )
        self.assertEqual(self.state(), before)


class PhaseAndRulesTests(CommandTestCase):
    def test_a_coordinator_moves_the_community_one_phase_forward(self) -> None:
        self.assertEqual(self.run_command("phase", SLUG, "--as", "cor", "--to", "2").strip(), "1 -> 2")
        self.buurt.refresh_from_db()
        self.assertEqual(self.buurt.phase, 2)
        change = PhaseChange.objects.get(community=self.buurt)
        self.assertEqual((change.from_phase, change.to_phase, change.changed_by), (1, 2, self.cor))

    def test_a_municipality_partner_may_change_the_phase_and_move_back_with_a_reason(self) -> None:
        self.run_command("phase", SLUG, "--as", "mark", "--to", "2")
        self.run_command("phase", SLUG, "--as", "mark", "--to", "1", "--reason", "Te weinig mensen")
        self.buurt.refresh_from_db()
        self.assertEqual(self.buurt.phase, 1)
        self.assertEqual(PhaseChange.objects.filter(community=self.buurt).count(), 2)

    def test_skipping_a_phase_is_refused_and_changes_nothing(self) -> None:
        before = self.state()
        self.assertIn("[phase.skip]", self.refused("phase", SLUG, "--as", "cor", "--to", "3"))
        self.assertEqual(self.state(), before)

    def test_a_participant_cannot_change_the_phase(self) -> None:
        before = self.state()
        self.assertIn("[community.forbidden]", self.refused("phase", SLUG, "--as", "anna", "--to", "2"))
        self.assertEqual(self.state(), before)

    def test_a_coordinator_publishes_new_house_rules_from_a_file_and_anyone_reads_them(self) -> None:
        path = self.write_file("1. Wees aardig tegen elkaar.\n2. Bel 112 bij nood.\n")
        self.assertEqual(self.run_command("rules", SLUG, "--as", "cor", "--publish", path).strip(), "2")
        latest = HouseRules.objects.filter(community=self.buurt).order_by("-version").first()
        self.assertEqual((latest.version, latest.created_by), (2, self.cor))
        self.assertIn("Bel 112 bij nood.", latest.text)
        printed = self.run_command("rules", SLUG)
        self.assertTrue(printed.startswith("v2\t"))
        self.assertIn("Wees aardig tegen elkaar.", printed)

    def test_publishing_rules_needs_a_coordinator_and_a_person(self) -> None:
        path = self.write_file("1. Wees aardig tegen elkaar.\n")
        before = self.state()
        self.assertIn("[community.forbidden]", self.refused("rules", SLUG, "--as", "anna", "--publish", path))
        self.assertIn("[user.required]", self.refused("rules", SLUG, "--publish", path))
        self.assertIn("[rules.empty]", self.refused("rules", SLUG, "--as", "cor", "--publish", self.write_file("kort")))
        self.assertEqual(self.state(), before)


class InviteTests(CommandTestCase):
    def test_a_coordinator_creates_an_invite_and_gets_its_path_and_token(self) -> None:
        out = self.run_command(
            "invite", SLUG, "--as", "cor", "--days", "7", "--max-uses", "3", "--no-approval", "--note", "flyer"
        )
        lines = dict(line.split("\t", 1) for line in out.splitlines())
        invite = Invite.objects.get(community=self.buurt)
        self.assertEqual(lines["token"], invite.token)
        self.assertEqual(lines["code"], str(invite.code))
        self.assertIn(invite.token, lines["path"])
        self.assertEqual((invite.max_uses, invite.requires_approval, invite.note), (3, False, "flyer"))
        self.assertEqual(invite.created_by, self.cor)

    def test_an_invite_is_revoked_by_its_token_or_its_code(self) -> None:
        for key in ("token", "code"):
            with self.subTest(key=key):
                out = self.run_command("invite", SLUG, "--as", "cor")
                given = dict(line.split("\t", 1) for line in out.splitlines())[key]
                self.run_command("invite-revoke", SLUG, given, "--as", "cor")
                invite = Invite.objects.get(**{key: given})
                self.assertIsNotNone(invite.revoked_at)

    def test_a_participant_cannot_create_or_revoke_invites(self) -> None:
        out = self.run_command("invite", SLUG, "--as", "cor")
        token = dict(line.split("\t", 1) for line in out.splitlines())["token"]
        before = self.state()
        self.assertIn("[community.forbidden]", self.refused("invite", SLUG, "--as", "anna"))
        self.assertIn("[community.forbidden]", self.refused("invite-revoke", SLUG, token, "--as", "anna"))
        self.assertEqual(self.state(), before)

    def test_an_invite_of_another_community_is_unknown_here(self) -> None:
        Membership.objects.create(
            community=self.zuid_community, user=self.olaf, role=Role.COORDINATOR, status=MembershipStatus.ACTIVE
        )
        out = self.run_command("invite", "straat-zuid", "--as", "olaf")
        token = dict(line.split("\t", 1) for line in out.splitlines())["token"]
        before = self.state()
        self.assertIn("[invite.unknown]", self.refused("invite-revoke", SLUG, token, "--as", "cor"))
        self.assertEqual(self.state(), before)

    def test_bad_invite_input_is_refused(self) -> None:
        before = self.state()
        self.assertIn("[invite.invalid]", self.refused("invite", SLUG, "--as", "cor", "--days", "0"))
        self.assertEqual(self.state(), before)


class MemberTests(CommandTestCase):
    def test_members_lists_codes_first_names_and_roles(self) -> None:
        rows = [line.split("\t") for line in self.run_command("members", SLUG, "--as", "anna").splitlines()]
        self.assertEqual(
            [(r[1], r[2], r[3]) for r in rows][:2],
            [("Anna", "participant", "active"), ("Cor", "coordinator", "active")],
        )
        self.assertEqual(rows[0][0], str(membership(self.buurt, self.anna).code))
        self.assertNotIn("Jansen", "".join("".join(r) for r in rows))

    def test_pending_members_are_for_coordinators_only(self) -> None:
        add_pending(self.buurt)
        rows = [
            json.loads(line)
            for line in self.run_command("members", SLUG, "--as", "cor", "--status", "pending", "--json").splitlines()
        ]
        self.assertEqual([r["first_name"] for r in rows], ["Pia"])
        self.assertIn("[community.forbidden]", self.refused("members", SLUG, "--as", "anna", "--status", "pending"))
        self.assertIn("[not_found]", self.refused("members", SLUG, "--as", "olaf"))

    def test_a_coordinator_approves_by_username_and_rejects_by_email(self) -> None:
        pia = add_pending(self.buurt, "pia", "Pia")
        kees = add_pending(self.buurt, "kees", "Kees")
        self.run_command("approve", SLUG, "pia", "--as", "cor")
        self.run_command("reject", SLUG, "kees@example.org", "--as", "cor", "--reason", "Woont elders")
        pia.refresh_from_db()
        kees.refresh_from_db()
        self.assertEqual(pia.status, MembershipStatus.ACTIVE)
        self.assertEqual((kees.status, kees.end_reason), (MembershipStatus.REJECTED, "Woont elders"))

    def test_a_coordinator_removes_a_member_by_membership_code_with_a_reason(self) -> None:
        code = str(membership(self.buurt, self.anna).code)
        self.run_command("remove", SLUG, code, "--as", "cor", "--reason", "Herhaald persoonlijke gegevens gedeeld")
        removed = membership(self.buurt, self.anna)
        self.assertEqual(removed.status, MembershipStatus.REMOVED)
        self.assertEqual(removed.end_reason, "Herhaald persoonlijke gegevens gedeeld")
        self.assertTrue(AuditEvent.objects.filter(action="membership.remove", actor=self.cor).exists())

    def test_a_coordinator_gives_a_member_another_role(self) -> None:
        self.run_command("role", SLUG, "anna", Role.INITIATOR, "--as", "cor")
        self.assertEqual(membership(self.buurt, self.anna).role, Role.INITIATOR)
        before = self.state()
        self.assertIn("[role.invalid]", self.refused("role", SLUG, "anna", "king", "--as", "cor"))
        self.assertEqual(self.state(), before)

    def test_a_participant_cannot_remove_a_member(self) -> None:
        before = self.state()
        text = self.refused("remove", SLUG, "ivo", "--as", "anna", "--reason", "Ik mag hem niet")
        self.assertIn("[community.forbidden]", text)
        self.assertEqual(self.state(), before)
        self.assertEqual(membership(self.buurt, self.ivo).status, MembershipStatus.ACTIVE)

    def test_a_stranger_cannot_remove_a_member_nor_learn_who_is_in(self) -> None:
        before = self.state()
        self.assertIn("[not_found]", self.refused("remove", SLUG, "anna", "--as", "olaf", "--reason", "Weg"))
        self.assertEqual(self.state(), before)

    def test_remove_without_a_reason_is_refused(self) -> None:
        before = self.state()
        self.assertIn("[membership.reason_required]", self.refused("remove", SLUG, "anna", "--as", "cor"))
        self.assertIn(
            "[membership.reason_required]", self.refused("remove", SLUG, "anna", "--as", "cor", "--reason", "  ")
        )
        self.assertEqual(self.state(), before)

    def test_an_unknown_member_is_a_clear_error(self) -> None:
        self.assertIn("[membership.unknown]", self.refused("approve", SLUG, "nobody", "--as", "cor"))
        self.assertIn("[membership.unknown]", self.refused("approve", SLUG, "olaf", "--as", "cor"))
        self.assertIn(
            "[membership.unknown]", self.refused("approve", SLUG, "00000000-0000-0000-0000-000000000000", "--as", "cor")
        )

    def test_approving_someone_who_is_not_waiting_is_refused(self) -> None:
        before = self.state()
        self.assertIn("[membership.not_pending]", self.refused("approve", SLUG, "anna", "--as", "cor"))
        self.assertEqual(self.state(), before)


class WhoAndWhatTests(CommandTestCase):
    def test_an_unknown_community_is_a_clear_error(self) -> None:
        self.assertIn("[community.unknown]", self.refused("show", "nergens", "--as", "cor"))
        self.assertIn("[community.unknown]", self.refused("phase", "nergens", "--as", "cor", "--to", "2"))
        self.assertIn("[community.unknown]", self.refused("rules", "nergens"))

    def test_an_unknown_person_is_a_clear_error(self) -> None:
        before = self.state()
        text = self.refused("phase", SLUG, "--as", "nobody@example.org", "--to", "2")
        self.assertIn("[user.unknown]", text)
        self.assertIn("nobody@example.org", text)
        self.assertEqual(self.state(), before)

    def test_partner_staff_without_two_factor_authentication_cannot_act(self) -> None:
        paul = make_user("paul")
        gemeente = Organisation.objects.get(kind=OrganisationKind.MUNICIPALITY)
        StaffMembership.objects.create(organisation=gemeente, user=paul, title="OOV")
        before = self.state()
        self.assertIn("[mfa_required]", self.refused("phase", SLUG, "--as", "paul", "--to", "2"))
        self.assertEqual(self.state(), before)

    def test_an_admin_may_do_what_a_coordinator_may(self) -> None:
        self.run_command("remove", SLUG, "anna", "--as", "root", "--reason", "Op verzoek van de politie")
        self.assertEqual(membership(self.buurt, self.anna).status, MembershipStatus.REMOVED)
