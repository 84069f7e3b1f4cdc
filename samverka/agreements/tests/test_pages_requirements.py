"""Pages a coordinator reaches: creating from a template with its fields, parties that are public bodies, the
follow-up tasks of the register, and the links between an agreement, its public page and its hearings."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from samverka.accounts.tests.factories import grant_area_role, make_user, plain_login, staff_login
from samverka.agreements import services
from samverka.agreements.models import Agreement, AgreementStatus, Party, PrincipleSet, Template
from samverka.agreements.pdf import version_pdf_html
from samverka.agreements.reminders import send_due_reminders
from samverka.audit.models import AuditEvent
from samverka.registry.tests.factories import area

from .factories import make_world, to_signing
from .test_versions_signatures_reminders import _in_force

pytestmark = pytest.mark.django_db


def _own_template(world) -> Template:
    principle_set = services.principle_set_create(
        actor=world.coordinator, area=world.county, name="Våre prinsipper", principles=["Åpenhet", "Likeverd"]
    )
    return services.template_create(
        actor=world.coordinator,
        area=world.county,
        title="Avtale om {activity}",
        language="nb",
        kind="iop",
        sections=[
            {"heading": "Parter", "text": "{public_body} og {organisation}, {start_date}–{end_date}."},
            {"heading": "Tilskudd", "text": "Kommunen bidrar med {budget} kroner i året til {activity}."},
        ],
        principle_set=principle_set,
    )


def test_a_coordinators_template_asks_for_its_own_fields_and_fills_parties_area_dates_and_principles(client):
    world = make_world()
    template = _own_template(world)
    staff_login(client, world.coordinator)
    url = reverse("agreements:create") + f"?template={template.pk}"
    page = client.get(url)
    assert page.status_code == 200
    # The fields to fill are the template's own; parties and dates are filled from the form, not asked twice.
    assert 'name="field_budget"' in page.text and 'name="field_activity"' in page.text
    assert 'name="field_public_body"' not in page.text and 'name="field_start_date"' not in page.text
    response = client.post(
        url,
        {
            "template": str(template.pk),
            "area": str(world.municipality.pk),
            "kind": "iop",
            "organisations": [str(world.organisation.pk)],
            "starts": "2026-01-01",
            "ends": "2031-12-31",
            "principle_set": str(template.principle_set_id),
            "field_budget": "250 000",
            "field_activity": "besøksvenner",
        },
    )
    assert response.status_code == 302
    agreement = Agreement.objects.exclude(pk=world.agreement.pk).get()
    text = agreement.current_version.text
    assert agreement.title == "Avtale om besøksvenner" and agreement.template == template
    assert world.municipality.name in text and world.organisation.display_name in text
    assert "2026-01-01–2031-12-31" in text and "250 000 kroner i året til besøksvenner" in text
    assert [p.title for p in agreement.principles.all()] == ["Åpenhet", "Likeverd"]
    assert {str(p) for p in agreement.parties.all()} == {world.municipality.name, world.organisation.display_name}


def test_an_unfilled_template_field_stays_visible_in_the_text():
    world = make_world()
    template = _own_template(world)
    agreement = services.agreement_create(
        actor=world.coordinator, area=world.municipality, kind="iop", template=template, values={"activity": "x"}
    )
    assert "{budget}" in agreement.current_version.text


def test_another_areas_template_is_404_on_the_create_page_and_nothing_is_created(client):
    world = make_world()
    swede = make_user(full_name="Sven Samordnare")
    grant_area_role(swede, area("SE", "17"), "coordinator")
    foreign = services.template_create(
        actor=swede,
        area=area("SE", "17"),
        title="Värmlands mall",
        language="sv",
        kind="iop",
        sections=[{"heading": "Parter", "text": "{public_body}"}],
    )
    staff_login(client, world.coordinator)
    url = reverse("agreements:create") + f"?template={foreign.pk}"
    assert client.get(url).status_code == 404
    before = Agreement.objects.count()
    post = client.post(
        reverse("agreements:create"),
        {"template": str(foreign.pk), "area": str(world.municipality.pk), "kind": "iop", "title": "X"},
    )
    assert post.status_code == 404 and Agreement.objects.count() == before


def test_without_a_template_a_coordinator_picks_a_principle_set_and_gets_an_empty_text_to_write(client):
    world = make_world()
    staff_login(client, world.coordinator)
    swedish = PrincipleSet.objects.get(code="se-national-agreement")
    response = client.post(
        reverse("agreements:create"),
        {
            "area": str(world.municipality.pk),
            "kind": "grant_agreement",
            "title": "Driftstilskudd 2026",
            "principle_set": str(swedish.pk),
        },
    )
    assert response.status_code == 302
    agreement = Agreement.objects.get(title="Driftstilskudd 2026")
    assert agreement.principles.count() == 6 and agreement.template is None
    assert agreement.current_version.sections == [{"heading": "Driftstilskudd 2026", "text": ""}]


def test_a_create_form_with_errors_answers_422_and_creates_nothing(client):
    world = make_world()
    staff_login(client, world.coordinator)
    before = Agreement.objects.count()
    response = client.post(
        reverse("agreements:create"),
        {
            "area": str(world.municipality.pk),
            "kind": "iop",
            "title": "Kort",
            "starts": "2026-01-01",
            "ends": "2025-01-01",
        },
    )
    assert response.status_code == 422 and "The end date must be after the start date." in response.text
    assert Agreement.objects.count() == before


def test_the_library_links_each_template_to_the_create_page_for_coordinators_only(client):
    world = make_world()
    template = Template.objects.get(code="iop", language="sv")
    staff_login(client, world.coordinator)
    page = client.get(reverse("agreements:library"))
    assert f"{reverse('agreements:create')}?template={template.pk}" in page.text
    client.logout()
    plain_login(client, world.org_admin)
    assert "?template=" not in client.get(reverse("agreements:library")).text


def test_a_public_body_can_be_added_as_a_party_on_the_page(client):
    world = make_world()
    staff_login(client, world.coordinator)
    url = reverse("agreements:parties", args=[world.agreement.pk])
    asker = area("NO", "3203")
    both = client.post(
        url, {"form": "party", "party-organisation": str(world.organisation.pk), "party-area": str(asker.pk)}
    )
    assert both.status_code == 422 and "Choose either an organisation or a public body." in both.text
    assert client.post(url, {"form": "party", "party-area": str(asker.pk)}).status_code == 302
    assert Party.objects.filter(agreement=world.agreement, area=asker).exists()
    assert AuditEvent.objects.filter(action="agreement.party_add", object_id=str(world.agreement.pk)).exists()
    again = client.post(url, {"form": "party", "party-area": str(asker.pk)})
    assert again.status_code == 422 and Party.objects.filter(agreement=world.agreement, area=asker).count() == 1


def test_reminders_become_follow_up_tasks_on_the_register_until_someone_acts(client):
    world = make_world()
    a = _in_force(world, review_in=10, ends_in=100)
    staff_login(client, world.coordinator)
    register = reverse("agreements:register")
    assert "No open follow-up tasks." in client.get(register).text
    assert send_due_reminders() == 2
    page = client.get(register).text
    assert "Start the yearly review" in page and "Decide: renew or end" in page
    services.agreement_transition(actor=world.coordinator, agreement=a, action="start_review")
    page = client.get(register).text
    assert "Start the yearly review" not in page and "Decide: renew or end" in page
    # The review concluded, the same date does not come back as a task.
    services.agreement_transition(actor=world.coordinator, agreement=a, action="conclude_review")
    assert "Start the yearly review" not in client.get(register).text
    Agreement.objects.filter(pk=a.pk).update(renewal_decision="end")
    assert "No open follow-up tasks." in client.get(register).text


def test_follow_up_tasks_of_another_area_are_not_shown(client):
    world = make_world()
    _in_force(world, review_in=10, ends_in=100)
    send_due_reminders()
    other = make_user()
    grant_area_role(other, area("NO", "3203"), "coordinator")
    staff_login(client, other)
    assert "No open follow-up tasks." in client.get(reverse("agreements:register")).text


def test_the_public_register_leads_signed_in_people_to_their_agreements(client):
    world = make_world()
    link = f'href="{reverse("agreements:index")}"'
    assert link not in client.get(reverse("agreements:public_register")).text
    staff_login(client, world.coordinator)
    assert link in client.get(reverse("agreements:public_register")).text


def test_the_agreement_page_links_its_public_page_once_published_and_agreed(client):
    world = make_world()
    staff_login(client, world.coordinator)
    services.agreement_update_details(actor=world.coordinator, agreement=world.agreement, data={"published": True})
    detail = reverse("agreements:detail", args=[world.agreement.pk])
    public = reverse("agreements:public_detail", args=[world.agreement.pk])
    page = client.get(detail).text
    assert public not in page and "Published once the text is agreed" in page
    to_signing(world)
    assert public in client.get(detail).text


def test_a_hearing_on_a_draft_agreement_copies_its_text_and_both_pages_link_each_other(client):
    world = make_world()
    staff_login(client, world.coordinator)
    detail = reverse("agreements:detail", args=[world.agreement.pk])
    create = reverse("dialogue:hearing_create") + f"?agreement={world.agreement.pk}"
    assert create.replace("&", "&amp;") in client.get(detail).text or create in client.get(detail).text
    form = client.get(create)
    assert form.status_code == 200 and "Besøksvenner for eldre." in form.text  # the version's text, prefilled
    now = timezone.localtime()
    response = client.post(
        create,
        {
            "area": str(world.municipality.pk),
            "title": "Høring: samarbeidsavtale",
            "audience": "everyone",
            "opens_at": (now - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (now + datetime.timedelta(days=14)).strftime("%Y-%m-%dT%H:%M"),
            "text": "## 1. Formål\nBesøksvenner for eldre.",
        },
    )
    assert response.status_code == 302
    hearing = world.agreement.hearings.get()
    assert hearing.sections.get().heading == "1. Formål"
    assert reverse("dialogue:hearing", args=[hearing.pk]) in client.get(detail).text
    assert detail in client.get(reverse("dialogue:hearing", args=[hearing.pk])).text


def test_only_the_agreements_coordinators_open_a_hearing_on_it(client):
    world = make_world()
    other = make_user()
    grant_area_role(other, area("NO", "3203"), "coordinator")
    staff_login(client, other)
    create = reverse("dialogue:hearing_create") + f"?agreement={world.agreement.pk}"
    assert client.get(create).status_code == 404
    assert AuditEvent.objects.filter(action="access.denied", object_id=str(world.agreement.pk)).exists()
    assert world.agreement.hearings.count() == 0


def test_an_active_agreement_offers_no_new_hearing(client):
    world = make_world()
    a = _in_force(world, review_in=100, ends_in=1000)
    assert a.status == AgreementStatus.ACTIVE
    staff_login(client, world.coordinator)
    page = client.get(reverse("agreements:detail", args=[a.pk])).text
    assert "?agreement=" not in page and "No hearing has been held on this agreement." in page


def test_the_pdf_of_a_signed_version_ends_with_a_signature_page_naming_every_signature_and_its_hash(client):
    world = make_world()
    a = _in_force(world, review_in=100, ends_in=2000)
    version = a.current_version
    staff_login(client, world.coordinator)
    response = client.get(reverse("agreements:pdf", args=[a.pk, version.number]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    # Printed once when the agreement activated; the download serves the stored bytes.
    assert response.content == a.current_version.signed_pdf.file.open("rb").read()
    # The HTML the PDF is printed from: the text, then a section that starts a new page with every signature.
    html = version_pdf_html(a, version, list(version.signatures.all()))
    text_part, signature_page = html.split('<section class="signature-page">')
    assert "page-break-before: always" in html and version.sections[0]["text"][:20] in text_part
    assert "Kari Koordinator" in signature_page and "Ola Organisasjon" in signature_page
    assert signature_page.count(version.compute_sha256()) >= 3  # the statement and each of the two signatures
