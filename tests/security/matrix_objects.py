"""Objects the access matrix asks for that the demo data does not link: made through the apps' own services, after
the crawl where they must not change what it finds (test_access_matrix.py uses them)."""

from django.urls import reverse

from samverka.accounts.models import ApiToken, User, hash_token
from samverka.accounts.tests.factories import make_user
from samverka.areas.models import Area

from .crawl import Form

# The metrics row with METRICS_ENABLED off (the page table asks for /metrics both ways).
METRICS_OFF = "metrics (METRICS_ENABLED off)"


def objects_the_demo_does_not_link():
    """Objects whose pages and actions the demo data has no link to: an open change proposal, a pending
    invitation and an API token of the own-area coordinator. The crawl then finds them like any other."""
    from samverka.accounts.services.invitations import invitation_create
    from samverka.catalogue import services as catalogue
    from samverka.catalogue.models import Service

    coordinator = User.objects.get(email="coordinator.akershus@samverka.example")
    ngo_admin = User.objects.get(email="ngo.akershus@samverka.example")
    invitation = invitation_create(
        actor=coordinator,
        email="matrix.invited@samverka.example",
        area=Area.objects.get(country="NO", kind="county", code="32"),
        area_role="viewer",
    )
    raw = ApiToken.generate_raw()
    ApiToken.objects.create(user=coordinator, name="matrix", token_hash=hash_token(raw), last_four=raw[-4:])
    service = Service.objects.filter(organisation__roles__user=ngo_admin).order_by("pk").first()
    catalogue.service_update(actor=ngo_admin, service=service, data={"summary_nb": "Endret av matrisen."})
    return invitation


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _states_the_demo_lacks(akershus, coordinator, ngo_admin) -> dict[str, str]:
    """Objects in states the demo does not reach, made through the apps' own services: a hearing with its report
    published, a meeting file, an agreement being signed (the Akershus coordinator and the NGO admin sign), an
    accreditation application with a document (by an organisation made here) and a resident's choice link made
    as the officer's page makes it. Returns url name -> URL."""
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from samverka.accounts.tests.factories import grant_organisation_role, make_organisation
    from samverka.agreements import services as agreements
    from samverka.agreements.models import PrincipleSet, Template
    from samverka.dialogue import hearings
    from samverka.dialogue import services as dialogue
    from samverka.dialogue.models import Meeting
    from samverka.vouchers import services as vouchers
    from samverka.vouchers.models import AccreditationDocument, Voucher, VoucherScheme, VoucherStatus

    now = timezone.now()
    baerum = Area.objects.get(country="NO", kind="municipality", code="3201")
    hearing = hearings.hearing_create(
        actor=coordinator,
        area=akershus,
        title="Matrisens høring",
        opens_at=now - datetime.timedelta(days=3),
        closes_at=now + datetime.timedelta(days=3),
        sections=[{"heading": "1. Mål", "text": "Matrisens tekst."}],
    )
    for action in ("open", "close", "publish_report"):
        hearing = hearings.hearing_transition(actor=coordinator, hearing=hearing, action=action, summary="Oppsummert.")
    meeting = Meeting.objects.filter(forum__area=akershus).earliest("starts_at")
    attachment = dialogue.attachment_add(
        actor=coordinator, meeting=meeting, upload=SimpleUploadedFile("referat.pdf", PDF, "application/pdf")
    )
    org = ngo_admin.organisation_roles.filter(role="admin").earliest("pk").organisation
    agreement = agreements.agreement_create(
        actor=coordinator,
        area=baerum,
        kind="municipal_cooperation",
        title="Matrisens avtale",
        template=Template.objects.get(code="municipal-cooperation", language="nb"),
        organisations=[org],
        starts=datetime.date(2026, 1, 1),
        ends=datetime.date(2030, 12, 31),
        values={"purpose": "Matrisen.", "contact": "Matrisen."},
        principle_set=PrincipleSet.objects.get(code="no-state-nonprofit-agreement"),
    )
    public, org_party = sorted(agreement.parties.all(), key=lambda p: p.organisation_id is not None)
    agreements.signatory_add(actor=coordinator, party=public, user=coordinator, position="Kommunedirektør")
    agreements.signatory_add(actor=coordinator, party=org_party, user=ngo_admin, position="Styreleder")
    for action in ("open_consultation", "agree", "start_signing"):
        agreement = agreements.agreement_transition(actor=coordinator, agreement=agreement, action=action)
    scheme = VoucherScheme.objects.filter(area=baerum).earliest("created_at")
    applicant_org = make_organisation("Matrisens leverandør", areas=[baerum])
    applicant = make_user("matrix.applicant@samverka.example")
    grant_organisation_role(applicant, applicant_org, "admin")
    accreditation = vouchers.accreditation_apply(
        actor=applicant,
        scheme=scheme,
        organisation=applicant_org,
        data={"price": "400", "answers": dict.fromkeys(scheme.criteria, "Ja.")},
        documents=[("Kvalitet", SimpleUploadedFile("kvalitet.pdf", PDF, "application/pdf"))],
    )
    document = AccreditationDocument.objects.get(accreditation=accreditation)
    officer = User.objects.get(email="officer.akershus@samverka.example")
    voucher = Voucher.objects.filter(scheme=scheme, status=VoucherStatus.ACTIVE).latest("created_at")
    token, _expires = vouchers.choice_link_create(actor=officer, voucher=voucher)
    return {
        "dialogue:hearing_report": reverse("dialogue:hearing_report", args=[hearing.pk]),
        "dialogue:attachment": reverse("dialogue:attachment", args=[meeting.pk, attachment.pk]),
        "agreements:sign": reverse("agreements:sign", args=[agreement.pk]),
        "vouchers:accreditation_document": reverse(
            "vouchers:accreditation_document", args=[accreditation.pk, document.pk]
        ),
        "vouchers:resident_choose": reverse("vouchers:resident_choose", args=[token]),
    }


