"""Areas API: /api/v1/areas — the official areas are public data, so no login is needed."""

import uuid

from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from samverka.core.pagination import NumberedPagination

from . import selectors
from .schemas import AreaFilterIn, AreaListItemOut, AreaOut

router = Router(tags=["areas"])


@router.get("", response=list[AreaListItemOut], auth=None)
@paginate(NumberedPagination)
def list_areas(request: HttpRequest, filters: Query[AreaFilterIn]):
    return selectors.area_search(
        q=filters.q,
        country=filters.country.value if filters.country else "",
        kind=filters.kind.value if filters.kind else "",
        parent=filters.parent,
    )


@router.get("/{pk}", response=AreaOut, auth=None)
def get_area(request: HttpRequest, pk: uuid.UUID):
    return selectors.area_get(pk=pk)
