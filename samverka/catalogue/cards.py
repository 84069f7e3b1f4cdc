"""The finder's result cards: the columns a card shows, read in two queries, and the cards' HTML built in Python.

A page of results is read as plain values (no model instances, no long texts) in one query, and the page's
categories and places in one more; the cards are then written in Python, every value through esc() (or
PageMarker.mark, which escapes). Written in Python rather than as a template loop: per card the template
resolved some fifty lookups, a URL and two choice labels, which cost the finder more than its search.
"""

import uuid
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import quote

from django.db import connection
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from samverka.areas.models import Area
from samverka.core.html import esc
from samverka.registry.models import Organisation

from .models import (
    CONTENT_LANGUAGES,
    FALLBACK_ORDER,
    LANGUAGE_NAMES,
    AccessMode,
    Fee,
    Location,
    Service,
    ServiceAtLocation,
    ServiceKind,
    TaxonomyTerm,
)
from .search.text import PageMarker

Categories = Service.categories.through
_NAMES = tuple(f"name_{code}" for code in CONTENT_LANGUAGES)
_SUMMARIES = tuple(f"summary_{code}" for code in CONTENT_LANGUAGES)
# Stands in for a service's id in one reversed detail URL, so the cards build their links without resolving
# the URL once per card.
_ID_MARK = uuid.UUID(int=0)


@dataclass(slots=True)
class ServiceCard:
    """What a result card shows of a published service (`pk` and `status` as on the model)."""

    pk: uuid.UUID
    status: str
    sort_name: str
    names: dict[str, str]
    summaries: dict[str, str]
    owner: str
    kind: str
    access_mode: str
    fee: str
    accepts_vouchers: bool
    # (name of the place, its municipality's name or "")
    places: list[tuple[str, str]] = field(default_factory=list)
    # (code, display name), by code
    categories: list[tuple[str, str]] = field(default_factory=list)


def _reader_language() -> str:
    return (get_language() or "en")[:2]


def _order(language: str) -> tuple[str, ...]:
    """Languages to take a service's text from: the reader's, then the fallback order (as models.localised)."""
    return ((language,) if language in CONTENT_LANGUAGES else ()) + FALLBACK_ORDER


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _column(model, name: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(name).column)


@lru_cache(maxsize=64)
def _cards_sql(vendor: str, local: str, n: int) -> str:
    """SELECT of the card columns of `n` services by primary key (vendor: the SQL is kept per database)."""
    service, org, area = _table(Service), _table(Organisation), _table(Area)
    fields = ["id", "status", "sort_name", "kind", "access_mode", "fee", "accepts_vouchers", *_NAMES, *_SUMMARIES]
    columns = [f"s.{_column(Service, f)}" for f in fields]
    columns += [f"s.{_column(Service, 'organisation')}", f"o.{_column(Organisation, 'name')}"]
    columns += [f"a.{_column(Area, 'name')}"]
    if local:
        columns += [f"o.{_column(Organisation, 'name' + local)}", f"a.{_column(Area, 'name' + local)}"]
    return (
        f"SELECT {', '.join(columns)} FROM {service} s "  # noqa: S608  # nosec B608 (names from the models)
        f"LEFT JOIN {org} o ON o.{_column(Organisation, 'id')} = s.{_column(Service, 'organisation')} "
        f"LEFT JOIN {area} a ON a.{_column(Area, 'id')} = s.{_column(Service, 'area')} "
        f"WHERE s.{_column(Service, 'id')} IN ({', '.join(['%s'] * n)})"
    )


@lru_cache(maxsize=64)
def _related_sql(vendor: str, local: str, n: int) -> str:
    """The categories (kind 0) and places (kind 1) of `n` services, in one UNION ALL of equal columns:
    (service, kind, code or place name, name, then the names in nb/sv/fi/en or the municipality's name)."""
    ids = ", ".join(["%s"] * n)
    categories, term = _table(Categories), _table(TaxonomyTerm)
    sal, location, area = _table(ServiceAtLocation), _table(Location), _table(Area)
    term_names = ", ".join(f"t.{_column(TaxonomyTerm, f)}" for f in ("name", *_NAMES))
    municipality_local = f"m.{_column(Area, 'name' + local)}" if local else "''"
    return (
        f"SELECT c.{_column(Categories, 'service')}, 0, t.{_column(TaxonomyTerm, 'code')}, {term_names} "  # noqa: S608  # nosec B608 (names from the models)
        f"FROM {categories} c JOIN {term} t "
        f"ON t.{_column(TaxonomyTerm, 'id')} = c.{_column(Categories, 'taxonomyterm')} "
        f"WHERE c.{_column(Categories, 'service')} IN ({ids}) "
        f"UNION ALL SELECT x.{_column(ServiceAtLocation, 'service')}, 1, l.{_column(Location, 'name')}, "
        f"m.{_column(Area, 'name')}, {municipality_local}, '', '', '' "
        f"FROM {sal} x JOIN {location} l ON l.{_column(Location, 'id')} = x.{_column(ServiceAtLocation, 'location')} "
        f"LEFT JOIN {area} m ON m.{_column(Area, 'id')} = l.{_column(Location, 'municipality')} "
        f"WHERE x.{_column(ServiceAtLocation, 'service')} IN ({ids})"
    )


