from django.urls import path

from samverka.core.routing import grouped_by_prefix

from .views import manage, public, review

app_name = "catalogue"
urlpatterns = grouped_by_prefix(
    [
        path("services/", public.finder, name="index"),
        path("services/<uuid:pk>/", public.service_detail, name="service_detail"),
        path("services/<uuid:pk>/report/", public.report_error, name="report_error"),
        path("services/<uuid:pk>/edit/", manage.service_edit, name="service_edit"),
        path("services/<uuid:pk>/verify/", manage.service_verify, name="service_verify"),
        path("catalogue/organisations/<uuid:pk>/", manage.org_services, name="org_services"),
        path("catalogue/organisations/<uuid:pk>/export.csv", manage.org_services_csv, name="org_services_csv"),
        path("catalogue/organisations/<uuid:pk>/new/", manage.service_create, name="service_create"),
        path("catalogue/organisations/<uuid:pk>/locations/new/", manage.location_create, name="location_create"),
        path("catalogue/locations/<uuid:pk>/edit/", manage.location_edit, name="location_edit"),
        path("catalogue/locations/<uuid:pk>/delete/", manage.location_delete, name="location_delete"),
        path("catalogue/areas/<uuid:pk>/", manage.area_services, name="area_services"),
        path("catalogue/areas/<uuid:pk>/new/", manage.area_service_create, name="area_service_create"),
        path("catalogue/areas/<uuid:pk>/locations/new/", manage.area_location_create, name="area_location_create"),
        path("catalogue/proposals/", review.proposal_list, name="proposals"),
        path("catalogue/proposals/<uuid:pk>/", review.proposal_detail, name="proposal_detail"),
        path("catalogue/freshness/", review.freshness, name="freshness"),
        path("catalogue/freshness/export.csv", review.freshness_csv, name="freshness_csv"),
    ]
)
