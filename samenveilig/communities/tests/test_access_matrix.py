"""The access matrix of communities: role × object × action, in the web interface and the API, in one table.

Objects: "buurt" is Buurtpreventie Noord (anna participant, cor coordinator, ivo initiator, fenna facilitator,
pia pending; partners: wendy's police team and mark's municipality); "zuid" is Straat Zuid, where nobody of the
cast has a role (zoe is its participant and zack its coordinator) and no organisation is a partner.

Cells: a status code; "login" is a redirect to the login page (web, anonymous). For the action "view member page"
the cell is the page the person gets (the same URL shows a different page per person): "public", "pending",
"member" or "partner". In the web a successful POST redirects (302); in the API it answers 200 or 201.
"""

from django.test import TestCase

from samenveilig.communities.models import Community, HouseRules, Membership, MembershipStatus
from samenveilig.communities.tests.helpers import add_pending, bearer
from samenveilig.core.permissions import Role
from samenveilig.core.testing import make_cast, make_user

ROLES = ("anonymous", "olaf", "anna", "pia", "cor", "ivo", "fenna", "wendy", "mark", "bob", "root")
ACTIONS = ("view_public", "view_member", "list_members", "create_invite", "remove_member", "publish_rules", "phase")

# role: {object: (web cells per ACTIONS, api cells per ACTIONS)}
NF, FB = 404, 403
MATRIX: dict[str, dict[str, tuple[tuple, tuple]]] = {
    "anonymous": {
        "buurt": (
            (200, "public", "login", "login", "login", "login", "login"),
            (200, "public", 401, 401, 401, 401, 401),
        ),
        "zuid": (
            (200, "public", "login", "login", "login", "login", "login"),
            (200, "public", 401, 401, 401, 401, 401),
        ),
    },
    "olaf": {  # signed in, no role anywhere
        "buurt": ((200, "public", NF, NF, NF, NF, NF), (200, "public", NF, NF, NF, NF, NF)),
        "zuid": ((200, "public", NF, NF, NF, NF, NF), (200, "public", NF, NF, NF, NF, NF)),
    },
    "anna": {  # participant of buurt
        "buurt": ((200, "member", 200, FB, FB, FB, FB), (200, "member", 200, FB, FB, FB, FB)),
        "zuid": ((200, "public", NF, NF, NF, NF, NF), (200, "public", NF, NF, NF, NF, NF)),
    },
    "pia": {  # waiting for approval in buurt
        "buurt": ((200, "pending", NF, NF, NF, NF, NF), (200, "pending", NF, NF, NF, NF, NF)),
        "zuid": ((200, "public", NF, NF, NF, NF, NF), (200, "public", NF, NF, NF, NF, NF)),
    },
    "cor": {  # coordinator of buurt only
        "buurt": ((200, "member", 200, 302, 302, 302, 302), (200, "member", 200, 201, 200, 201, 200)),
        "zuid": ((200, "public", NF, NF, NF, NF, NF), (200, "public", NF, NF, NF, NF, NF)),
    },
    "ivo": {  # initiator of buurt
        "buurt": ((200, "member", 200, FB, FB, FB, FB), (200, "member", 200, FB, FB, FB, FB)),
        "zuid": ((200, "public", NF, NF, NF, NF, NF), (200, "public", NF, NF, NF, NF, NF)),
    },
    "fenna": {  # facilitator of buurt: may change its phase
        "buurt": ((200, "member", 200, FB, FB, FB, 302), (200, "member", 200, FB, FB, FB, 200)),
        "zuid": ((200, "public", NF, NF, NF, NF, NF), (200, "public", NF, NF, NF, NF, NF)),
    },
    "wendy": {  # police, partner of buurt
        "buurt": ((200, "partner", FB, FB, FB, FB, FB), (200, "partner", FB, FB, FB, FB, FB)),
        "zuid": ((200, "public", NF, NF, NF, NF, NF), (200, "public", NF, NF, NF, NF, NF)),
    },
    "mark": {  # municipality, partner of buurt: may change its phase
        "buurt": ((200, "partner", FB, FB, FB, FB, 302), (200, "partner", FB, FB, FB, FB, 200)),
        "zuid": ((200, "public", NF, NF, NF, NF, NF), (200, "public", NF, NF, NF, NF, NF)),
    },
    "bob": {  # police of another team, not involved anywhere
        "buurt": ((200, "public", NF, NF, NF, NF, NF), (200, "public", NF, NF, NF, NF, NF)),
        "zuid": ((200, "public", NF, NF, NF, NF, NF), (200, "public", NF, NF, NF, NF, NF)),
    },
    "root": {  # admin
        "buurt": ((200, "member", 200, 302, 302, 302, 302), (200, "member", 200, 201, 200, 201, 200)),
        "zuid": ((200, "member", 200, 302, 302, 302, 302), (200, "member", 200, 201, 200, 201, 200)),
    },
}


class AccessMatrixTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        make_cast(cls)
        cls.pia = add_pending(cls.buurt).user
        cls.zoe = make_user("zoe", first_name="Zoe", last_name="Zuid")
        cls.zack = make_user("zack", first_name="Zack", last_name="Zuid")
        for user, role in ((cls.zoe, Role.PARTICIPANT), (cls.zack, Role.COORDINATOR)):
            Membership.objects.create(
                community=cls.zuid_community,
                user=user,
                role=role,
                status=MembershipStatus.ACTIVE,
                rules_version_accepted=1,
            )
        cls.objects = {"buurt": cls.buurt, "zuid": cls.zuid_community}
        cls.targets = {"buurt": cls.anna, "zuid": cls.zoe}  # whom "remove member" removes

    def setUp(self) -> None:
        # Each cell starts from the same state: the removal target is an active participant, phase 1.
        HouseRules.objects.filter(community__in=self.objects.values(), version__gt=1).delete()
        for key, community in self.objects.items():
            Community.objects.filter(pk=community.pk).update(phase=1)
            community.refresh_from_db()
            Membership.objects.filter(community=community, user=self.targets[key]).update(
                status=MembershipStatus.ACTIVE, end_reason="", ended_at=None
            )

    def test_the_table_is_complete(self) -> None:
        self.assertEqual(set(MATRIX), set(ROLES))
        for cells in MATRIX.values():
            self.assertEqual(set(cells), {"buurt", "zuid"})
            for web, api in cells.values():
                self.assertEqual((len(web), len(api)), (len(ACTIONS), len(ACTIONS)))

    # --- web -----------------------------------------------------------------------------------------------------
    def web(self, action: str, key: str):
        community = self.objects[key]
        base = f"/communities/{community.slug}/"
        member = Membership.objects.get(community=community, user=self.targets[key])
        next_phase = community.phase + 1
        requests = {
            "view_public": ("get", base, {}),
            "view_member": ("get", base, {}),
            "list_members": ("get", base + "leden/", {}),
            "create_invite": ("post", base + "uitnodigingen/", {"days": "7", "note": "flyer"}),
            "remove_member": ("post", base + f"leden/{member.code}/verwijderen/", {"reason": "Herhaald ruzie."}),
            "publish_rules": ("post", base + "spelregels/", {"text": "Nieuwe regels voor iedereen hier."}),
            "phase": ("post", base + "fase/", {"phase": str(next_phase), "reason": ""}),
        }
        method, url, data = requests[action]
        return getattr(self.client, method)(url, data)

    def web_outcome(self, action: str, response) -> object:
        if response.status_code == 302 and "/accounts/login/" in response["Location"]:
            return "login"
        if action == "view_member" and response.status_code == 200:
            return response.context["view"]
        return response.status_code

    def test_web_interface(self) -> None:
        for who in ROLES:
            for key in ("buurt", "zuid"):
                for index, action in enumerate(ACTIONS):
                    expected = MATRIX[who][key][0][index]
                    with self.subTest(who=who, object=key, action=action):
                        self.client.logout()
                        if who != "anonymous":
                            self.client.force_login(getattr(self, who))
                        self.setUp()
                        self.assertEqual(self.web_outcome(action, self.web(action, key)), expected)

    # --- API -----------------------------------------------------------------------------------------------------
    def api(self, action: str, key: str, headers: dict):
        community = self.objects[key]
        base = f"/api/v1/communities/{community.code}"
        member = Membership.objects.get(community=community, user=self.targets[key])
        requests = {
            "view_public": ("get", base, None),
            "view_member": ("get", base, None),
            "list_members": ("get", base + "/members", None),
            "create_invite": ("post", base + "/invites", {"days": 7}),
            "remove_member": ("post", base + f"/members/{member.code}/remove", {"reason": "Herhaald ruzie."}),
            "publish_rules": ("post", base + "/rules", {"text": "Nieuwe regels voor iedereen hier."}),
            "phase": ("post", base + "/phase", {"phase": community.phase + 1}),
        }
        method, url, body = requests[action]
        if method == "get":
            return self.client.get(url, **headers)
        return self.client.post(url, body, content_type="application/json", **headers)

    def test_api(self) -> None:
        self.client.logout()
        headers = {who: bearer(getattr(self, who)) for who in ROLES if who != "anonymous"}
        headers["anonymous"] = {}
        for who in ROLES:
            for key in ("buurt", "zuid"):
                for index, action in enumerate(ACTIONS):
                    expected = MATRIX[who][key][1][index]
                    with self.subTest(who=who, object=key, action=action):
                        self.setUp()
                        response = self.api(action, key, headers[who])
                        outcome = response.status_code
                        if action == "view_member" and outcome == 200:
                            outcome = response.json()["view"]
                        self.assertEqual(outcome, expected, response.content[:300])
                        if response.status_code == 403:
                            self.assertEqual(response.json()["code"], "community.forbidden")

    def test_no_view_leaks_last_names_or_e_mail(self) -> None:
        for who in ROLES:
            with self.subTest(who=who):
                self.client.logout()
                if who != "anonymous":
                    self.client.force_login(getattr(self, who))
                page = self.client.get(f"/communities/{self.buurt.slug}/").content.decode()
                api = self.client.get(f"/api/v1/communities/{self.buurt.code}").content.decode()
                for secret in ("Jansen", "de Vries", "anna@example.org", "cor@example.org"):
                    self.assertNotIn(secret, page)
                    self.assertNotIn(secret, api)
