"""The community pages: thin views that pass a gate (access.py), call a service, and render or redirect.

Bad input re-renders the form with status 422 and the messages; a gate's NotFound is a 404 page, its Forbidden
(the person sees the community but may not do this) a 403 page."""

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samenveilig.communities import access, selectors, services
from samenveilig.communities.forms import (
    CommunityCreateForm,
    InviteForm,
    JoinForm,
    ListFilterForm,
    PhaseForm,
    RejectForm,
    RemoveForm,
    RoleForm,
    RulesAcceptForm,
    RulesPublishForm,
)
from samenveilig.communities.models import PHASE_MEANINGS, Community, Phase
from samenveilig.core.errors import DomainError, Forbidden, Invalid, NotFound
from samenveilig.core.permissions import Need, Role


def gated(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Turn a gate's NotFound into a 404 page and its Forbidden into a 403 page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(str(exc.message)) from exc
        except Forbidden as exc:
            raise PermissionDenied(str(exc.message)) from exc

    return wrapper


def _add_errors(form: Any, exc: DomainError, *, rename: dict[str, str] | None = None) -> None:
    """Put a service's error messages on the form: per field where the form has that field, otherwise on top."""
    placed = False
    for name, msgs in exc.fields.items():
        name = (rename or {}).get(name, name)
        if name in form.fields:
            for message in msgs if isinstance(msgs, list | tuple) else [msgs]:
                form.add_error(name, str(message))
            placed = True
    if not placed:
        form.add_error(None, str(exc.message))


def _geojson(community: Community) -> str:
    feature = {"type": "Feature", "geometry": community.geometry, "properties": {"name": community.name}}
    return json.dumps({"type": "FeatureCollection", "features": [feature]}, separators=(",", ":"))


def _context(request: HttpRequest, community: Community, **extra: Any) -> dict[str, Any]:
    standing = access.standing_of(request.user, community)
    return {
        "community": community,
        "standing": standing,
        "view": standing.view,
        "membership": standing.membership,
        "can": {need.value: standing.grants(need) for need in Need},
        "phase_meaning": PHASE_MEANINGS.get(community.phase, ""),
        **extra,
    }


# --- List and create --------------------------------------------------------------------------------------------------
@require_GET
def community_list(request: HttpRequest) -> HttpResponse:
    form = ListFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    status = 200
    if request.GET:
        if form.is_valid():
            data = form.cleaned_data
            filters = {
                "municipality": data["municipality"] or None,
                "kind": data["kind"] or None,
                "phase": data["phase"],
                "search": data["q"] or None,
            }
        else:
            status = 422
    communities = list(selectors.communities_public_list(**filters)) if status == 200 else []
    mine_ids = selectors.community_ids_for_user(request.user)
    mine = [c for c in communities if c.pk in mine_ids]
    others = [c for c in communities if c.pk not in mine_ids]
    context = {"form": form, "mine": mine, "others": others, "filtered": bool(filters), "count": len(communities)}
    return render(request, "communities/list.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def community_create(request: HttpRequest) -> HttpResponse:
    form = CommunityCreateForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                community = services.community_start(
                    by=request.user,
                    name=data["name"],
                    kind=data["kind"],
                    buurten=list(data["buurten"]),
                    geometry=data["geometry"],
                    description=data["description"],
                    approval_required=data["approval_required"],
                )
            except Invalid as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("The community has been started. You are its coordinator."))
                return redirect("communities:detail", slug=community.slug)
        return render(request, "communities/create.html", {"form": form}, status=422)
    return render(request, "communities/create.html", {"form": form})


# --- The community's own pages ----------------------------------------------------------------------------------------
@require_GET
@gated
def community_detail(request: HttpRequest, slug: str) -> HttpResponse:
    community = access.access_community(request.user, slug, need=Need.VIEW_PUBLIC)
    standing = access.standing_of(request.user, community)
    view = standing.view
    extra: dict[str, Any] = {
        "rules": selectors.community_rules(community),
        "buurten": selectors.community_buurten(community),
        "member_count": selectors.community_member_count(community),
        "geojson_json": _geojson(community),
        "phases": [(value, label, PHASE_MEANINGS[value]) for value, label in Phase.choices],
    }
    if view == "member":
        extra["members"] = selectors.community_members(community=community, viewer=request.user)
        extra["partners"] = selectors.community_partners(community)
        extra["history"] = selectors.community_phase_history(community)[:5]
    elif view == "partner":
        extra["coordinators"] = selectors.community_coordinators(community)
        extra["partners"] = selectors.community_partners(community)
        extra["history"] = selectors.community_phase_history(community)[:5]
    return render(request, "communities/detail.html", _context(request, community, **extra))


@login_required
@require_GET
@gated
def community_members(request: HttpRequest, slug: str) -> HttpResponse:
    community = access.access_community(request.user, slug, need=Need.VIEW_MEMBERS)
    members = selectors.community_members(community=community, viewer=request.user)
    context = _context(request, community, members=members, role_form=RoleForm())
    standing = context["standing"]
    if standing.grants(Need.MANAGE_MEMBERS):
        context["pending_count"] = len(
            selectors.community_members(community=community, viewer=request.user, status="pending")
        )
    return render(request, "communities/members.html", context)


@login_required
@require_GET
@gated
def community_pending(request: HttpRequest, slug: str) -> HttpResponse:
    community = access.access_community(request.user, slug, need=Need.MANAGE_MEMBERS)
    pending = selectors.community_members(community=community, viewer=request.user, status="pending")
    return render(request, "communities/pending.html", _context(request, community, pending=pending))


@login_required
@require_POST
@gated
def member_approve(request: HttpRequest, slug: str, member_code: str) -> HttpResponse:
    membership = access.access_membership(request.user, slug, member_code, need=Need.MANAGE_MEMBERS)
    try:
        services.membership_approve(membership=membership, by=request.user)
        messages.success(request, _("%(name)s is now a member.") % {"name": membership.user.display_name})
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("communities:pending", slug=membership.community.slug)


@login_required
@require_POST
@gated
def member_reject(request: HttpRequest, slug: str, member_code: str) -> HttpResponse:
    membership = access.access_membership(request.user, slug, member_code, need=Need.MANAGE_MEMBERS)
    form = RejectForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.membership_reject(membership=membership, by=request.user, reason=reason)
        messages.success(request, _("The request to join has been declined."))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("communities:pending", slug=membership.community.slug)


@login_required
@require_POST
@gated
def member_role(request: HttpRequest, slug: str, member_code: str) -> HttpResponse:
    membership = access.access_membership(request.user, slug, member_code, need=Need.MANAGE_MEMBERS)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the roles."))
        return redirect("communities:members", slug=membership.community.slug)
    try:
        services.membership_set_role(membership=membership, role=form.cleaned_data["role"], by=request.user)
        messages.success(
            request,
            _("%(name)s now has the role %(role)s.")
            % {"name": membership.user.display_name, "role": Role(form.cleaned_data["role"]).label},
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("communities:members", slug=membership.community.slug)


@login_required
@require_http_methods(["GET", "POST"])
@gated
def member_remove(request: HttpRequest, slug: str, member_code: str) -> HttpResponse:
    membership = access.access_membership(request.user, slug, member_code, need=Need.MANAGE_MEMBERS)
    community = membership.community
    form = RemoveForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.membership_remove(membership=membership, by=request.user, reason=form.cleaned_data["reason"])
            except DomainError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("%(name)s has been removed.") % {"name": membership.user.display_name})
                return redirect("communities:members", slug=community.slug)
        context = _context(request, community, member=membership, form=form)
        return render(request, "communities/remove.html", context, status=422)
    return render(request, "communities/remove.html", _context(request, community, member=membership, form=form))


@login_required
@require_POST
@gated
def community_leave(request: HttpRequest, slug: str) -> HttpResponse:
    membership = access.access_own_membership(request.user, slug)
    try:
        services.membership_leave(membership=membership)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("communities:detail", slug=membership.community.slug)
    messages.success(request, _("You have left the community."))
    return redirect("communities:list")


# --- Invites ----------------------------------------------------------------------------------------------------------
def _invite_rows(request: HttpRequest, community: Community) -> list[dict[str, Any]]:
    rows = []
    for invite in selectors.community_invites(community):
        state = services.invite_state(invite)
        rows.append(
            {
                "invite": invite,
                "state": state,
                "url": request.build_absolute_uri(reverse("communities:join", args=[invite.token])),
            }
        )
    return rows


@login_required
@require_http_methods(["GET", "POST"])
@gated
def community_invites(request: HttpRequest, slug: str) -> HttpResponse:
    community = access.access_community(request.user, slug, need=Need.INVITE)
    form = InviteForm(request.POST or None, initial={"requires_approval": community.approval_required})
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.invite_create(
                    community=community,
                    by=request.user,
                    note=data["note"],
                    days=data["days"],
                    max_uses=data["max_uses"],
                    requires_approval=data["requires_approval"],
                )
            except DomainError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("The invite has been created."))
                return redirect("communities:invites", slug=community.slug)
        context = _context(request, community, form=form, invites=_invite_rows(request, community))
        return render(request, "communities/invites.html", context, status=422)
    context = _context(request, community, form=form, invites=_invite_rows(request, community))
    return render(request, "communities/invites.html", context)


