"""The JSON API: /api/v1/ with OpenAPI at /api/v1/openapi.json and docs at /api/v1/docs."""

from ninja import NinjaAPI

from samverka.accounts.api import router as accounts_router
from samverka.accounts.auth import api_auth
from samverka.agreements.api import router as agreements_router
from samverka.areas.api import router as areas_router
from samverka.catalogue.api import router as catalogue_router
from samverka.core.api import install_error_handlers
from samverka.core.openapi import declare_error_responses
from samverka.dialogue.api import router as dialogue_router
from samverka.registry.api import router as registry_router
from samverka.vouchers.api import router as vouchers_router

api = NinjaAPI(
    title="Samverka API",
    version="1",
    urls_namespace="api-v1",
    auth=api_auth,
    description=(
        "Samverka's JSON API. Authenticate with a browser session or a personal API token "
        '(`Authorization: Bearer svk_…`). Errors are `{"detail": …, "errors": {field: [messages]}}`; '
        "lists are paginated with `page` and `page_size` (at most 200)."
    ),
)
install_error_handlers(api)
api.add_router("/accounts", accounts_router)
api.add_router("/areas", areas_router)
api.add_router("/registry", registry_router)
api.add_router("/catalogue", catalogue_router)
api.add_router("/agreements", agreements_router)
api.add_router("/dialogue", dialogue_router)
api.add_router("/vouchers", vouchers_router)

# The served OpenAPI also declares the `{detail, errors}` error responses each operation may give.
declare_error_responses(api)
