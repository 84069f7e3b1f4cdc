import uuid

from django import template
from django.urls import reverse
from django.utils.formats import get_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import get_current_timezone
from django.utils.translation import get_language, gettext, ngettext

from samverka.core.dates import format_date
from samverka.core.html import esc
from samverka.core.templatetags.pagination import pagination
from samverka.core.templatetags.paths import path_tag

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
def organisation_header(columns) -> SafeString:
    """The staff list's header row: sortable columns (a link each, with aria-sort on the sorted one), then legal
    form and status after the second, then categories. Written in Python for the reason given at
    organisation_rows; `columns` as built by the staff list view."""
    cells = []
    for number, column in enumerate(columns, start=1):
        sort = column["sort"]
        query = esc(column["query"])
        arrow = {"ascending": ' <span aria-hidden="true">▲</span>', "descending": ' <span aria-hidden="true">▼</span>'}
        if sort:
            state = gettext("ascending") if sort == "ascending" else gettext("descending")
            sorted_word = gettext("sorted")  # outside the f-string, so that makemessages finds it
            hint = f", {sorted_word} {state}"
        else:
            sort_hint = gettext("sort by this column")
            hint = f", {sort_hint}"
        aria_sort = f' aria-sort="{esc(sort)}"' if sort else ""
        cells.append(
            f'<th scope="col"{aria_sort}><a href="?{query}" hx-get="?{query}" hx-target="#results" hx-push-url="true">'
            f'{esc(column["label"])}{arrow.get(sort, "")}<span class="visually-hidden">{esc(hint)}</span></a></th>'
        )
        if number == 2:
            cells.append(f'<th scope="col">{esc(gettext("Legal form"))}</th>')
            cells.append(f'<th scope="col">{esc(gettext("Status"))}</th>')
    cells.append(f'<th scope="col">{esc(gettext("Categories"))}</th>')
    return mark_safe("<tr>\n      " + "\n      ".join(cells) + "\n    </tr>")  # noqa: S308 (escaped by esc())  # nosec B308 B703


@register.simple_tag
def organisation_rows(organisations) -> SafeString:
    """The staff list's table rows (name link, number, legal form, status, municipality, updated, categories).

    Written in Python rather than as a template loop: per row, a template resolved some forty lookups, an
    include, a URL and two choice labels, which cost the page more than its queries. Every value is escaped
    by esc(). Expects the items of selectors.organisation_page (home_area and listed_categories).
    """
    # The link before and after the id, escaped once (an id holds only hex digits and dashes).
    before, after = (esc(part) for part in reverse("registry:public_detail", args=[_ID_MARK]).split(str(_ID_MARK)))
    legal_forms = {value: str(label) for value, label in LegalForm.choices}
    statuses = {value: str(label) for value, label in OrganisationStatus.choices}
    short_date = get_format("SHORT_DATE_FORMAT")
    timezone = get_current_timezone()
    # display_name, with the language looked up once rather than for each name on the page.
    language = (get_language() or "en")[:2]
    localised = f"name_{language}" if language in {"nb", "sv", "fi", "en"} else "name"

    def name(obj) -> str:
        return esc(getattr(obj, localised, "") or obj.name)

    rows = []
    for org in organisations:
        categories = "".join(f'<span class="tag">{name(c)}</span>' for c in org.listed_categories)
        cells = (
            f'<td><a href="{before}{org.pk}{after}">{name(org)}</a></td>',
            f"<td>{esc(orgnumbers.display(org.country, org.org_number))}</td>",
            f"<td>{esc(legal_forms.get(org.legal_form, org.legal_form))}</td>",
            f"<td>{esc(statuses.get(org.status, org.status))}</td>",
            f"<td>{name(org.home_area) if org.home_area else ''}</td>",
            f"<td>{esc(format_date(org.updated_at.astimezone(timezone), short_date))}</td>",
            f"<td>{categories}</td>",
        )
        rows.append("<tr>\n      " + "\n      ".join(cells) + "\n    </tr>")
    return mark_safe("\n    ".join(rows))  # noqa: S308 (every value is escaped by esc())  # nosec B308 B703


@register.simple_tag(takes_context=True)
def organisation_results(context) -> SafeString:
    """The staff list's results (registry/_results.html): the count, export links carrying the list's filters, the
    table and the previous/next links; or the no-match text. Written in Python like its rows; reads `page`,
    `columns` and `export_query` (the filters as an encoded query) from the context."""
    page = context["page"]
    count = page.count
    heading_text = ngettext("%(counter)s organisation", "%(counter)s organisations", count) % {"counter": count}
    heading = f'<h2 id="results-heading" aria-live="polite">{esc(heading_text)}</h2>'
    if not count:
        no_match = gettext("No organisation matches these filters. Try fewer filters or another spelling.")
        return mark_safe(f"{heading}\n<p>{esc(no_match)}</p>")  # noqa: S308 (escaped by esc())  # nosec B308 B703
    query = esc(context.get("export_query", ""))
    csv_link, xlsx_link = (esc(path_tag(name)) for name in ("registry:export_csv", "registry:export_xlsx"))
    caption = gettext("Organisations %(start)s–%(end)s of %(total)s") % {
        "start": page.start_index,
        "end": page.end_index,
        "total": count,
    }
    html = f"""{heading}
<p class="actions">
  <a href="{csv_link}?{query}" download>{esc(gettext("Export these rows as CSV"))}</a>
  <a href="{xlsx_link}?{query}" download>{esc(gettext("Export these rows as Excel (XLSX)"))}</a>
</p>
<div class="table-wrap">
<table>
  <caption>{esc(caption)}</caption>
  <thead>
    {organisation_header(context["columns"])}
  </thead>
  <tbody>
    {organisation_rows(page.items)}
  </tbody>
</table>
</div>
<div hx-boost="true" hx-target="#results" hx-push-url="true">{pagination(context)}</div>"""
    return mark_safe(html)  # noqa: S308 (every value is escaped by esc() or by the tags it calls)  # nosec B308 B703
