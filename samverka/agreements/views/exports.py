"""CSV exports of the agreement lists: exactly the rows the page shows for the same filters (all pages)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.utils.translation import gettext as _

from .. import selectors
from ..csvexport import CHUNK, csv_response
from .common import area_from_query


def _date(value) -> str:
    return value.isoformat() if value else ""


def _header() -> list[str]:
    return [
        _("Title"),
        _("Kind"),
        _("Status"),
        _("Area"),
        _("Parties"),
        _("Starts"),
        _("Ends"),
        _("Review date"),
        _("Renewal decision"),
        _("Id"),
    ]


def _rows(qs):
    for a in qs.iterator(chunk_size=CHUNK):
        yield [
            a.title,
            a.get_kind_display(),
            a.get_status_display(),
            a.area.name,
            "; ".join(str(p) for p in a.parties.all()),
            _date(a.starts),
            _date(a.ends),
            _date(a.review_date),
            a.get_renewal_decision_display(),
            a.pk,
        ]


@login_required
def index_csv(request: HttpRequest):
    qs = selectors.agreement_list(
        actor=request.user,
        status=request.GET.get("status", ""),
        q=request.GET.get("q", "")[:200],
        sort=request.GET.get("sort", "title"),
    )
    return csv_response(_header(), _rows(qs), "agreements")


@login_required
def register_csv(request: HttpRequest):
    qs = selectors.ending_soon(actor=request.user, area=area_from_query(request), sort=request.GET.get("sort", "ends"))
    return csv_response(_header(), _rows(qs), "agreements-ending")


def public_register_csv(request: HttpRequest):
    """The public register has no review or renewal columns: those are internal follow-up."""
    qs = selectors.public_register(
        area=area_from_query(request), q=request.GET.get("q", "")[:200], sort=request.GET.get("sort", "")
    )
    header = [_("Title"), _("Kind"), _("Status"), _("Area"), _("Parties"), _("Starts"), _("Ends"), _("Id")]

    def rows():
        for row in _rows(qs):
            yield row[:7] + [row[9]]

    return csv_response(header, rows(), "agreements-public")
