"""Alert pages under /oproepen/."""

from django.urls import path

from samenveilig.alerts import views

app_name = "alerts"

urlpatterns = [
    path("", views.alert_list, name="list"),
    path("nieuw/", views.new, name="new"),
    path("nieuw/bereik/", views.preview, name="preview"),
    path("hele-gebied/", views.opt_in, name="opt_in"),
    path("<uuid:code>/", views.detail, name="detail"),
    path("<uuid:code>/antwoord/", views.respond, name="respond"),
    path("<uuid:code>/update/", views.update, name="update"),
    path("<uuid:code>/afsluiten/", views.close, name="close"),
    path("<uuid:code>/console/", views.console_parts, name="console_parts"),
    path("<uuid:code>/fotos/<uuid:photo_code>/", views.photo, name="photo"),
]
