import uuid

from django import template
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime

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
    by format_html. Expects the items of selectors.organisation_page (home_area and listed_categories).
    """
    detail = reverse("registry:public_detail", args=[_ID_MARK])
    legal_forms = dict(LegalForm.choices)
    statuses = dict(OrganisationStatus.choices)
    rows = []
    for org in organisations:
        rows.append(
            format_html(
                '<tr>\n      <td><a href="{}">{}</a></td>\n      <td>{}</td>\n      <td>{}</td>\n      <td>{}</td>\n'
                "      <td>{}</td>\n      <td>{}</td>\n      <td>{}</td>\n    </tr>",
                detail.replace(str(_ID_MARK), str(org.pk)),
                org.display_name,
                orgnumbers.display(org.country, org.org_number),
                legal_forms.get(org.legal_form, org.legal_form),
                statuses.get(org.status, org.status),
                org.home_area.display_name if org.home_area else "",
                date_format(localtime(org.updated_at), "SHORT_DATE_FORMAT"),
                format_html_join("", '<span class="tag">{}</span>', ((c.display_name,) for c in org.listed_categories)),
            )
        )
    return mark_safe("\n    ".join(rows))  # noqa: S308 (each row is built by format_html)  # nosec B308 B703
