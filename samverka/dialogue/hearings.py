"""Hearing services: open a document for comments, moderate, support, respond, publish the report."""

import datetime
import hashlib

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from samverka.accounts.access import access_for
from samverka.audit.services import audit_record
from samverka.core.errors import ConflictError, DomainError, ValidationError

from . import permissions
from .hearing_models import (
    Audience,
    CommentStatus,
    CommentSupport,
    Hearing,
    HearingComment,
    HearingSection,
    HearingStatus,
)

RATE_LIMIT = 5  # anonymous comments per client IP and hearing within RATE_WINDOW_MINUTES
RATE_WINDOW_MINUTES = 10


class RateLimited(DomainError):
    status_code = 429


def _invalid(errors):
    return ValidationError(_("Please correct the errors below."), errors)


def _require_manager(actor, hearing_or_area):
    area = getattr(hearing_or_area, "area", hearing_or_area)
    if not permissions.can_manage_area(actor, area):
        from .services import Forbidden

        raise Forbidden(_("Only the coordinators of the area may do this."))


def hearing_create(
    *,
    actor,
    area,
    title: str,
    sections: list[dict],
    opens_at: datetime.datetime,
    closes_at: datetime.datetime,
    intro: str = "",
    audience: str = Audience.EVERYONE,
    agreement=None,
) -> Hearing:
    """`agreement`: the draft agreement the hearing is about (its coordinators only), linked both ways."""
    _require_manager(actor, area)
    if agreement is not None:
        from samverka.agreements.permissions import can_manage as can_manage_agreement

        if not can_manage_agreement(actor, agreement):
            raise _invalid({"agreement": [_("You can open a hearing only on an agreement you coordinate.")]})
    errors = {}
    if not title.strip():
        errors["title"] = [_("Give the hearing a title.")]
    if closes_at <= opens_at:
        errors["closes_at"] = [_("The hearing must close after it opens.")]
    if not sections:
        errors["sections"] = [_("The document needs at least one section.")]
    if audience not in Audience.values:
        errors["audience"] = [_("Choose who may comment.")]
    if errors:
        raise _invalid(errors)
    with transaction.atomic():
        hearing = Hearing.objects.create(
            area=area,
            title=title.strip()[:300],
            intro=intro.strip(),
            audience=audience,
            opens_at=opens_at,
            closes_at=closes_at,
            agreement=agreement,
        )
        HearingSection.objects.bulk_create(
            HearingSection(hearing=hearing, order=i, heading=s["heading"][:300], text=s.get("text", ""))
            for i, s in enumerate(sections)
        )
        audit_record(
            actor=actor,
            action="hearing.create",
            obj=hearing,
            area_id=area.pk,
            changes={"title": title, "agreement": str(agreement.pk) if agreement else None},
        )
    return hearing


def hearing_transition(*, actor, hearing: Hearing, action: str, summary: str = "") -> Hearing:
    allowed = {
        "open": (HearingStatus.DRAFT, HearingStatus.OPEN),
        "close": (HearingStatus.OPEN, HearingStatus.CLOSED),
        "publish_report": (HearingStatus.CLOSED, HearingStatus.REPORTED),
    }
    if action not in allowed:
        raise _invalid({"action": [_("Unknown action.")]})
    source, target = allowed[action]
    with transaction.atomic():
        hearing = Hearing.objects.select_for_update().select_related("area").get(pk=hearing.pk)
        _require_manager(actor, hearing)
        if hearing.status != source:
            raise ConflictError(
                _("This cannot be done while the hearing is “%(s)s”.") % {"s": hearing.get_status_display()}
            )
        if action == "publish_report":
            if not summary.strip():
                raise _invalid({"summary": [_("Write the summary of the hearing.")]})
            unanswered = hearing.comments.filter(status=CommentStatus.PUBLISHED, response="").count()
            if unanswered:
                raise _invalid({"summary": [_("%(n)d published comments have no response yet.") % {"n": unanswered}]})
            hearing.summary = summary.strip()
        hearing.status = target
        hearing.save()
        audit_record(
            actor=actor,
            action=f"hearing.{action}",
            obj=hearing,
            area_id=hearing.area_id,
            changes={"status": {"before": source, "after": target}},
        )
    return hearing


def is_open(hearing: Hearing, now=None) -> bool:
    now = now or timezone.now()
    return hearing.status == HearingStatus.OPEN and hearing.opens_at <= now < hearing.closes_at


def client_hash_for(hearing: Hearing, client_ip: str) -> str:
    """The IP is never stored: only a keyed hash that is different for every hearing."""
    raw = f"{settings.SECRET_KEY}:{hearing.pk}:{client_ip or 'unknown'}"
    return hashlib.sha256(raw.encode()).hexdigest()


