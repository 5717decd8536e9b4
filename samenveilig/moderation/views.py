"""Conduct pages: a coordinator's steps with one member, a member's own steps with the appeal form, and the appeals
someone may decide. Thin: the rules are in moderation.services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from samenveilig.communities import access
from samenveilig.communities.views import _context, gated
from samenveilig.core.errors import DomainError
from samenveilig.core.permissions import Need
from samenveilig.moderation import prompts, selectors, services
from samenveilig.moderation.models import Appeal, ConductStep, StepKind


def _number(value: str | None) -> int:
    """A posted id, or 0 (which matches nothing) when it is not a number."""
    return int(value) if value and value.isdigit() else 0


@login_required
@gated
def member_conduct(request: HttpRequest, slug: str, member_code: str) -> HttpResponse:
    membership = access.access_membership(request.user, slug, member_code, need=Need.MODERATE)
    if request.method == "POST":
        try:
            services.conduct_step_take(
                membership=membership,
                by=request.user,
                kind=request.POST.get("kind", ""),
                message=request.POST.get("message", ""),
            )
            messages.success(
                request, _("The step has been taken; %(name)s has been told.") % {"name": membership.user.first_name}
            )
        except DomainError as exc:
            messages.error(request, str(exc.message))
        return redirect("moderation:member_conduct", slug=slug, member_code=member_code)
    steps = selectors.steps_with(membership=membership, viewer=request.user)
    suggested = services.next_step(membership)
    context = _context(
        request,
        membership.community,
        member=membership,
        steps=steps,
        kinds=StepKind.choices,
        suggested=suggested,
        suggested_text=prompts.step_template(suggested, membership.user.first_name),
    )
    return render(request, "moderation/member_conduct.html", context)


@login_required
@gated
def my_conduct(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        step = get_object_or_404(ConductStep, pk=_number(request.POST.get("step")))
        try:
            services.appeal_file(step=step, by=request.user, text=request.POST.get("text", ""))
            messages.success(request, _("Your appeal has been sent. Someone other than who took the step decides."))
        except DomainError as exc:
            messages.error(request, str(exc.message))
        return redirect("moderation:my_conduct")
    return render(request, "moderation/my_conduct.html", {"steps": selectors.my_steps(user=request.user)})


@login_required
@gated
def appeals(request: HttpRequest, slug: str) -> HttpResponse:
    community = access.access_community(request.user, slug, need=Need.VIEW)
    if request.method == "POST":
        appeal = get_object_or_404(
            Appeal, pk=_number(request.POST.get("appeal")), step__membership__community=community
        )
        try:
            services.appeal_decide(
                appeal=appeal,
                by=request.user,
                outcome=request.POST.get("outcome", ""),
                decision=request.POST.get("decision", ""),
            )
            messages.success(request, _("The appeal has been decided; the member has been told."))
        except DomainError as exc:
            messages.error(request, str(exc.message))
        return redirect("moderation:appeals", slug=slug)
    open_appeals = selectors.open_appeals(community=community, viewer=request.user)
    return render(request, "moderation/appeals.html", _context(request, community, appeals=open_appeals))


@login_required
@gated
def moderation_settings(request: HttpRequest, slug: str) -> HttpResponse:
    """A coordinator sets the off-topic check (a social group may switch it off) and the warnings before removal."""
    community = access.access_community(request.user, slug, need=Need.MODERATE)
    if request.method == "POST":
        warnings = request.POST.get("warnings_before_removal", "")
        try:
            services.settings_set(
                community=community,
                by=request.user,
                check_irrelevant=request.POST.get("check_irrelevant") == "on",
                warnings=int(warnings) if warnings.isdigit() else -1,
            )
            messages.success(request, _("The moderation settings have been saved."))
            return redirect("moderation:settings", slug=slug)
        except DomainError as exc:
            current = selectors.settings_of(community=community, viewer=request.user)
            context = _context(request, community, current=current, error=str(exc.message))
            return render(request, "moderation/settings.html", context, status=422)
    current = selectors.settings_of(community=community, viewer=request.user)
    return render(request, "moderation/settings.html", _context(request, community, current=current))
