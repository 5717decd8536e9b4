from django.urls import path

from samenveilig.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.inbox, name="list"),
    path("<int:pk>/gelezen/", views.read, name="read"),
    path("alles-gelezen/", views.read_all, name="read_all"),
    path("instellingen/", views.delivery_settings, name="settings"),
    path("bezorging/", views.operations, name="operations"),
    path("teller/", views.badge, name="badge"),
]
