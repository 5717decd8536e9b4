"""The municipality's overview of signals from the conversations, at the top level (/signalen/)."""

from django.urls import path

from samenveilig.conversation import views

app_name = "overview"
urlpatterns = [
    path("signalen/", views.signals, name="signals"),
]