def recent_anonymous_comments(hearing: Hearing, client_hash: str, now=None) -> int:
    since = (now or timezone.now()) - datetime.timedelta(minutes=RATE_WINDOW_MINUTES)
    return HearingComment.objects.filter(hearing=hearing, client_hash=client_hash, created_at__gte=since).count()


def comment_add(
    *,
    actor,
    hearing: Hearing,
    text: str,
    section: HearingSection | None = None,
    name: str = "",
    organisation=None,
    client_ip: str = "",
) -> HearingComment:
    """Anyone may comment while the hearing is open (organisations as the organisation). Comments wait for
    moderation; without an account a client IP may post RATE_LIMIT comments per hearing within
    RATE_WINDOW_MINUTES, counted in the database so every web process sees the same count."""
    text = text.strip()
    if not text:
        raise _invalid({"text": [_("Write a comment.")]})
    if len(text) > 10_000:
        raise _invalid({"text": [_("A comment may hold at most 10,000 characters.")]})
    if not is_open(hearing):
        raise ConflictError(_("The hearing is not open for comments."))
    if section is not None and section.hearing_id != hearing.pk:
        raise _invalid({"section": [_("Choose a section of this document.")]})
    access = access_for(actor)
    if organisation is not None and organisation.pk not in access.organisation_ids():
        raise _invalid({"organisation": [_("You can comment only for your own organisations.")]})
    if hearing.audience == Audience.ORGANISATIONS and organisation is None:
        raise _invalid({"organisation": [_("This hearing is for organisations: comment as your organisation.")]})
    if hearing.audience == Audience.RESIDENTS and organisation is not None:
        raise _invalid({"organisation": [_("This hearing is for residents.")]})
    client_hash = "" if access.authenticated else client_hash_for(hearing, client_ip)
    with transaction.atomic():
        if client_hash:
            # Lock the hearing row so two processes cannot both pass the count (PostgreSQL; SQLite serialises
            # writers anyway).
            Hearing.objects.select_for_update().filter(pk=hearing.pk).first()
            if recent_anonymous_comments(hearing, client_hash) >= RATE_LIMIT:
                raise RateLimited(_("Too many comments in a short time. Try again in a few minutes."))
        comment = HearingComment.objects.create(
            hearing=hearing,
            section=section,
            author=actor if access.authenticated else None,
            organisation=organisation,
            name=name.strip()[:200],
            text=text,
            client_hash=client_hash,
        )
        audit_record(
            actor=actor,
            action="hearing.comment_add",
            obj=hearing,
            area_id=hearing.area_id,
            changes={"comment": str(comment.pk)},
        )
    return comment


def comment_moderate(*, actor, comment: HearingComment, publish: bool) -> HearingComment:
    with transaction.atomic():
        comment = HearingComment.objects.select_for_update().select_related("hearing__area").get(pk=comment.pk)
        _require_manager(actor, comment.hearing)
        if comment.status != CommentStatus.PENDING:
            raise ConflictError(_("This comment has already been moderated."))
        comment.status = CommentStatus.PUBLISHED if publish else CommentStatus.REJECTED
        comment.save()
        audit_record(
            actor=actor,
            action="hearing.comment_moderate",
            obj=comment.hearing,
            area_id=comment.hearing.area_id,
            changes={"comment": str(comment.pk), "status": comment.status},
        )
    return comment


def comment_respond(*, actor, comments: list[HearingComment], response: str) -> int:
    """The coordinator's response to one comment or a group of comments (after the hearing closed)."""
    response = response.strip()
    if not response or not comments:
        raise _invalid({"response": [_("Choose comments and write a response.")]})
    hearing = Hearing.objects.select_related("area").get(pk=comments[0].hearing_id)
    _require_manager(actor, hearing)
    if hearing.status != HearingStatus.CLOSED or any(c.hearing_id != hearing.pk for c in comments):
        raise ConflictError(_("Responses are written after the hearing closes."))
    with transaction.atomic():
        n = HearingComment.objects.filter(pk__in=[c.pk for c in comments], status=CommentStatus.PUBLISHED).update(
            response=response
        )
        audit_record(
            actor=actor, action="hearing.respond", obj=hearing, area_id=hearing.area_id, changes={"comments": n}
        )
    return n


def comment_support(*, comment: HearingComment, supporter_key: str) -> bool:
    """Support a published comment once per person (user id or anonymous session hash)."""
    published = HearingComment.objects.filter(pk=comment.pk, status=CommentStatus.PUBLISHED).exists()
    if not published or not supporter_key:
        raise ConflictError(_("Only published comments can be supported."))
    with transaction.atomic():
        _row, created = CommentSupport.objects.get_or_create(comment=comment, supporter_key=supporter_key[:64])
        if created:
            HearingComment.objects.filter(pk=comment.pk).update(supports=F("supports") + 1)
    return created
