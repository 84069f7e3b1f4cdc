from django.urls import path

from . import views

app_name = "areas"
urlpatterns = [
    path("", views.area_list, name="list"),
    path("<uuid:pk>/", views.area_detail, name="detail"),
]
