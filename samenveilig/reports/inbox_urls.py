"""Partner pages for reports under /meldingen/: the inbox and the handling of one report."""

from django.urls import path

from samenveilig.reports import inbox_views as views

app_name = "inbox"

urlpatterns = [
    path("inbox/", views.inbox_list, name="list"),
    path("inbox/termijnen/", views.inbox_deadlines, name="deadlines"),
    path("inbox/<uuid:code>/", views.inbox_detail, name="detail"),
    path("inbox/<uuid:code>/contact/", views.inbox_contact, name="contact"),
    path("inbox/<uuid:code>/status/", views.inbox_transition, name="transition"),
    path("inbox/<uuid:code>/terugkoppeling/", views.inbox_feedback, name="feedback"),
    path("inbox/<uuid:code>/notitie/", views.inbox_note, name="note"),
    path("inbox/<uuid:code>/vraag/", views.inbox_question, name="question"),
    path("inbox/<uuid:code>/doorsturen/", views.inbox_forward, name="forward"),
    path("inbox/<uuid:code>/heropenen/<int:request_id>/", views.inbox_reopen, name="reopen"),
    path("inbox/<uuid:code>/melder/", views.inbox_reveal, name="reveal"),
    path("routering/<uuid:code>/", views.inbox_routing, name="routing"),
    path("extern/<str:token>/", views.forward_answer, name="forward_answer"),
]
