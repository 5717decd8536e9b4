"""Resident pages for reports under /meldingen/ (the partner pages are in inbox_urls.py, same prefix)."""

from django.urls import path

from samenveilig.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("nieuw/", views.new, name="new"),
    path("sw.js", views.service_worker, name="sw"),
    path("vragen/<uuid:code>/antwoord/", views.answer, name="answer"),
    path("terugkoppeling/<uuid:code>/beoordeling/", views.rate, name="rate"),
    path("<uuid:code>/", views.detail, name="detail"),
    path("<uuid:code>/verstuurd/", views.submitted, name="submitted"),
    path("<uuid:code>/fotos/<uuid:photo_code>/", views.photo, name="photo"),
]
