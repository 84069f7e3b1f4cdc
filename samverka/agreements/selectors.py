"""Reads of agreements, scoped to what the actor may see. Private agreements of other areas are 404 + audited."""

import datetime
import uuid
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, F, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from samverka.accounts.access import access_for
from samverka.areas.models import Area
from samverka.audit.services import audit_record

from . import permissions
from .models import (
    IN_FORCE,
    Agreement,
    AgreementPrinciple,
    AgreementStatus,
    AgreementVersion,
    Party,
    PrincipleSet,
    Reminder,
    ReminderKind,
    RenewalDecision,
    Review,
    ReviewScore,
    Signatory,
    Template,
)

PUBLIC_STATUSES = (AgreementStatus.AGREED, AgreementStatus.SIGNING, *IN_FORCE, AgreementStatus.ENDED)
SORTS = {
    "title": ("title", "id"),
    "ends": ("ends", "title", "id"),
    "status": ("status", "title", "id"),
    "updated": ("-updated_at", "id"),
}


def _uuid(value):
    try:
        return uuid.UUID(str(value))
    except (ValueError, TypeError):
        return None


NAME_FIELDS = ("name", "name_nb", "name_sv", "name_fi", "name_en")


def _list_related(qs: QuerySet) -> QuerySet:
    """A list row names its parties: load only the name columns of their areas and organisations."""
    parties = Party.objects.select_related("area", "organisation").only(
        "id",
        "agreement_id",
        "area_id",
        "organisation_id",
        *(f"area__{f}" for f in NAME_FIELDS),
        *(f"organisation__{f}" for f in NAME_FIELDS),
    )
    return qs.select_related("area").prefetch_related(Prefetch("parties", queryset=parties))


def visible_q(actor) -> Q:
    """Agreements in the actor's areas, or with a party they belong to, or that they sign. The party and
    signatory conditions are semi-joins (`pk IN (…)`), not joins: no duplicate rows, no DISTINCT, and the
    database can answer each from its own index."""
    access = access_for(actor)
    if access.is_platform_admin:
        return Q()
    q = access.area_filter("area__path")
    if access.authenticated:
        organisation_ids = list(access.organisation_ids())
        if organisation_ids:
            q |= Q(pk__in=Party.objects.filter(organisation_id__in=organisation_ids).values("agreement_id"))
        q |= Q(pk__in=Signatory.objects.filter(user=actor).values("party__agreement_id"))
    return q


def agreement_list(*, actor, status: str = "", q: str = "", area=None, sort: str = "title") -> QuerySet:
    qs = Agreement.objects.filter(visible_q(actor))
    if status in AgreementStatus.values:
        qs = qs.filter(status=status)
    if q.strip():
        qs = qs.filter(title__icontains=q.strip()[:200])
    if area is not None:
        qs = qs.filter(area__path__startswith=area.path)
    return _list_related(qs.order_by(*SORTS.get(sort, SORTS["title"])))


def _detail_qs() -> QuerySet:
    return Agreement.objects.select_related("area", "current_version", "principle_set").prefetch_related(
        Prefetch(
            "parties",
            queryset=Party.objects.select_related("area", "organisation").prefetch_related(
                Prefetch("signatories", queryset=Signatory.objects.select_related("user"))
            ),
        ),
        Prefetch("principles", queryset=AgreementPrinciple.objects.prefetch_related("commitments")),
    )


def _denied(actor, agreement: Agreement, purpose: str) -> Http404:
    audit_record(
        actor=actor, action="access.denied", obj=agreement, area_id=agreement.area_id, changes={"purpose": purpose}
    )
    return Http404()


def agreement_get(*, actor, pk, purpose: str = "view") -> Agreement:
    """purpose: "view" (read the private record) or "manage" (coordinators)."""
    agreement = _detail_qs().filter(pk=_uuid(pk)).first() if _uuid(pk) else None
    if agreement is None:
        raise Http404
    check = permissions.can_manage if purpose == "manage" else permissions.can_view
    if not check(actor, agreement):
        raise _denied(actor, agreement, purpose)
    return agreement


def agreement_get_public(*, pk) -> Agreement:
    agreement = (
        _detail_qs().filter(pk=_uuid(pk), published=True, status__in=PUBLIC_STATUSES).first() if _uuid(pk) else None
    )
    if agreement is None:
        raise Http404
    return agreement


PUBLIC_SORTS = {
    "area": ("area__name", "title", "id"),
    "title": ("title", "id"),
    "ends": ("ends", "title", "id"),
    "kind": ("kind", "title", "id"),
}


def public_register(*, area: Area | None = None, q: str = "", sort: str = "") -> QuerySet:
    qs = Agreement.objects.filter(published=True, status__in=PUBLIC_STATUSES)
    if area is not None:
        qs = qs.filter(area__path__startswith=area.path)
    if q.strip():
        qs = qs.filter(title__icontains=q.strip()[:200])
    return _list_related(qs.order_by(*PUBLIC_SORTS.get(sort, PUBLIC_SORTS["area"])))


REGISTER_SORTS = {"ends": ("ends", "title", "id"), "title": ("title", "id"), "area": ("area__name", "ends", "id")}