@login_required
@require_POST
@gated
def invite_revoke(request: HttpRequest, slug: str, invite_code: str) -> HttpResponse:
    invite = access.access_invite(request.user, slug, invite_code)
    services.invite_revoke(invite=invite, by=request.user)
    messages.success(request, _("The invite has been withdrawn."))
    return redirect("communities:invites", slug=invite.community.slug)


@require_GET
@gated
def invite_qr(request: HttpRequest, token: str) -> HttpResponse:
    """The QR code of an invite link, as SVG. Whoever holds the link may have its QR code; a withdrawn or expired
    invite has none."""
    invite = access.invite_by_token(token)
    if services.invite_state(invite) != "usable":
        raise NotFound()
    url = request.build_absolute_uri(reverse("communities:join", args=[invite.token]))
    svg = segno.make(url, error="m").svg_inline(scale=4, border=2, dark="#000", light="#fff", omitsize=False)
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Content-Disposition"] = 'inline; filename="uitnodiging.svg"'
    return response


@require_http_methods(["GET", "POST"])
@gated
def invite_join(request: HttpRequest, token: str) -> HttpResponse:
    """The page behind an invite link: the community's public information, its house rules, and the join form."""
    invite = access.invite_by_token(token)
    community = invite.community
    rules = selectors.community_rules(community)
    state = services.invite_state(invite)
    form = JoinForm(request.POST or None, initial={"rules_version": rules.version if rules else None})
    context = _context(
        request,
        community,
        invite=invite,
        state=state,
        rules=rules,
        form=form,
        geojson_json=_geojson(community),
        join_url=reverse("communities:join", args=[invite.token]),
    )
    if request.method == "GET":
        return render(request, "communities/join.html", context)
    if not request.user.is_authenticated:
        return redirect_to_login(context["join_url"])
    if form.is_valid():
        try:
            membership = services.membership_join(
                invite=invite, user=request.user, accept_rules_version=form.cleaned_data["rules_version"]
            )
        except DomainError as exc:
            _add_errors(form, exc, rename={"accept_rules_version": "accept_rules"})
        else:
            if membership.status == "active":
                messages.success(request, _("Welcome! You are now a member of %(name)s.") % {"name": community.name})
            else:
                messages.success(request, _("Thank you! A coordinator will look at your request to join."))
            return redirect("communities:detail", slug=community.slug)
    return render(request, "communities/join.html", context, status=422)


