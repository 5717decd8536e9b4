"""The in-app inbox ("Berichten"): the person's notifications, newest first, unread marked; mark one or all read;
and how the person wants to hear (channels per kind of message, quiet hours)."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from samenveilig.communities.views import gated
from samenveilig.core.audit import audit_record
from samenveilig.core.errors import DomainError
from samenveilig.integrations.push import selectors as push_selectors
from samenveilig.notifications import delivery as notification_delivery
from samenveilig.notifications import selectors, services
from samenveilig.notifications.models import PERSONAL_CHANNELS, Channel, DeliveryState, DigestPeriod

CATEGORY_LABELS = {
    "report": gettext_lazy("Reports: routed to you, their status and feedback"),
    "conversation": gettext_lazy("The conversation: the queue, your posts, shared reports"),
    "conduct": gettext_lazy("Conduct: requests, warnings and appeals"),
    "alert": gettext_lazy("Alerts: the police or your coordinators ask for help nearby (urgent ones at once)"),
    "digest": gettext_lazy("Your digest: updates that can wait, bundled weekly or monthly"),
}


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.notifications_for(viewer=request.user), 30).get_page(request.GET.get("pagina"))
    items = [selectors.notification_view(n) for n in page.object_list]
    return render(
        request,
        "notifications/list.html",
        {"page": page, "items": items, "unread": selectors.unread_count(request.user)},
    )


@login_required
def badge(request: HttpRequest) -> HttpResponse:
    """The navigation's link to the messages with the unread count, for the live channel to refresh."""
    return render(request, "notifications/_nav_link.html")


@login_required
@require_POST
def read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read; with `open`, go on to what it is about (a link within this site only)."""
    notification = selectors.notifications_for(viewer=request.user).filter(pk=pk).first()
    if notification is None:
        raise Http404(_("This does not exist, or you have no access to it."))
    services.notifications_mark_read(user=request.user, ids=[pk])
    link = notification.message_link
    if request.POST.get("open") and link and url_has_allowed_host_and_scheme(link, allowed_hosts=None):
        return redirect(link)
    return redirect("notifications:list")


@login_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    count = services.notifications_mark_read(user=request.user)
    if count:
        messages.success(request, _("All messages are marked as read."))
    return redirect("notifications:list")


def _time(value: str | None) -> datetime.time | None:
    try:
        return datetime.time.fromisoformat(value) if value else None
    except ValueError:
        return None


@login_required
def delivery_settings(request: HttpRequest) -> HttpResponse:
    """How a person wants to hear: per kind of message e-mail and/or SMS besides the inbox, and quiet hours."""
    errors: dict[str, str] = {}
    if request.method == "POST":
        quiet_from, quiet_until = _time(request.POST.get("quiet_from")), _time(request.POST.get("quiet_until"))
        if quiet_from is None or quiet_until is None:
            errors["quiet"] = _("Give the quiet hours as times, for example 22:00 and 07:00.")
        else:
            try:
                with transaction.atomic():  # all choices or none
                    for category in services.CATEGORIES:
                        services.channels_set(
                            user=request.user, category=category, channels=request.POST.getlist(f"channels_{category}")
                        )
                    services.quiet_hours_set(user=request.user, quiet_from=quiet_from, quiet_until=quiet_until)
                    if request.POST.get("digest"):
                        services.digest_period_set(user=request.user, period=request.POST["digest"])
            except DomainError as exc:
                errors["channels"] = str(exc.message)
        if not errors:
            messages.success(request, _("Your choices have been saved."))
            return redirect("notifications:settings")
    choices = selectors.delivery_choices(request.user)
    rows = [
        {"category": c, "label": CATEGORY_LABELS[c], "chosen": choices.channels.get(c, [])} for c in services.CATEGORIES
    ]
    context = {
        "rows": rows,
        "choices": choices,
        "errors": errors,
        "channels": [(c.value, c.label) for c in PERSONAL_CHANNELS],
        "digest_periods": DigestPeriod.choices,
        "push_devices": push_selectors.subscriptions_for(viewer=request.user),
    }
    return render(request, "notifications/settings.html", context, status=422 if errors else 200)


@login_required
@gated
def operations(request: HttpRequest) -> HttpResponse:
    """For admins: deliveries per channel and state, the dead letters with their error, sending one again, and one
    person's delivery history (the read is logged)."""
    if request.method == "POST":
        dead = {d.pk: d for d in selectors.dead_letters(viewer=request.user, limit=1000)}
        chosen = dead.get(int(request.POST["delivery"]) if request.POST.get("delivery", "").isdigit() else 0)
        if chosen is None:
            messages.error(request, _("This delivery is not a dead letter (any more)."))
        else:
            notification_delivery.delivery_retry(delivery=chosen)
            transaction.on_commit(services.wake_delivery)
            messages.success(request, _("The delivery will be sent again."))
        return redirect("notifications:operations")
    counts = selectors.delivery_counts(viewer=request.user)
    rows = [
        {"channel": c, "label": Channel(c).label, "counts": [(s, counts[c][s]) for s in DeliveryState.values]}
        for c in counts
    ]
    context = {"rows": rows, "dead": selectors.dead_letters(viewer=request.user), "states": DeliveryState.choices}
    if email := request.GET.get("persoon", "").strip():
        person, history = selectors.deliveries_of_person(viewer=request.user, email=email)
        if person is not None:
            audit_record(actor=request.user, action="delivery.history_read", obj=person)
        context |= {"searched": email, "person": person, "history": history}
    if subject := request.GET.get("bericht", "").strip():
        told = selectors.deliveries_of_message(viewer=request.user, subject=subject)
        if told:
            audit_record(actor=request.user, action="delivery.message_read", obj=told[0], subject=subject)
        context |= {"subject": subject, "told": told}
    return render(request, "notifications/operations.html", context)
