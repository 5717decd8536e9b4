from django.urls import path

from samenveilig.communities import views

app_name = "communities"
urlpatterns = [
    path("", views.community_list, name="list"),
    path("nieuw/", views.community_create, name="create"),
    path("uitnodiging/<str:token>/", views.invite_join, name="join"),
    path("uitnodiging/<str:token>/qr.svg", views.invite_qr, name="invite_qr"),
    path("<slug:slug>/", views.community_detail, name="detail"),
    path("<slug:slug>/leden/", views.community_members, name="members"),
    path("<slug:slug>/aanmeldingen/", views.community_pending, name="pending"),
    path("<slug:slug>/leden/<uuid:member_code>/goedkeuren/", views.member_approve, name="member_approve"),
    path("<slug:slug>/leden/<uuid:member_code>/afwijzen/", views.member_reject, name="member_reject"),
    path("<slug:slug>/leden/<uuid:member_code>/rol/", views.member_role, name="member_role"),
    path("<slug:slug>/leden/<uuid:member_code>/verwijderen/", views.member_remove, name="member_remove"),
    path("<slug:slug>/verlaten/", views.community_leave, name="leave"),
    path("<slug:slug>/uitnodigingen/", views.community_invites, name="invites"),
    path("<slug:slug>/uitnodigingen/<uuid:invite_code>/intrekken/", views.invite_revoke, name="invite_revoke"),
    path("<slug:slug>/spelregels/", views.community_rules, name="rules"),
    path("<slug:slug>/spelregels/accepteren/", views.rules_accept, name="rules_accept"),
    path("<slug:slug>/fase/", views.community_phase, name="phase"),
]
