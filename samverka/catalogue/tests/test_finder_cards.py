"""The finder's result cards (built in Python, see cards.py) and its cached filter options."""

import pytest
from django.urls import reverse

from samverka.catalogue.models import TaxonomyTerm
from samverka.catalogue.services import location_create
from samverka.registry.tests.factories import OrganisationFactory, area

from .factories import make_service, platform_admin

pytestmark = pytest.mark.django_db


def _finder(client, language="en", **params) -> str:
    return client.get(reverse("catalogue:index"), params, headers={"Accept-Language": language}).content.decode()


def test_card_shows_owner_facts_places_and_categories_with_every_value_escaped(client):
    org = OrganisationFactory(home_area=area("NO", "3201"), name="Lag <b>fett</b>")
    municipality = area("NO", "3201")
    place = location_create(
        actor=platform_admin(),
        organisation=org,
        data={"name": "Huset <i>", "street_address": "Gata 1", "municipality": str(municipality.pk)},
    )
    service = make_service(
        org,
        name_nb="Kaffe & <prat>",
        summary_nb="Vi drikker kaffe.",
        categories=["peer-support", "loneliness"],
        locations=[str(place.pk)],
        fee="free",
        accepts_vouchers=True,
    )
    body = _finder(client, q="kaffe")
    url = reverse("catalogue:service_detail", args=[service.pk])
    assert f'<a href="{url}?q=kaffe" lang="nb"><mark>Kaffe</mark> &amp; &lt;prat&gt;</a>' in body
    assert "<p>Vi drikker <mark>kaffe</mark>.</p>" in body
    assert "Lag &lt;b&gt;fett&lt;/b&gt;" in body and "<b>fett" not in body
    assert "Free of charge" in body and "Accepts service vouchers" in body
    assert f"<p>Huset &lt;i&gt; ({municipality.display_name})</p>" in body
    names = {t.code: t.display_name for t in TaxonomyTerm.objects.filter(code__in=["peer-support", "loneliness"])}
    assert f'<span class="tag">{names["loneliness"]}</span><span class="tag">{names["peer-support"]}</span>' in body


def test_card_follows_the_readers_language_and_marks_the_other_languages(client):
    org = OrganisationFactory(home_area=area("NO", "3201"), name="Lag K")
    make_service(
        org, name_nb="Sorggruppe", name_sv="Sorg och samtal", name_en="Grief talk", summary_en="About sorg here."
    )
    swedish = _finder(client, "sv", q="sorg")
    assert 'lang="sv"><mark>Sorg</mark> och samtal</a>' in swedish
    assert '<span lang="en">Grief talk — About <mark>sorg</mark> here.</span>' in swedish
    assert '<span lang="nb">' not in swedish  # "Sorggruppe" is another word
    norwegian = _finder(client, "nb", q="sorg")
    assert 'lang="nb">Sorggruppe</a>' in norwegian
    assert '<span lang="sv"><mark>Sorg</mark> och samtal</span>' in norwegian


def test_cards_keep_the_chosen_order_across_pages(client):
    org = OrganisationFactory(home_area=area("NO", "3201"), name="Lag O")
    for name in ("Cafe C", "Cafe A", "Cafe B"):
        make_service(org, name_nb=name)
    response = client.get(reverse("catalogue:index"), {"q": "cafe", "sort": "name"})
    assert [s.sort_name for s in response.context["page"].items] == ["Cafe A", "Cafe B", "Cafe C"]
    body = response.content.decode()
    assert body.index("</mark> A</a>") < body.index("</mark> B</a>") < body.index("</mark> C</a>")
    browse = client.get(reverse("catalogue:index"), {"sort": "name"})
    assert [s.sort_name for s in browse.context["page"].items] == ["Cafe A", "Cafe B", "Cafe C"]


def test_filter_options_show_a_renamed_or_added_category_at_once(client):
    term = TaxonomyTerm.objects.get(code="loneliness")
    assert f">{term.display_name}</option>" in _finder(client)
    term.name_en = "Being alone"
    term.save()
    TaxonomyTerm.objects.create(taxonomy=term.taxonomy, code="new-one", name="New one", name_en="Brand new")
    body = _finder(client)
    assert '<option value="loneliness">Being alone</option>' in body
    assert '<option value="new-one">Brand new</option>' in body


def test_filter_options_mark_the_chosen_values(client):
    county = area("NO", "32", kind="county")
    body = _finder(client, area=str(county.pk), category="loneliness", weekday="tu", free="on", age="30")
    assert f'<option value="{county.pk}" selected>' in body
    assert '<option value="loneliness" selected>' in body
    assert '<option value="tu" selected>' in body
    assert '<input type="checkbox" name="free" id="id_free" checked>' in body
    assert '<input type="number" name="age" value="30" min="0" max="120" id="id_age">' in body


def test_area_filter_finds_services_served_inside_at_a_place_inside_or_served_above(client):
    from samverka.areas.models import Area

    org = OrganisationFactory(home_area=area("NO", "3201"), name="Lag A")
    baerum, oslo, county = area("NO", "3201"), area("NO", "0301"), area("NO", "32", kind="county")
    country = Area.objects.get(kind="country", country="NO")
    place = location_create(
        actor=platform_admin(), organisation=org, data={"name": "Huset", "municipality": str(baerum.pk)}
    )
    served_inside = make_service(org, name_nb="Inne", areas=[str(baerum.pk)])
    at_a_place = make_service(org, name_nb="Sted", locations=[str(place.pk)])
    served_above = make_service(org, name_nb="Landet", areas=[str(country.pk)])
    elsewhere = make_service(org, name_nb="Oslo", areas=[str(oslo.pk)])

    def found(chosen, **params):
        page = client.get(reverse("catalogue:index"), {"area": str(chosen.pk), **params}).context["page"]
        return {s.pk for s in page.items}

    assert found(county) == {served_inside.pk, at_a_place.pk, served_above.pk}
    assert found(county, free="on") == {served_inside.pk, at_a_place.pk, served_above.pk}
    assert found(baerum, q="sted") == {at_a_place.pk}
    assert found(oslo, free="on") == {served_above.pk, elsewhere.pk}
