from django.urls import path

from samverka.core.routing import grouped_by_prefix

from .views import changes, documents, links, lists, provider, public, residents, settlements, staff, vouchers

app_name = "vouchers"
urlpatterns = grouped_by_prefix(
    [
        path("vouchers/", public.index, name="index"),
        path("vouchers/schemes/<uuid:pk>/providers/", public.scheme_compare, name="compare"),
        path("vouchers/schemes/<uuid:pk>/apply/", provider.accreditation_apply, name="apply"),
        path("vouchers/provider/", provider.provider_home, name="provider_home"),
        path("vouchers/schemes/", lists.scheme_list, name="schemes"),
        path("vouchers/schemes/new/", staff.scheme_create, name="scheme_create"),
        path("vouchers/schemes/<uuid:pk>/", staff.scheme_detail, name="scheme_detail"),
        path("vouchers/schemes/<uuid:pk>/settle/", staff.settlement_create, name="settle"),
        path("vouchers/schemes/<uuid:pk>/status/", changes.scheme_status, name="scheme_status"),
        path("vouchers/schemes/<uuid:pk>/fund/", changes.scheme_fund, name="scheme_fund"),
        path("vouchers/schemes/<uuid:pk>/vouchers/", lists.scheme_vouchers, name="scheme_vouchers"),
        path("vouchers/schemes/<uuid:pk>/claims/", lists.scheme_claims, name="scheme_claims"),
        path("vouchers/schemes/<uuid:pk>/settlements/", lists.scheme_settlements, name="scheme_settlements"),
        path("vouchers/accreditations/<uuid:pk>/", staff.accreditation_detail, name="accreditation_detail"),
        path("vouchers/accreditations/<uuid:pk>/openings/", provider.accreditation_openings, name="openings"),
        path(
            "vouchers/accreditations/<uuid:pk>/documents/<uuid:document_pk>/",
            documents.accreditation_document,
            name="accreditation_document",
        ),
        path("vouchers/settlements/<uuid:pk>/", settlements.settlement_detail, name="settlement_detail"),
        path("vouchers/settlements/<uuid:pk>/settlement.csv", settlements.settlement_csv, name="settlement_csv"),
        path("vouchers/settlements/<uuid:pk>/settlement.pdf", settlements.settlement_pdf, name="settlement_pdf"),
        path("vouchers/residents/", lists.resident_list, name="residents"),
        path("vouchers/residents/new/", residents.resident_create, name="resident_create"),
        path("vouchers/residents/<uuid:pk>/", residents.resident_detail, name="resident_detail"),
        path("vouchers/residents/<uuid:pk>/issue/", residents.voucher_issue, name="voucher_issue"),
        path("vouchers/residents/<uuid:pk>/access-log/", residents.resident_access_log, name="access_log"),
        path("vouchers/residents/<uuid:pk>/erase/", residents.resident_erase, name="resident_erase"),
        path("vouchers/residents/<uuid:pk>/edit/", changes.resident_edit, name="resident_edit"),
        path("vouchers/vouchers/<uuid:pk>/", vouchers.voucher_detail, name="voucher_detail"),
        path("vouchers/vouchers/<uuid:pk>/cancel/", vouchers.voucher_cancel, name="voucher_cancel"),
        path("vouchers/vouchers/<uuid:pk>/choice-link/", links.choice_link_create, name="choice_link"),
        path("vouchers/choose/<str:token>/", links.resident_choose, name="resident_choose"),
        path("vouchers/vouchers/<uuid:pk>/claims/", vouchers.claim_create, name="claim_create"),
        path("vouchers/claims/<uuid:pk>/correct/", changes.claim_reverse, name="claim_reverse"),
    ]
)
