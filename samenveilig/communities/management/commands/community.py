"""`samenveilig manage community …`: every management action on communities, on the command line.

The command acts as a named person (`--as USERNAME_OR_EMAIL`) and goes through the same gates
(communities.access) and services as the web interface and the API, so nobody can do here what they could not do
there. A domain error becomes a CommandError "message [code]" (exit status 1) and changes nothing: each action runs
in one transaction.
"""

import json
from pathlib import Path
from typing import Any
from uuid import UUID

from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from samenveilig.accounts import selectors as account_selectors
from samenveilig.accounts.auth import MFA_REQUIRED_MESSAGE
from samenveilig.areas import selectors as area_selectors
from samenveilig.areas.models import AreaKind
from samenveilig.communities import access, selectors, services
from samenveilig.communities.models import Community, CommunityKind, Invite, Membership, MembershipStatus, Phase
from samenveilig.core.errors import DomainError, Invalid, NotFound
from samenveilig.core.permissions import Need, Role

MEMBER_HELP = "the member's username, e-mail address or membership code (as `members` shows it)"
AS_HELP = "act as this person (username or e-mail address); their roles decide what is allowed"


def error_text(exc: DomainError) -> str:
    """A domain error as one text: the message, its code in brackets, then the messages per field."""
    lines = [f"{exc.message} [{exc.code}]"]
    for name, messages in exc.fields.items():
        for message in messages if isinstance(messages, list | tuple) else [messages]:
            if str(message) != str(exc.message):
                lines.append(f"  {name}: {message}")
    return "\n".join(lines)


def _fail(message: str, code: str) -> CommandError:
    return CommandError(f"{message} [{code}]")