# --- House rules ------------------------------------------------------------------------------------------------------
def _rules_context(request: HttpRequest, community: Community, **extra: Any) -> dict[str, Any]:
    rules = selectors.community_rules(community)
    return _context(
        request,
        community,
        rules=rules,
        versions=selectors.community_rule_versions(community),
        accept_form=RulesAcceptForm(initial={"version": rules.version if rules else None}),
        **extra,
    )


@require_http_methods(["GET", "POST"])
@gated
def community_rules(request: HttpRequest, slug: str) -> HttpResponse:
    if request.method == "POST" and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    need = Need.EDIT_RULES if request.method == "POST" else Need.VIEW_PUBLIC
    community = access.access_community(request.user, slug, need=need)
    form = RulesPublishForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                rules = services.house_rules_publish(
                    community=community, text=form.cleaned_data["text"], by=request.user
                )
            except DomainError as exc:
                _add_errors(form, exc)
            else:
                messages.success(
                    request, _("Version %(version)d of the house rules is published.") % {"version": rules.version}
                )
                return redirect("communities:rules", slug=community.slug)
        return render(request, "communities/rules.html", _rules_context(request, community, form=form), status=422)
    return render(request, "communities/rules.html", _rules_context(request, community, form=form))


@login_required
@require_POST
@gated
def rules_accept(request: HttpRequest, slug: str) -> HttpResponse:
    membership = access.access_own_membership(request.user, slug)
    community = membership.community
    form = RulesAcceptForm(request.POST)
    if form.is_valid():
        try:
            services.house_rules_accept(membership=membership, version=form.cleaned_data["version"])
        except DomainError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Thank you for accepting the house rules."))
            return redirect("communities:detail", slug=community.slug)
    context = _rules_context(request, community, form=RulesPublishForm())
    context["accept_form"] = form
    return render(request, "communities/rules.html", context, status=422)


# --- Phase ------------------------------------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
@gated
def community_phase(request: HttpRequest, slug: str) -> HttpResponse:
    need = Need.CHANGE_PHASE if request.method == "POST" else Need.VIEW
    community = access.access_community(request.user, slug, need=need)
    form = PhaseForm(request.POST or None, initial={"phase": min(community.phase + 1, Phase.CYCLE)})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.community_change_phase(
                    community=community,
                    to_phase=form.cleaned_data["phase"],
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                )
            except DomainError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("The community is now in phase %(phase)d.") % {"phase": community.phase})
                return redirect("communities:phase", slug=community.slug)
        status = 422
    context = _context(
        request,
        community,
        form=form,
        history=selectors.community_phase_history(community),
        phases=[(value, label, PHASE_MEANINGS[value]) for value, label in Phase.choices],
    )
    return render(request, "communities/phase.html", context, status=status)
