"""The push service worker, and removing a device from the settings page (works without JavaScript).

The service worker is served at /push/sw.js and registered with the scope /push/, where no page lives. A push
subscription belongs to a service worker registration, not to the pages it controls: the worker only needs to wake
up for `push` and `notificationclick` (it opens the message's link with clients.openWindow, which may open any page
of the site), so it controls no page and has no fetch handler. That keeps it apart from the offline report queue's
worker (/meldingen/sw.js, scope /meldingen/), which does control its pages, and leaves the root scope free: a
worker for "/" would sit in front of every request of the site and clash with any later worker for the whole site.
"""

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from samenveilig.accounts.middleware import mfa_exempt
from samenveilig.integrations.push import selectors, services

SW_FILE = "push/sw.js"
SCOPE = "/push/"


@mfa_exempt
@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The push service worker (no personal data; the browser also fetches it to check for updates, signed in or
    not)."""
    found = finders.find(SW_FILE)
    if not found:
        from django.contrib.staticfiles.storage import staticfiles_storage

        found = staticfiles_storage.path(SW_FILE)
    response = HttpResponse(Path(found).read_bytes(), content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = SCOPE
    response["Cache-Control"] = "no-cache"
    return response


@login_required
@require_POST
def device_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Stop push messages to one of the person's devices (a lost phone, an old browser)."""
    device = selectors.subscriptions_for(viewer=request.user).filter(pk=pk).first()
    if device is None:
        raise Http404(_("This does not exist, or you have no access to it."))
    services.push_unsubscribe(person=request.user, endpoint=device.endpoint)
    messages.success(request, _("That device no longer gets push messages."))
    return redirect("notifications:settings")
