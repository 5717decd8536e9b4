from django.urls import path

from samenveilig.areas import views

app_name = "areas"
urlpatterns = [
    path("", views.area_list, name="list"),
    path("punt/", views.area_lookup, name="lookup"),
    path("<str:code>/", views.area_detail, name="detail"),
]
