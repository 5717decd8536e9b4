from django.urls import path

from samenveilig.moderation import views

app_name = "moderation"
urlpatterns = [
    path("gedrag/", views.my_conduct, name="my_conduct"),
    path("communities/<slug:slug>/leden/<uuid:member_code>/gedrag/", views.member_conduct, name="member_conduct"),
    path("communities/<slug:slug>/bezwaren/", views.appeals, name="appeals"),
    path("communities/<slug:slug>/moderatie/", views.moderation_settings, name="settings"),
]
