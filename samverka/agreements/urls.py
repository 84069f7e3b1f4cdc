from django.urls import path

from samverka.core.routing import grouped_by_prefix

from .views import exports, library, public, staff, workflow

app_name = "agreements"
urlpatterns = grouped_by_prefix(
    [
        path("agreements/", staff.index, name="index"),
        path("agreements/export.csv", exports.index_csv, name="index_csv"),
        path("agreements/register/", staff.register, name="register"),
        path("agreements/register/export.csv", exports.register_csv, name="register_csv"),
        path("agreements/new/", staff.create, name="create"),
        path("agreements/library/", library.library, name="library"),
        path("agreements/library/templates/new/", library.template_create, name="template_create"),
        path("agreements/library/principles/new/", library.principle_set_create, name="principle_set_create"),
        path("agreements/public/", public.public_register, name="public_register"),
        path("agreements/public/export.csv", exports.public_register_csv, name="public_register_csv"),
        path("agreements/public/<uuid:pk>/", public.public_detail, name="public_detail"),
        path("agreements/<uuid:pk>/", staff.detail, name="detail"),
        path("agreements/<uuid:pk>/comment/", staff.comment, name="comment"),
        path("agreements/<uuid:pk>/versions/", staff.versions, name="versions"),
        path("agreements/<uuid:pk>/versions/<int:number>/", staff.version_detail, name="version"),
        path("agreements/<uuid:pk>/versions/<int:number>/pdf/", staff.version_pdf_view, name="pdf"),
        path("agreements/<uuid:pk>/text/", workflow.edit_text, name="edit_text"),
        path("agreements/<uuid:pk>/parties/", workflow.parties, name="parties"),
        path("agreements/<uuid:pk>/sign/", workflow.sign, name="sign"),
        path("agreements/<uuid:pk>/review/", workflow.review, name="review"),
        path("agreements/<uuid:pk>/review/<uuid:score_pk>/resolve/", workflow.resolve_disagreement, name="resolve"),
        path("agreements/<uuid:pk>/<slug:action>/", workflow.transition, name="transition"),
    ]
)
