from django.urls import path

from samenveilig.accounts import views

app_name = "accounts"
urlpatterns = [
    path("profiel/", views.profile, name="profile"),
    path("profiel/woonadres/", views.residence_save, name="residence"),
    path("profiel/woonadres/verwijderen/", views.residence_delete, name="residence_delete"),
    path("organisaties/<uuid:code>/", views.organisation, name="organisation"),
    path("demo/inloggen/", views.demo_login, name="demo_login"),
]
