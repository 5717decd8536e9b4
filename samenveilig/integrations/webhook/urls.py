from django.urls import path

from samenveilig.integrations.webhook import views

app_name = "webhook"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("<uuid:code>/", views.endpoint, name="endpoint"),
    path("<uuid:code>/nieuw-geheim/", views.rotate, name="rotate"),
    path("<uuid:code>/aan-uit/", views.switch, name="switch"),
    path("<uuid:code>/verwijderen/", views.remove, name="remove"),
]
