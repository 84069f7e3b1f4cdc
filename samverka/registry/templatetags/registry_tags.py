import uuid

from django import template
from django.urls import reverse
from django.utils import dateformat
from django.utils.formats import get_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime

from samverka.core.html import esc

from .. import orgnumbers
from ..models import LegalForm, OrganisationStatus

register = template.Library()

# Stands in for an organisation's id in one reversed detail URL, so a list builds its rows' links without
# resolving the URL once per row.
_ID_MARK = uuid.UUID(int=0)


@register.filter
def org_number_display(org) -> str:
    return orgnumbers.display(org.country, org.org_number)


@register.simple_tag
def organisation_rows(organisations) -> SafeString:
    """The staff list's table rows (name link, number, legal form, status, municipality, updated, categories).

    Written in Python rather than as a template loop: per row, a template resolved some forty lookups, an
    include, a URL and two choice labels, which cost the page more than its queries. Every value is escaped
    by esc(). Expects the items of selectors.organisation_page (home_area and listed_categories).
    """
    detail = reverse("registry:public_detail", args=[_ID_MARK])
    legal_forms = {value: str(label) for value, label in LegalForm.choices}
    statuses = {value: str(label) for value, label in OrganisationStatus.choices}
    short_date = get_format("SHORT_DATE_FORMAT")
    rows = []
    for org in organisations:
        categories = "".join(f'<span class="tag">{esc(c.display_name)}</span>' for c in org.listed_categories)
        cells = (
            f'<td><a href="{esc(detail.replace(str(_ID_MARK), str(org.pk)))}">{esc(org.display_name)}</a></td>',
            f"<td>{esc(orgnumbers.display(org.country, org.org_number))}</td>",
            f"<td>{esc(legal_forms.get(org.legal_form, org.legal_form))}</td>",
            f"<td>{esc(statuses.get(org.status, org.status))}</td>",
            f"<td>{esc(org.home_area.display_name) if org.home_area else ''}</td>",
            f"<td>{esc(dateformat.format(localtime(org.updated_at), short_date))}</td>",
            f"<td>{categories}</td>",
        )
        rows.append("<tr>\n      " + "\n      ".join(cells) + "\n    </tr>")
    return mark_safe("\n    ".join(rows))  # noqa: S308 (every value is escaped by esc())  # nosec B308 B703