def _uuid(value) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def load_cards(source: QuerySet | list[uuid.UUID], window: slice | None = None) -> list[ServiceCard]:
    """The cards of these services, with their categories and places (see finder.Loader): given a queryset, in
    its order (`window` slices it); given primary keys, in any order.

    Two queries of SQL kept per database and page size, with the ids as parameters: building them with the ORM
    for every page cost more than running them."""
    if isinstance(source, QuerySet):
        rows = source.values_list("pk", flat=True)
        pks = list(rows[window] if window is not None else rows)
    else:
        pks = list(source)
    if not pks:
        return []
    language = _reader_language()
    local = f"_{language}" if language in CONTENT_LANGUAGES else ""
    pk_field = Service._meta.pk
    params = [pk_field.get_db_prep_value(pk, connection) for pk in pks]  # type: ignore[union-attr]
    n = len(CONTENT_LANGUAGES)
    cards = []
    with connection.cursor() as cursor:
        cursor.execute(_cards_sql(connection.vendor, local, len(pks)), params)
        for row in cursor.fetchall():
            names = dict(zip(CONTENT_LANGUAGES, row[7 : 7 + n], strict=True))
            summaries = dict(zip(CONTENT_LANGUAGES, row[7 + n : 7 + 2 * n], strict=True))
            org_id, org_name, area_name = row[7 + 2 * n : 10 + 2 * n]
            org_local, area_local = row[10 + 2 * n :] if local else ("", "")
            owner = (org_local or org_name) if org_id is not None else (area_local or area_name or "")
            cards.append(
                ServiceCard(
                    _uuid(row[0]), row[1], row[2], names, summaries, owner, row[3], row[4], row[5], bool(row[6])
                )
            )
        by_pk = {card.pk: card for card in cards}
        order = _order(language)
        cursor.execute(_related_sql(connection.vendor, local, len(pks)), params * 2)
        related = sorted(cursor.fetchall(), key=lambda r: (r[1], r[2]))
    for service_id, kind, key, *names in related:
        card = by_pk[_uuid(service_id)]
        if kind == 0:
            localised = dict(zip(CONTENT_LANGUAGES, names[1:], strict=True))
            display = next((localised[c] for c in order if localised[c]), "") or names[0]
            card.categories.append((key, display))
        else:
            card.places.append((key, (names[1] or names[0]) if names[0] is not None else ""))
    if isinstance(source, QuerySet):
        cards.sort(key=lambda card: pks.index(card.pk))
    return cards


def _text(values: dict[str, str], order: tuple[str, ...]) -> tuple[str, str]:
    """(the first text in `order` that is not empty, its language) — models.localised / localised_language."""
    for code in order:
        if values.get(code):
            return values[code], code
    return "", ""


def cards_html(cards: list[ServiceCard], groups: list[list[str]], q: str) -> SafeString:
    """The <li> cards of a page of results; with the query `groups`, matching words marked in every language.

    Every value from the database or the query goes through esc() (or PageMarker.mark, which escapes)."""
    language = _reader_language()
    order = _order(language)
    # Every text a card may show, judged at once: the page's words repeat from card to card.
    marker = PageMarker(
        groups, (t for c in cards for t in (c.sort_name, *c.names.values(), *c.summaries.values()) if t)
    )
    detail = reverse("catalogue:service_detail", args=[_ID_MARK])
    query = esc("?q=" + quote(q, safe="/")) if q else ""
    kinds = {k: esc(str(label)) for k, label in ServiceKind.choices}
    accesses = {k: esc(str(label)) for k, label in AccessMode.choices}
    free, vouchers = esc(_("Free of charge")), esc(_("Accepts service vouchers"))
    matches_in = {
        code: esc(_("Matches in %(language)s:") % {"language": LANGUAGE_NAMES[code]}) for code in CONTENT_LANGUAGES
    }
    out = []
    for card in cards:
        name, name_language = _text(card.names, order)
        name = name or card.sort_name
        name_language = name_language or language
        summary, _summary_language = _text(card.summaries, order)
        marked_name, _hit = marker.mark(name)
        parts = [
            f'<li class="card">\n    <h3><a href="{esc(detail.replace(str(_ID_MARK), str(card.pk)))}{query}" '
            f'lang="{esc(name_language)}">{marked_name}</a></h3>'
        ]
        if summary:
            parts.append(f"\n    <p>{marker.mark(summary)[0]}</p>")
        if groups:
            for code in CONTENT_LANGUAGES:
                if code == name_language:
                    continue
                name_text, summary_text = card.names.get(code) or "", card.summaries.get(code) or ""
                # Most texts in other languages hold no match: one look at both before marking either.
                if not marker.has_hit(f"{name_text} {summary_text}"):
                    continue
                other_name, name_hit = marker.mark(name_text)
                other_summary, summary_hit = marker.mark(summary_text)
                if name_hit or summary_hit:
                    dash = f" — {other_summary}" if other_summary else ""
                    parts.append(
                        f'\n    <p class="muted">{matches_in[code]} <span lang="{code}">{other_name}{dash}</span></p>'
                    )
        facts = [kinds.get(card.kind) or esc(card.kind), accesses.get(card.access_mode) or esc(card.access_mode)]
        if card.fee == Fee.FREE:
            facts.append(free)
        if card.accepts_vouchers:
            facts.append(vouchers)
        parts.append(f'\n    <p class="muted">{esc(card.owner)}\n      · {" · ".join(facts)}</p>')
        if card.places:
            places = "; ".join(
                f"{esc(place)} ({esc(municipality)})" if municipality else esc(place)
                for place, municipality in card.places
            )
            parts.append(f"\n    <p>{places}</p>")
        tags = "".join(f'<span class="tag">{esc(display)}</span>' for _code, display in card.categories)
        parts.append(f"\n    <p>{tags}</p>\n  </li>")
        out.append("".join(parts))
    return mark_safe("\n  ".join(out))  # nosec B308 B703 (every value is escaped above)
