from django.urls import path

from samverka.core.routing import grouped_by_prefix

from .views import export, public, staff, years

app_name = "registry"
urlpatterns = grouped_by_prefix(
    [
        path("organisations/", public.public_list, name="public_list"),
        path("organisations/<uuid:pk>/", public.public_detail, name="public_detail"),
        path("registry/", staff.registry_list, name="list"),
        path("registry/export.csv", export.export_csv, name="export_csv"),
        path("registry/export.xlsx", export.export_xlsx, name="export_xlsx"),
        path("registry/new/", staff.organisation_create, name="create"),
        path("registry/<uuid:pk>/edit/", staff.organisation_edit, name="edit"),
        path("registry/<uuid:pk>/years/", years.organisation_years, name="years"),
        path("registry/<uuid:pk>/years/<int:year>/delete/", years.organisation_year_delete, name="year_delete"),
        path("registry/<uuid:pk>/history/", staff.organisation_history, name="history"),
    ]
)
