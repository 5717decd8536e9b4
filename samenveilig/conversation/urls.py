from django.urls import path

from samenveilig.conversation import views

app_name = "conversation"
urlpatterns = [
    path("<slug:slug>/gesprek/", views.stream, name="stream"),
    path("<slug:slug>/gesprek/berichten/", views.stream_fragment, name="stream_fragment"),
    path("<slug:slug>/gesprek/plaatsen/", views.create, name="create"),
    path("<slug:slug>/gesprek/wachtrij/", views.queue, name="queue"),
    path("<slug:slug>/gesprek/<uuid:code>/", views.prompt, name="prompt"),
    path("<slug:slug>/gesprek/<uuid:code>/fotos/<uuid:photo_code>/", views.photo, name="photo"),
    path("<slug:slug>/gesprek/<uuid:code>/reageren/", views.react, name="react"),
    path("<slug:slug>/gesprek/<uuid:code>/melden/", views.report, name="report"),
]
