"""Partner webhook pages: an overview of every organisation's webhook and one organisation's webhook, where platform
admins set the address, see and rotate the secret, switch it off or on, and remove it; the organisation's own staff
see the same page read-only, without the secret. Both show the delivery history: per message its state, attempts,
last error and when it was sent."""

from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from samenveilig.accounts.models import Organisation
from samenveilig.communities.views import gated
from samenveilig.core.errors import Invalid
from samenveilig.integrations.webhook import access, selectors, services
from samenveilig.notifications import kinds


class WebhookForm(forms.Form):
    url = forms.CharField(
        label=gettext_lazy("Address of the organisation's system"),
        max_length=500,
        help_text=gettext_lazy("A public https address, for example https://meldingen.example.nl/samenveilig."),
        widget=forms.URLInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


def _history(organisation: Organisation) -> list[dict[str, Any]]:
    rows = []
    for delivery in selectors.webhook_deliveries(organisation):
        notification = delivery.notification
        rows.append(
            {
                "delivery": delivery,
                "key": f"samenveilig-{notification.pk}-{delivery.channel}",
                "title": kinds.render(notification.kind, notification.message_data).title,
                "kind": notification.kind,
            }
        )
    return rows


def _page(request: HttpRequest, organisation: Organisation, form: WebhookForm | None = None) -> HttpResponse:
    endpoint = selectors.endpoint_of(organisation)
    manage = access.is_platform_admin(request.user)
    if form is None and manage:
        form = WebhookForm(initial={"url": endpoint.url if endpoint else ""})
    context = {
        "organisation": organisation,
        "endpoint": endpoint,
        "manage": manage,
        "form": form,
        "history": _history(organisation),
    }
    return render(request, "webhook/endpoint.html", context, status=422 if form is not None and form.errors else 200)


@login_required
@gated
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """For platform admins: every partner organisation and the state of its webhook."""
    access.access_webhook_overview(request.user)
    return render(request, "webhook/overview.html", {"organisations": selectors.endpoints_overview()})


@login_required
@gated
def endpoint(request: HttpRequest, code: UUID) -> HttpResponse:
    """One organisation's webhook; a POST (admins) sets or replaces its address."""
    if request.method != "POST":
        return _page(request, access.access_webhook_organisation(request.user, code))
    organisation = access.access_webhook_organisation(request.user, code, manage=True)
    form = WebhookForm(request.POST)
    if form.is_valid():
        current = selectors.endpoint_of(organisation)
        try:
            services.webhook_set(
                organisation=organisation,
                url=form.cleaned_data["url"],
                active=current.active if current else True,
                by=request.user,
            )
        except Invalid as exc:
            for message in exc.fields.get("url", [exc.message]):
                form.add_error("url", str(message))
        else:
            messages.success(request, _("The address of the webhook has been saved."))
            return redirect("webhook:endpoint", code=organisation.code)
    return _page(request, organisation, form)


@login_required
@gated
@require_POST
def rotate(request: HttpRequest, code: UUID) -> HttpResponse:
    organisation = access.access_webhook_organisation(request.user, code, manage=True)
    services.webhook_rotate_secret(organisation=organisation, by=request.user)
    messages.success(request, _("The webhook has a new secret. Give it to the organisation for its system."))
    return redirect("webhook:endpoint", code=organisation.code)


@login_required
@gated
@require_POST
def switch(request: HttpRequest, code: UUID) -> HttpResponse:
    organisation = access.access_webhook_organisation(request.user, code, manage=True)
    active = request.POST.get("active") == "1"
    services.webhook_switch(organisation=organisation, active=active, by=request.user)
    if active:
        messages.success(request, _("The webhook is switched on."))
    else:
        messages.success(request, _("The webhook is switched off: the organisation's system gets no messages."))
    return redirect("webhook:endpoint", code=organisation.code)


@login_required
@gated
@require_POST
def remove(request: HttpRequest, code: UUID) -> HttpResponse:
    organisation = access.access_webhook_organisation(request.user, code, manage=True)
    if services.webhook_remove(organisation=organisation, by=request.user):
        messages.success(request, _("The webhook has been removed."))
    return redirect("webhook:endpoint", code=organisation.code)
