"""The yearly review: each party scores each principle 1–5 with a comment and evidence links."""

from urllib.parse import urlparse

from django.db import transaction
from django.utils.translation import gettext as _

from samverka.audit.services import audit_record

from .. import permissions
from ..models import AgreementPrinciple, AgreementStatus, Party, Review, ReviewScore, ReviewStatus
from .common import Forbidden, invalid, locked, require_manager, require_status

MAX_LINKS = 10


def _clean_links(links) -> list[str]:
    if isinstance(links, str):
        links = links.split()
    cleaned = []
    for link in links or []:
        link = str(link).strip()
        if not link:
            continue
        parsed = urlparse(link)
        if parsed.scheme not in ("http", "https") or not parsed.netloc or len(link) > 500:
            raise invalid({"evidence_links": [_("Evidence links must be web addresses starting with https://.")]})
        cleaned.append(link)
    if len(cleaned) > MAX_LINKS:
        raise invalid({"evidence_links": [_("At most %(n)d links.") % {"n": MAX_LINKS}]})
    return cleaned


def review_score_set(
    *,
    actor,
    review: Review,
    principle: AgreementPrinciple,
    party: Party,
    score,
    comment: str = "",
    evidence_links=(),
    disagreement: str = "",
) -> ReviewScore:
    try:
        score = int(score)
    except (TypeError, ValueError):
        score = 0
    if not 1 <= score <= 5:
        raise invalid({"score": [_("Give a score from 1 to 5.")]})
    links = _clean_links(evidence_links)
    with transaction.atomic():
        agreement = locked(review.agreement)
        require_status(agreement, (AgreementStatus.REVIEW,), _("score the review"))
        review = Review.objects.get(pk=review.pk)
        if review.status != ReviewStatus.OPEN:
            raise invalid({"review": [_("This review is closed.")]})
        if principle.agreement_id != agreement.pk or party.agreement_id != agreement.pk:
            raise invalid({"principle": [_("Choose a principle and a party of this agreement.")]})
        if party not in permissions.parties_user_speaks_for(actor, agreement):
            raise Forbidden(_("You cannot score for this party."))
        row, created = ReviewScore.objects.update_or_create(
            review=review,
            principle=principle,
            party=party,
            defaults={
                "score": score,
                "comment": comment.strip()[:5000],
                "evidence_links": links,
                "disagreement": disagreement.strip()[:5000],
                "disagreement_resolved": False,
                "author": actor,
            },
        )
        audit_record(
            actor=actor,
            action="agreement.review_score",
            obj=agreement,
            area_id=agreement.area_id,
            changes={
                "year": review.year,
                "principle": principle.title,
                "party": str(party),
                "score": score,
                "created": created,
            },
        )
    return row


def review_disagreement_resolve(*, actor, score: ReviewScore) -> ReviewScore:
    with transaction.atomic():
        agreement = locked(score.review.agreement)
        require_manager(actor, agreement)
        score = ReviewScore.objects.select_for_update().get(pk=score.pk)
        if not score.disagreement or score.disagreement_resolved:
            raise invalid({"disagreement": [_("There is no open disagreement here.")]})
        score.disagreement_resolved = True
        score.save(update_fields=["disagreement_resolved", "updated_at"])
        audit_record(
            actor=actor,
            action="agreement.disagreement_resolve",
            obj=agreement,
            area_id=agreement.area_id,
            changes={"principle": score.principle.title},
        )
    return score