def token_and_link_objects(invitation) -> tuple[dict[str, str], dict[str, Form]]:
    """Pages and actions reached only by a token or a one-off link, which no crawl finds: their secrets and objects
    made here (after the crawl, so the crawled pages stay as the demo has them). Returns pages (url name -> URL)
    and POST actions (url name -> form)."""
    from django.contrib.auth.tokens import default_token_generator
    from django.utils import timezone
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from samverka.accounts.services.invitations import invitation_token
    from samverka.agreements import services as agreements
    from samverka.agreements.models import Agreement, Review
    from samverka.dialogue import hearings
    from samverka.dialogue.models import CalendarToken, Hearing
    from samverka.vouchers import services as vouchers
    from samverka.vouchers.models import Voucher

    akershus = Area.objects.get(country="NO", kind="county", code="32")
    coordinator = User.objects.get(email="coordinator.akershus@samverka.example")
    ngo_admin = User.objects.get(email="ngo.akershus@samverka.example")
    reset_user = make_user("matrix.reset@samverka.example")
    calendar = CalendarToken.objects.get_or_create(user=coordinator)[0]
    # A claim of this month (not settled), by the provider, which the officer may correct.
    voucher = Voucher.objects.filter(provider__organisation__roles__user=ngo_admin).order_by("created_at").first()
    claim, _created = vouchers.claim_create(
        actor=ngo_admin,
        voucher_id=voucher.pk,
        idempotency_key="matrix-reversible",
        units="1",
        service_date=timezone.localdate(),
    )
    # The Akershus agreement under review, with the NGO's score disagreeing: the coordinator may resolve it.
    agreement = Agreement.objects.get(area__parent=akershus)
    agreement = agreements.agreement_transition(actor=coordinator, agreement=agreement, action="start_review")
    review = Review.objects.filter(agreement=agreement).order_by("-year").first()
    score = agreements.review_score_set(
        actor=ngo_admin,
        review=review,
        principle=agreement.principles.order_by("order").first(),
        party=agreement.parties.filter(organisation__isnull=False).order_by("pk").first(),
        score=2,
        disagreement="Matrisen er uenig.",
    )
    hearing = Hearing.objects.get(area=akershus)
    comment = hearings.comment_add(actor=ngo_admin, hearing=hearing, text="Matrisens kommentar.")
    hearings.comment_moderate(actor=coordinator, comment=comment, publish=True)
    lacking = _states_the_demo_lacks(akershus, coordinator, ngo_admin)
    pages = {
        **lacking,
        "accounts:mfa_verify": reverse("accounts:mfa_verify"),
        "healthz": reverse("healthz"),
        "metrics": reverse("metrics"),
        METRICS_OFF: reverse("metrics"),
        "api-v1:api-root": reverse("api-v1:api-root"),
        "hsds:api-root": reverse("hsds:api-root"),
        "api-v1:openapi-json": reverse("api-v1:openapi-json"),
        "hsds:openapi-json": reverse("hsds:openapi-json"),
        "accounts:accept_invitation": reverse("accounts:accept_invitation", args=[invitation_token(invitation)]),
        "accounts:password_reset_confirm": reverse(
            "accounts:password_reset_confirm",
            args=[urlsafe_base64_encode(force_bytes(reset_user.pk)), default_token_generator.make_token(reset_user)],
        ),
        "accounts:password_reset_done": reverse("accounts:password_reset_done"),
        "accounts:password_reset_complete": reverse("accounts:password_reset_complete"),
        "accounts:password_change_done": reverse("accounts:password_change_done"),
        "agreements:register_csv": reverse("agreements:register_csv"),
        "dialogue:user_ics": reverse("dialogue:user_ics", args=[calendar.token]),
        "vouchers:claim_reverse": reverse("vouchers:claim_reverse", args=[claim.pk]),
        "api-v1:openapi-view": reverse("api-v1:openapi-view"),
        "hsds:openapi-view": reverse("hsds:openapi-view"),
    }
    actions = {
        "agreements:resolve": reverse("agreements:resolve", args=[agreement.pk, score.pk]),
        "dialogue:support": reverse("dialogue:support", args=[hearing.pk, comment.pk]),
        "vouchers:claim_reverse": pages["vouchers:claim_reverse"],
    }
    return pages, {route: Form(url, url, "post") for route, url in actions.items()}
