from django.urls import path

from samenveilig.integrations.push import views

app_name = "push"

urlpatterns = [
    path("sw.js", views.service_worker, name="sw"),
    path("apparaten/<int:pk>/verwijderen/", views.device_remove, name="device_remove"),
]
