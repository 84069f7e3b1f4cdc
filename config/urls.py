from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from samverka.core import views as core_views
from samverka.core.metrics import metrics_view

from .api import api

handler400 = "samverka.core.views.error_400"
handler403 = "samverka.core.views.error_403"
handler404 = "samverka.core.views.error_404"
handler500 = "samverka.core.views.error_500"

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("metrics", metrics_view, name="metrics"),
    path("i18n/setlang/", core_views.set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("api/hsds/", include("samverka.catalogue.hsds_urls")),
    path("accounts/", include("samverka.accounts.urls")),
    path("areas/", include("samverka.areas.urls")),
    path("", include("samverka.catalogue.urls")),
    path("", include("samverka.agreements.urls")),
    path("", include("samverka.dialogue.urls")),
    path("", include("samverka.vouchers.urls")),
    path("", include("samverka.registry.urls")),
    path("", include("samverka.core.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
