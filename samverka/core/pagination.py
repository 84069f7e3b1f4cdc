"""Page-number pagination for pages and the API: `page`, `page_size` (≤ 200), `count`, `next`/`previous`."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase

MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 25


def clamp_page_size(value: Any, default: int = DEFAULT_PAGE_SIZE) -> int:
    try:
        size = int(value)
    except (TypeError, ValueError):
        return default
    return max(1, min(size, MAX_PAGE_SIZE))


def clamp_page(value: Any) -> int:
    try:
        page = int(value)
    except (TypeError, ValueError):
        return 1
    return max(1, min(page, 10_000_000))


def last_page(count: int, size: int) -> int:
    """The number of the last page of `count` items, `size` a page (1 when there are none)."""
    return max(1, -(-count // size))


@dataclass
class Page:
    items: Sequence[Any]
    number: int
    size: int
    count: int

    @property
    def num_pages(self) -> int:
        return last_page(self.count, self.size)

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def start_index(self) -> int:
        return 0 if self.count == 0 else (self.number - 1) * self.size + 1

    @property
    def end_index(self) -> int:
        return min(self.number * self.size, self.count)


def paginate(queryset: QuerySet | Sequence, page: Any, page_size: Any = DEFAULT_PAGE_SIZE) -> Page:
    size = clamp_page_size(page_size)
    number = clamp_page(page)
    count = queryset.count() if isinstance(queryset, QuerySet) else len(queryset)
    number = min(number, last_page(count, size))
    offset = (number - 1) * size
    return Page(items=list(queryset[offset : offset + size]), number=number, size=size, count=count)


def page_url(request: HttpRequest, number: int) -> str:
    params = request.GET.copy()
    params["page"] = str(number)
    return request.build_absolute_uri(request.path + "?" + params.urlencode())


class NumberedPagination(PaginationBase):
    """API pagination: `{count, next, previous, results}`."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=10_000_000)
        page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)

    class Output(Schema):
        count: int
        next: str | None
        previous: str | None
        results: list[Any]

    items_attribute = "results"

    def paginate_queryset(self, queryset, pagination: Input, request: HttpRequest, **params):
        page = paginate(queryset, pagination.page, pagination.page_size)
        return {
            "count": page.count,
            "next": page_url(request, page.number + 1) if page.has_next else None,
            "previous": page_url(request, page.number - 1) if page.has_previous else None,
            "results": page.items,
        }