def ending_soon(
    *, actor, area: Area | None = None, today: datetime.date | None = None, months: int = 12, sort: str = "ends"
) -> QuerySet:
    """The register of in-force agreements that end within `months` (default 12), soonest first."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=round(months * 30.44))
    qs = agreement_list(actor=actor, area=area).filter(status__in=IN_FORCE, ends__gte=today, ends__lte=horizon)
    return qs.order_by(*REGISTER_SORTS.get(sort, REGISTER_SORTS["ends"]))


def register_page_rows(qs: QuerySet) -> QuerySet:
    """The register page shows no parties (its CSV does): drop their prefetch and load only what it shows."""
    return qs.prefetch_related(None).only("id", "title", "ends", "status", "renewal_decision", "area_id", "area__name")


def follow_up_tasks(*, actor, area: Area | None = None, limit: int = 50) -> list:
    """The reminders sent whose matter is still open, soonest first: a review date reminded and no review started
    for it, or an end date reminded and no renewal decision. They stay on the register until someone acts; moving
    the date, starting the review, renewing or ending takes them off."""
    from .reminders import review_days

    agreements = agreement_list(actor=actor, area=area).filter(status__in=IN_FORCE).values("pk")
    review_open = Q(kind=ReminderKind.REVIEW, due_date=F("agreement__review_date")) & ~Q(
        agreement__status=AgreementStatus.REVIEW
    )
    end_open = Q(kind=ReminderKind.END, due_date=F("agreement__ends"), agreement__renewal_decision=RenewalDecision.NONE)
    rows = (
        Reminder.objects.filter(agreement_id__in=agreements)
        .filter(review_open | end_open)
        .select_related("agreement__area")
        .prefetch_related(
            Prefetch("agreement__reviews", queryset=Review.objects.only("id", "agreement_id", "created_at"))
        )
        .order_by("due_date", "agreement__title", "id")
    )
    # A review started in the run-up to the review date (or after it) answers that date's reminder.
    window = datetime.timedelta(days=max(review_days(), 60))
    tasks = []
    for row in rows:
        if row.kind == ReminderKind.REVIEW and any(
            timezone.localdate(r.created_at) >= row.due_date - window for r in row.agreement.reviews.all()
        ):
            continue
        tasks.append(row)
        if len(tasks) >= limit:
            break
    return tasks


def areas_with_agreements(*, actor) -> QuerySet:
    """Areas of the agreements the actor may see (for the register's area filter)."""
    ids = Agreement.objects.filter(visible_q(actor)).values("area_id")
    return Area.objects.filter(pk__in=ids).order_by("country", "name")


def versions(agreement: Agreement) -> QuerySet:
    return agreement.versions.select_related("author").prefetch_related("signatures__signatory").order_by("-number")


def version_get(agreement: Agreement, number: int) -> AgreementVersion:
    version = (
        agreement.versions.filter(number=number)
        .prefetch_related(Prefetch("signatures", queryset=Signature_qs()))
        .first()
    )
    if version is None:
        raise Http404
    return version


def Signature_qs():  # noqa: N802 (reads like a queryset name)
    from .models import Signature

    return Signature.objects.select_related("signatory__party__organisation", "signatory__party__area", "user")


def comments_by_section(version: AgreementVersion) -> dict[int, list]:
    grouped = defaultdict(list)
    for c in version.comments.select_related("author", "party__organisation", "party__area"):
        grouped[c.section_index].append(c)
    return grouped


def review_trend(agreement: Agreement) -> list[dict]:
    """Per principle: the mean score of each year, oldest first."""
    rows = (
        ReviewScore.objects.filter(review__agreement=agreement)
        .values("principle_id", "principle__title", "principle__order", "review__year")
        .annotate(avg=Avg("score"))
        .order_by("principle__order", "principle__title", "review__year")
    )
    trend: dict = {}
    for r in rows:
        entry = trend.setdefault(r["principle_id"], {"principle": r["principle__title"], "years": []})
        entry["years"].append(
            {"year": r["review__year"], "score": Decimal(str(r["avg"])).quantize(Decimal("0.1"), ROUND_HALF_UP)}
        )
    return list(trend.values())


def open_disagreements(agreement: Agreement) -> QuerySet:
    return (
        ReviewScore.objects.filter(review__agreement=agreement, disagreement_resolved=False)
        .exclude(disagreement="")
        .select_related("principle", "party__organisation", "party__area", "review")
        .order_by("-review__year", "principle__order")
    )


def templates_for(*, actor, language: str = "") -> QuerySet:
    access = access_for(actor)
    qs = Template.objects.filter(Q(area__isnull=True) | access.area_filter("area__path"))
    if language:
        qs = qs.filter(language=language)
    return qs.select_related("principle_set").order_by("area", "code", "language")


def template_get(*, actor, pk) -> Template | None:
    """A template the actor may start from (shipped, or of their areas); None for anything else."""
    template_id = _uuid(pk) if pk else None
    return templates_for(actor=actor).filter(pk=template_id).first() if template_id else None


def principle_sets_for(*, actor) -> QuerySet:
    access = access_for(actor)
    return PrincipleSet.objects.filter(Q(area__isnull=True) | access.area_filter("area__path")).prefetch_related(
        "principles"
    )


def coordinated_areas(*, actor) -> QuerySet:
    access = access_for(actor)
    if access.is_platform_admin:
        return Area.objects.exclude(kind="country").order_by("country", "depth", "name")
    q = access.area_filter("path", permissions.COORDINATOR)
    return Area.objects.filter(q).order_by("country", "depth", "name") if q else Area.objects.none()