class Command(BaseCommand):
    help = (
        "Manage communities as a named person (--as): list, show, create, change the phase, publish house rules, "
        "create and revoke invites, list, approve, reject and remove members, change roles. The same rules apply "
        "as in the web interface and the API."
    )

    # --- arguments ----------------------------------------------------------------------------------------------------
    def add_arguments(self, parser: CommandParser) -> None:
        actions = "list,show,create,phase,rules,invite,invite-revoke,members,approve,reject,remove,role"
        sub = parser.add_subparsers(dest="action", required=True, metavar="{" + actions + "}")

        listing = sub.add_parser(
            "list", help="list every community (what a stranger may see): slug, name, type, phase, active members"
        )
        listing.add_argument("--municipality", metavar="CODE", help="only this municipality, e.g. GM0344")
        listing.add_argument("--kind", choices=CommunityKind.values, help="only this type of community")
        listing.add_argument("--phase", type=int, choices=Phase.values, help="only communities in this phase")
        listing.add_argument("--json", action="store_true", help="print one JSON object per line")

        show = sub.add_parser("show", help="show a community as the person (--as) may see it")
        show.add_argument("slug", help="the community's short name (slug) or public code")
        show.add_argument("--as", dest="as_user", required=True, metavar="USER", help=AS_HELP)
        show.add_argument("--json", action="store_true", help="print one JSON object")

        create = sub.add_parser(
            "create", help="start a community in phase 1; the person (--as) becomes its coordinator"
        )
        create.add_argument("--as", dest="as_user", required=True, metavar="USER", help=AS_HELP)
        create.add_argument("--name", required=True, help="the community's name (3 to 120 characters)")
        create.add_argument("--kind", required=True, choices=CommunityKind.values, help="the type of community")
        create.add_argument(
            "--municipality",
            required=True,
            metavar="GMCODE",
            help="the municipality the area lies in (checked: a mismatch is refused)",
        )
        area = create.add_mutually_exclusive_group(required=True)
        area.add_argument(
            "--buurt",
            action="append",
            metavar="BUCODE",
            help="a neighbourhood (buurt) code that makes up the area; repeat for more buurten",
        )
        area.add_argument(
            "--geojson",
            metavar="FILE",
            help="a GeoJSON file with the area (WGS84): a Polygon or MultiPolygon, or a Feature or "
            "FeatureCollection holding exactly one",
        )
        create.add_argument("--description", default="", help="what the community is about")
        create.add_argument(
            "--house-rules", metavar="FILE", help="a text file with the first house rules (default: the standard set)"
        )
        create.add_argument(
            "--no-approval",
            action="store_true",
            help="people who join with an invite are members at once (default: a coordinator approves them)",
        )

        phase = sub.add_parser(
            "phase", help="move the community to another phase: forward one at a time, back with a reason"
        )
        phase.add_argument("slug", help="the community's short name (slug) or public code")
        phase.add_argument("--as", dest="as_user", required=True, metavar="USER", help=AS_HELP)
        phase.add_argument("--to", dest="to_phase", required=True, type=int, metavar="N", help="the new phase, 1-4")
        phase.add_argument("--reason", default="", help="why (required when moving back)")

        rules = sub.add_parser(
            "rules", help="print the current house rules, or publish a new version with --publish FILE"
        )
        rules.add_argument("slug", help="the community's short name (slug) or public code")
        rules.add_argument("--as", dest="as_user", metavar="USER", help=AS_HELP + " (required with --publish)")
        rules.add_argument(
            "--publish", metavar="FILE", help="publish the text in FILE as the next version (members accept it again)"
        )

        invite = sub.add_parser("invite", help="create an invite link; prints its path, token and code")
        invite.add_argument("slug", help="the community's short name (slug) or public code")
        invite.add_argument("--as", dest="as_user", required=True, metavar="USER", help=AS_HELP)
        invite.add_argument("--days", type=int, default=None, help="valid for this many days (1-365)")
        invite.add_argument("--max-uses", type=int, default=None, help="at most this many joins (default: no limit)")
        invite.add_argument(
            "--no-approval",
            action="store_true",
            help="who joins with this link is a member at once (default: as the community is set)",
        )
        invite.add_argument("--note", default="", help="for whom or where the link is used (at most 200 characters)")

        revoke = sub.add_parser("invite-revoke", help="withdraw an invite link")
        revoke.add_argument("slug", help="the community's short name (slug) or public code")
        revoke.add_argument("invite", metavar="TOKEN_OR_CODE", help="the invite's token or public code")
        revoke.add_argument("--as", dest="as_user", required=True, metavar="USER", help=AS_HELP)

        members = sub.add_parser(
            "members", help="list members: membership code, first name, role, status, joined (tab separated)"
        )
        members.add_argument("slug", help="the community's short name (slug) or public code")
        members.add_argument("--as", dest="as_user", required=True, metavar="USER", help=AS_HELP)
        members.add_argument(
            "--status",
            default=MembershipStatus.ACTIVE,
            choices=MembershipStatus.values,
            help="which members (default: active; any other status only for coordinators)",
        )
        members.add_argument("--json", action="store_true", help="print one JSON object per line")

        for name, text in (
            ("approve", "admit a person who is waiting for approval"),
            ("reject", "turn down a person who is waiting for approval"),
        ):
            p = sub.add_parser(name, help=text)
            p.add_argument("slug", help="the community's short name (slug) or public code")
            p.add_argument("member", help=MEMBER_HELP)
            p.add_argument("--as", dest="as_user", required=True, metavar="USER", help=AS_HELP)
            if name == "reject":
                p.add_argument("--reason", default="", help="why (kept with the membership)")

        remove = sub.add_parser("remove", help="remove a member, with a reason (logged)")
        remove.add_argument("slug", help="the community's short name (slug) or public code")
        remove.add_argument("member", help=MEMBER_HELP)
        remove.add_argument("--as", dest="as_user", required=True, metavar="USER", help=AS_HELP)
        remove.add_argument("--reason", default="", help="why the member is removed (required)")

        role = sub.add_parser("role", help="give an active member another role")
        role.add_argument("slug", help="the community's short name (slug) or public code")
        role.add_argument("member", help=MEMBER_HELP)
        role.add_argument("role", metavar="ROLE", help="one of: " + ", ".join(Role.values))
        role.add_argument("--as", dest="as_user", required=True, metavar="USER", help=AS_HELP)

    # --- dispatch -----------------------------------------------------------------------------------------------------
    def handle(self, *args: Any, **options: Any) -> None:
        handler = getattr(self, "do_" + options["action"].replace("-", "_"))
        try:
            with transaction.atomic():
                handler(options)
        except DomainError as exc:
            raise CommandError(error_text(exc)) from exc

    # --- look-ups -----------------------------------------------------------------------------------------------------
    def _actor(self, handle: str | None) -> Any:
        if not handle:
            return AnonymousUser()
        user = account_selectors.user_by_handle(handle)
        if user is None:
            raise _fail(_("No person with username or e-mail address %(handle)r.") % {"handle": handle}, "user.unknown")
        if not user.is_active:
            raise _fail(_("The account %(handle)r is not active.") % {"handle": handle}, "user.inactive")
        if account_selectors.user_needs_mfa(user) and not account_selectors.user_has_mfa(user):
            raise _fail(str(MFA_REQUIRED_MESSAGE), "mfa_required")
        return user

    def _community(self, user: Any, slug: str, need: Need) -> Community:
        """The community through its gate. Everyone may see a community's public page, so a NotFound there means
        there is no such community; after that the gate for `need` decides."""
        try:
            community = access.access_community(user, slug, need=Need.VIEW_PUBLIC)
        except NotFound:
            raise _fail(
                _("No community with short name or code %(slug)r.") % {"slug": slug}, "community.unknown"
            ) from None
        return access.access_community(user, community, need=need)

    def _membership(self, user: Any, slug: str, given: str, need: Need) -> Membership:
        community = self._community(user, slug, need)
        code: Any = None
        try:
            code = UUID(given)
        except ValueError:
            person = account_selectors.user_by_handle(given)
            if person is not None:
                # Only the code is read here; the membership itself comes through the gate below.
                code = (
                    Membership.objects.filter(community=community, user=person).values_list("code", flat=True).first()
                )
        try:
            if code is None:
                raise NotFound()
            return access.access_membership(user, community, code, need=need)
        except NotFound:
            message = _("%(member)r is not a member of %(community)s.") % {"member": given, "community": community.name}
            raise _fail(message, "membership.unknown") from None

    def _invite(self, user: Any, slug: str, given: str) -> Invite:
        community = self._community(user, slug, Need.INVITE)
        try:
            try:
                code = UUID(given)
            except ValueError:
                found = access.invite_by_token(given.strip())
                if found.community_id != community.pk:
                    raise NotFound() from None
                code = found.code
            return access.access_invite(user, community, code)
        except NotFound:
            message = _("%(community)s has no invite %(invite)r.") % {"community": community.name, "invite": given}
            raise _fail(message, "invite.unknown") from None

    def _read_text(self, path: str) -> str:
        try:
            return Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise _fail(
                _("Cannot read %(file)s: %(error)s") % {"file": path, "error": exc}, "file.unreadable"
            ) from None

    def _read_geometry(self, path: str) -> dict[str, Any]:
        try:
            data = json.loads(self._read_text(path))
        except json.JSONDecodeError as exc:
            raise _fail(
                _("%(file)s is not valid JSON: %(error)s") % {"file": path, "error": exc}, "file.not_json"
            ) from None
        if isinstance(data, dict) and data.get("type") == "FeatureCollection":
            features = data.get("features")
            if not isinstance(features, list) or len(features) != 1:
                raise _fail(_("%(file)s must hold exactly one area (feature).") % {"file": path}, "file.feature_count")
            data = features[0]
        if isinstance(data, dict) and data.get("type") == "Feature":
            data = data.get("geometry")
        return data

    # --- output -------------------------------------------------------------------------------------------------------
    def _json(self, data: Any) -> None:
        self.stdout.write(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False))

    def _say(self, message: str) -> None:
        """A confirmation for people (stderr), so stdout stays what scripts capture."""
        self.stderr.write(message, style_func=self.style.SUCCESS)

    # --- actions ------------------------------------------------------------------------------------------------------
    def do_list(self, options: dict[str, Any]) -> None:
        communities = selectors.communities_public_list(
            municipality=options["municipality"], kind=options["kind"], phase=options["phase"]
        )
        for c in communities:
            if options["json"]:
                self._json(
                    {
                        "slug": c.slug,
                        "code": c.code,
                        "name": c.name,
                        "kind": c.kind,
                        "municipality": c.municipality.code,
                        "phase": c.phase,
                        "member_count": c.member_count,
                    }
                )
            else:
                self.stdout.write("\t".join([c.slug, c.name, c.kind, str(c.phase), str(c.member_count)]))

    def do_show(self, options: dict[str, Any]) -> None:
        user = self._actor(options["as_user"])
        community = self._community(user, options["slug"], Need.VIEW_PUBLIC)
        data = self._community_data(user, community)
        if options["json"]:
            self._json(data)
            return
        lines = [
            (_("name"), data["name"]),
            (_("short name"), data["slug"]),
            (_("public code"), str(data["code"])),
            (_("type"), data["kind_label"]),
            (_("municipality"), f"{data['municipality']['name']} ({data['municipality']['code']})"),
            (_("neighbourhoods"), ", ".join(f"{b['name']} ({b['code']})" for b in data["buurten"]) or "-"),
            (_("phase"), data["phase_label"]),
            (_("coordinator approves new members"), _("yes") if data["approval_required"] else _("no")),
            (_("members"), str(data["member_count"])),
            (_("house rules"), f"v{data['house_rules']['version']}" if data["house_rules"] else "-"),
        ]
        if data.get("membership"):
            m = data["membership"]
            role, status = Role(m["role"]).label, MembershipStatus(m["status"]).label
            lines.append((_("your membership"), f"{role} ({status})"))
        if "partners" in data:
            lines.append((_("partners"), ", ".join(p["name"] for p in data["partners"]) or "-"))
        if "coordinators" in data:
            lines.append((_("coordinators"), ", ".join(data["coordinators"]) or "-"))
        for label, value in lines:
            self.stdout.write(f"{label}: {value}")
        if data["description"]:
            self.stdout.write("")
            self.stdout.write(data["description"])
        if "members" in data:
            self.stdout.write("")
            for m in data["members"]:
                self.stdout.write("\t".join([str(m["code"]), m["first_name"], m["role"]]))

    def _community_data(self, user: Any, community: Community) -> dict[str, Any]:
        """What `user` may see of the community: the public part for everyone, more for members and partners (the
        same split as the web page and GET /api/v1/communities/{code})."""
        standing = access.standing_of(user, community)
        view = standing.view
        rules = selectors.community_rules(community)
        data: dict[str, Any] = {
            "code": community.code,
            "slug": community.slug,
            "name": community.name,
            "kind": community.kind,
            "kind_label": str(community.get_kind_display()),
            "municipality": {"code": community.municipality.code, "name": community.municipality.name},
            "phase": community.phase,
            "phase_label": str(community.get_phase_display()),
            "member_count": selectors.community_member_count(community),
            "view": view,
            "description": community.description,
            "approval_required": community.approval_required,
            "buurten": [{"code": b.code, "name": b.name} for b in selectors.community_buurten(community)],
            "geometry": community.geometry,
            "house_rules": {"version": rules.version, "text": rules.text, "published_at": rules.created_at}
            if rules
            else None,
        }
        membership = standing.membership
        if membership is not None and membership.status in (MembershipStatus.ACTIVE, MembershipStatus.PENDING):
            data["membership"] = {
                "code": membership.code,
                "role": membership.role,
                "status": membership.status,
                "rules_version_accepted": membership.rules_version_accepted,
            }
        if view in ("member", "partner"):
            data["partners"] = [{"name": o.name, "kind": o.kind} for o in selectors.community_partners(community)]
            data["phase_history"] = [
                {
                    "from_phase": c.from_phase,
                    "to_phase": c.to_phase,
                    "reason": c.reason,
                    "changed_by": c.changed_by.first_name if c.changed_by else None,
                    "changed_at": c.created_at,
                }
                for c in selectors.community_phase_history(community)
            ]
        if view == "member":
            data["members"] = [
                {"code": m.code, "first_name": m.first_name, "role": m.role, "status": m.status}
                for m in selectors.community_members(community=community, viewer=user)
            ]
        elif view == "partner":
            data["coordinators"] = selectors.community_coordinators(community)
        return data

    def do_create(self, options: dict[str, Any]) -> None:
        user = self._actor(options["as_user"])
        given = options["municipality"].strip()
        try:
            municipality = area_selectors.area_by_code(given)
        except NotFound:
            municipality = None
        if municipality is None or municipality.kind != AreaKind.MUNICIPALITY:
            raise _fail(_("No municipality with code %(code)r.") % {"code": given}, "community.unknown_municipality")
        buurten: list[Any] = []
        geometry = None
        if options["geojson"]:
            geometry = self._read_geometry(options["geojson"])
        else:
            codes = list(dict.fromkeys(c.strip() for c in options["buurt"]))
            buurten = list(area_selectors.areas_list(kind=AreaKind.BUURT).filter(code__in=codes))
            if len(buurten) != len(codes):
                missing = sorted(set(codes) - {b.code for b in buurten})
                message = _("Unknown neighbourhood codes: %(codes)s.") % {"codes": ", ".join(missing)}
                raise Invalid(message, code="community.unknown_buurt", fields={"buurten": [message]})
        house_rules = self._read_text(options["house_rules"]) if options["house_rules"] else None
        community = services.community_start(
            by=user,
            name=options["name"],
            kind=options["kind"],
            buurten=buurten,
            geometry=geometry,
            description=options["description"],
            approval_required=not options["no_approval"],
            house_rules=house_rules,
        )
        if community.municipality_id != municipality.pk:
            # Raised inside the command's transaction: the community is not kept.
            message = _("The area lies in %(found)s (%(found_code)s), not in %(given)s.") % {
                "found": community.municipality.name,
                "found_code": community.municipality.code,
                "given": municipality.code,
            }
            raise Invalid(message, code="community.municipality_mismatch", fields={"municipality": [message]})
        self.stdout.write(community.slug)
        self._say(
            _("Community %(name)s started; %(person)s is its coordinator.")
            % {"name": community.name, "person": user.first_name or user.username}
        )

    def do_phase(self, options: dict[str, Any]) -> None:
        user = self._actor(options["as_user"])
        community = self._community(user, options["slug"], Need.CHANGE_PHASE)
        change = services.community_change_phase(
            community=community, to_phase=options["to_phase"], by=user, reason=options["reason"]
        )
        self.stdout.write(f"{change.from_phase} -> {change.to_phase}")
        self._say(
            _("%(name)s is now in phase %(phase)s.") % {"name": community.name, "phase": Phase(change.to_phase).label}
        )

    def do_rules(self, options: dict[str, Any]) -> None:
        if options["publish"]:
            if not options["as_user"]:
                raise CommandError(_("Say who publishes the house rules: --as USER.") + " [user.required]")
            user = self._actor(options["as_user"])
            community = self._community(user, options["slug"], Need.EDIT_RULES)
            rules = services.house_rules_publish(community=community, text=self._read_text(options["publish"]), by=user)
            self.stdout.write(str(rules.version))
            self._say(
                _("Version %(version)d of the house rules of %(name)s is published.")
                % {"version": rules.version, "name": community.name}
            )
            return
        user = self._actor(options["as_user"])
        community = self._community(user, options["slug"], Need.VIEW_PUBLIC)
        rules = selectors.community_rules(community)
        if rules is None:
            self._say(_("%(name)s has no house rules yet.") % {"name": community.name})
            return
        self.stdout.write(f"v{rules.version}\t{rules.created_at.isoformat(timespec='seconds')}")
        self.stdout.write("")
        self.stdout.write(rules.text)

    def do_invite(self, options: dict[str, Any]) -> None:
        user = self._actor(options["as_user"])
        community = self._community(user, options["slug"], Need.INVITE)
        extra: dict[str, Any] = {}
        if options["days"] is not None:
            extra["days"] = options["days"]
        invite = services.invite_create(
            community=community,
            by=user,
            note=options["note"],
            max_uses=options["max_uses"],
            requires_approval=False if options["no_approval"] else None,
            **extra,
        )
        self.stdout.write(f"path\t{reverse('communities:join', args=[invite.token])}")
        self.stdout.write(f"token\t{invite.token}")
        self.stdout.write(f"code\t{invite.code}")
        self.stdout.write(f"expires\t{invite.expires_at.isoformat(timespec='seconds')}")

    def do_invite_revoke(self, options: dict[str, Any]) -> None:
        user = self._actor(options["as_user"])
        invite = self._invite(user, options["slug"], options["invite"])
        already = invite.revoked_at is not None
        services.invite_revoke(invite=invite, by=user)
        self._say(_("The invite was already withdrawn.") if already else _("The invite is withdrawn."))

    def do_members(self, options: dict[str, Any]) -> None:
        user = self._actor(options["as_user"])
        status = options["status"]
        need = Need.VIEW_MEMBERS if status == MembershipStatus.ACTIVE else Need.MANAGE_MEMBERS
        community = self._community(user, options["slug"], need)
        for m in selectors.community_members(community=community, viewer=user, status=status):
            if options["json"]:
                self._json(
                    {
                        "code": m.code,
                        "first_name": m.first_name,
                        "role": m.role,
                        "status": m.status,
                        "joined_at": m.joined_at,
                    }
                )
            else:
                self.stdout.write(
                    "\t".join([str(m.code), m.first_name, m.role, m.status, m.joined_at.isoformat(timespec="seconds")])
                )

    def do_approve(self, options: dict[str, Any]) -> None:
        user = self._actor(options["as_user"])
        membership = self._membership(user, options["slug"], options["member"], Need.MANAGE_MEMBERS)
        membership = services.membership_approve(membership=membership, by=user)
        self._say(_("%(person)s is now a member.") % {"person": membership.user.first_name})

    def do_reject(self, options: dict[str, Any]) -> None:
        user = self._actor(options["as_user"])
        membership = self._membership(user, options["slug"], options["member"], Need.MANAGE_MEMBERS)
        membership = services.membership_reject(membership=membership, by=user, reason=options["reason"])
        self._say(_("%(person)s is not admitted.") % {"person": membership.user.first_name})

    def do_remove(self, options: dict[str, Any]) -> None:
        user = self._actor(options["as_user"])
        membership = self._membership(user, options["slug"], options["member"], Need.MANAGE_MEMBERS)
        membership = services.membership_remove(membership=membership, by=user, reason=options["reason"])
        self._say(_("%(person)s has been removed from the community.") % {"person": membership.user.first_name})

    def do_role(self, options: dict[str, Any]) -> None:
        user = self._actor(options["as_user"])
        membership = self._membership(user, options["slug"], options["member"], Need.MANAGE_MEMBERS)
        membership = services.membership_set_role(membership=membership, role=options["role"], by=user)
        self._say(
            _("%(person)s is now %(role)s.")
            % {"person": membership.user.first_name, "role": Role(membership.role).label}
        )
