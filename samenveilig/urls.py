from django.contrib import admin
from django.urls import include, path

from samenveilig.api import api

urlpatterns = [
    path("", include("samenveilig.core.urls")),
    path("", include("samenveilig.start.urls")),
    path("accounts/", include("samenveilig.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("gebieden/", include("samenveilig.areas.urls")),
    path("", include("samenveilig.moderation.urls")),
    path("communities/", include("samenveilig.conversation.urls")),
    path("", include("samenveilig.conversation.overview_urls")),
    path("communities/", include("samenveilig.communities.urls")),
    path("meldingen/", include("samenveilig.reports.inbox_urls")),
    path("meldingen/", include("samenveilig.reports.urls")),
    path("oproepen/", include("samenveilig.alerts.urls")),
    path("berichten/", include("samenveilig.notifications.urls")),
    path("push/", include("samenveilig.integrations.push.urls")),
    path("webhooks/", include("samenveilig.integrations.webhook.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("beheer/", admin.site.urls),
]
