import csv
import functools
from collections.abc import Iterable, Mapping

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse

from samverka.core.errors import DomainError, NotFound


def not_found_as_404(view):
    """Selectors and services say NotFound; pages answer with the 404 page."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404 from None

    return wrapper


def add_service_errors(form, exc: DomainError, aliases: Mapping[str, str] | None = None) -> None:
    aliases = aliases or {}
    for field, messages in exc.errors.items():
        name = aliases.get(field, field)
        for message in messages:
            form.add_error(name if name in form.fields else None, message)
    if not exc.errors:
        form.add_error(None, exc.detail)


def query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    encoded = params.urlencode()
    return f"{encoded}&" if encoded else ""


def status_for(form) -> int:
    return 422 if form.is_bound and form.errors else 200


def wants_csv(request: HttpRequest) -> bool:
    return request.GET.get("format") == "csv"


class _Echo:
    def write(self, value):
        return value


def csv_response(filename: str, header: list, rows: Iterable[list]) -> HttpResponse | StreamingHttpResponse:
    """A UTF-8 CSV with a byte-order mark (spreadsheets read the Nordic letters right), streamed row by row."""
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff" + writer.writerow(header)
        for row in rows:
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def sorted_by(request: HttpRequest, queryset, allowed: Mapping[str, tuple], default: str):
    """(queryset ordered by ?sort=, the sort key used). A leading "-" reverses; unknown keys fall back."""
    sort = request.GET.get("sort") or default
    key = sort.removeprefix("-")
    if key not in allowed:
        sort, key = default, default.removeprefix("-")
    fields = allowed[key]
    if sort.startswith("-"):
        fields = tuple(f[1:] if f.startswith("-") else f"-{f}" for f in fields)
    return queryset.order_by(*fields, "pk"), sort
