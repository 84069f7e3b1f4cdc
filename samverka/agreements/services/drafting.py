"""Creating agreements, their parties, principles, commitments and versions of the text."""

import datetime
from collections.abc import Iterable, Mapping

from django.db import transaction
from django.utils.translation import gettext as _

from samverka.audit.services import audit_record, diff, snapshot
from samverka.core.errors import ConflictError

from .. import permissions
from ..models import (
    TEXT_EDITABLE,
    Agreement,
    AgreementKind,
    AgreementPrinciple,
    AgreementStatus,
    AgreementVersion,
    Commitment,
    Party,
    PrincipleSet,
    SectionComment,
    Signatory,
    Template,
)
from .common import Forbidden, clean_sections, fill, invalid, locked, require_manager, require_status

AGREEMENT_FIELDS = ("kind", "title", "status", "starts", "ends", "review_date", "published", "renewal_decision")


def _validate_dates(starts, ends, review_date) -> None:
    errors = {}
    if starts and ends and ends <= starts:
        errors["ends"] = [_("The end date must be after the start date.")]
    if review_date and starts and review_date < starts:
        errors["review_date"] = [_("The review date cannot be before the start date.")]
    if errors:
        raise invalid(errors)


def _template_values(template: Template | None, values: Mapping[str, str], area, organisations, starts, ends) -> dict:
    filled = {
        "public_body": area.name,
        "organisation": ", ".join(o.display_name for o in organisations),
        "start_date": starts.isoformat() if starts else "",
        "end_date": ends.isoformat() if ends else "",
    }
    filled.update({k: str(v).strip()[:5000] for k, v in values.items() if str(v).strip()})
    return filled


def agreement_create(
    *,
    actor,
    area,
    kind: str,
    title: str = "",
    starts: datetime.date | None = None,
    ends: datetime.date | None = None,
    review_date: datetime.date | None = None,
    template: Template | None = None,
    values: Mapping[str, str] | None = None,
    organisations: Iterable = (),
    principle_set: PrincipleSet | None = None,
    sections: list | None = None,
) -> Agreement:
    """A draft agreement in `area`: parties are the area and `organisations`; the text comes from the template
    (placeholders filled from parties, dates and `values`) or from `sections`."""
    if not permissions.can_manage_area(actor, area):
        raise Forbidden(_("Only the coordinators of the area may create agreements."))
    if kind not in AgreementKind.values:
        raise invalid({"kind": [_("Choose a kind of agreement.")]})
    organisations = list(dict.fromkeys(organisations))
    _validate_dates(starts, ends, review_date)
    values = _template_values(template, values or {}, area, organisations, starts, ends)
    if template is not None:
        title = title.strip() or fill(template.title, values)
        sections = [{"heading": fill(s["heading"], values), "text": fill(s["text"], values)} for s in template.sections]
        principle_set = principle_set or template.principle_set
    title = (title or "").strip()[:300]
    if not title:
        raise invalid({"title": [_("Give the agreement a title.")]})
    if sections is None:
        sections = [{"heading": title, "text": ""}]
    sections = clean_sections(sections)
    with transaction.atomic():
        agreement = Agreement(
            kind=kind,
            title=title,
            area=area,
            starts=starts,
            ends=ends,
            review_date=review_date,
            template=template,
            principle_set=principle_set,
            created_by=actor if actor and actor.is_authenticated else None,
        )
        agreement.full_clean(exclude=["current_version"])
        agreement.save()
        Party.objects.create(agreement=agreement, area=area)
        for org in organisations:
            Party.objects.create(agreement=agreement, organisation=org)
        if principle_set is not None:
            AgreementPrinciple.objects.bulk_create(
                AgreementPrinciple(agreement=agreement, principle=p, order=p.order, title=p.display_title)
                for p in principle_set.principles.all()
            )
        version = AgreementVersion.objects.create(
            agreement=agreement,
            number=1,
            title=title,
            sections=sections,
            author=agreement.created_by,
            note=_("First draft"),
        )
        agreement.current_version = version
        agreement.save(update_fields=["current_version", "updated_at"])
        audit_record(
            actor=actor,
            action="agreement.create",
            obj=agreement,
            area_id=area.pk,
            changes=diff({}, snapshot(agreement, AGREEMENT_FIELDS)),
        )
    return agreement


def agreement_update_details(*, actor, agreement: Agreement, data: Mapping) -> Agreement:
    """Dates and publication; the title and text change only through new versions."""
    with transaction.atomic():
        agreement = locked(agreement)
        require_manager(actor, agreement)
        before = snapshot(agreement, AGREEMENT_FIELDS)
        for field in ("starts", "ends", "review_date", "published"):
            if field in data:
                setattr(agreement, field, data[field])
        _validate_dates(agreement.starts, agreement.ends, agreement.review_date)
        agreement.save()
        audit_record(
            actor=actor,
            action="agreement.update",
            obj=agreement,
            area_id=agreement.area_id,
            changes=diff(before, snapshot(agreement, AGREEMENT_FIELDS)),
        )
    return agreement


def party_add(*, actor, agreement: Agreement, organisation=None, area=None) -> Party:
    with transaction.atomic():
        agreement = locked(agreement)
        require_manager(actor, agreement)
        require_status(agreement, (AgreementStatus.DRAFT, AgreementStatus.CONSULTATION), _("add a party"))
        if (organisation is None) == (area is None):
            raise invalid({"organisation": [_("Choose an organisation or a public body.")]})
        if agreement.parties.filter(organisation=organisation, area=area).exists():
            raise invalid({"organisation": [_("This party is already in the agreement.")]})
        party = Party.objects.create(agreement=agreement, organisation=organisation, area=area)
        audit_record(
            actor=actor,
            action="agreement.party_add",
            obj=agreement,
            area_id=agreement.area_id,
            organisation_id=getattr(organisation, "pk", None),
            changes={"party": str(party)},
        )
    return party


def signatory_add(*, actor, party: Party, user, name: str = "", position: str = "") -> Signatory:
    with transaction.atomic():
        agreement = locked(party.agreement)
        require_manager(actor, agreement)
        require_status(
            agreement,
            (AgreementStatus.DRAFT, AgreementStatus.CONSULTATION, AgreementStatus.AGREED, AgreementStatus.REVIEW),
            _("name a signatory"),
        )
        if party.signatories.filter(user=user).exists():
            raise invalid({"user": [_("This person is already a signatory for this party.")]})
        signatory = Signatory(
            party=party,
            user=user,
            name=(name or user.full_name or user.email).strip()[:200],
            position=position.strip()[:200],
        )
        signatory.full_clean()
        signatory.save()
        audit_record(
            actor=actor,
            action="agreement.signatory_add",
            obj=agreement,
            area_id=agreement.area_id,
            changes={"party": str(party), "signatory": signatory.name, "user": str(user.pk)},
        )
    return signatory


def principle_add(*, actor, agreement: Agreement, title: str) -> AgreementPrinciple:
    title = title.strip()[:200]
    if not title:
        raise invalid({"title": [_("Give the principle a title.")]})
    with transaction.atomic():
        agreement = locked(agreement)
        require_manager(actor, agreement)
        require_status(agreement, TEXT_EDITABLE, _("add a principle"))
        order = agreement.principles.count() + 1
        principle = AgreementPrinciple.objects.create(agreement=agreement, title=title, order=order)
        audit_record(
            actor=actor,
            action="agreement.principle_add",
            obj=agreement,
            area_id=agreement.area_id,
            changes={"principle": title},
        )
    return principle


def commitment_set(*, actor, principle: AgreementPrinciple, party: Party, text: str) -> Commitment:
    """A party's commitment under a principle (written by the coordinators or by that party)."""
    text = text.strip()
    if not text:
        raise invalid({"text": [_("Write the commitment.")]})
    with transaction.atomic():
        agreement = locked(principle.agreement)
        require_status(agreement, TEXT_EDITABLE, _("change a commitment"))
        if party.agreement_id != agreement.pk or not (
            permissions.can_manage(actor, agreement) or party in permissions.parties_user_speaks_for(actor, agreement)
        ):
            raise Forbidden(_("You cannot write commitments for this party."))
        commitment, _created = Commitment.objects.get_or_create(
            principle=principle, party=party, defaults={"text": text}
        )
        before = commitment.text if not _created else ""
        commitment.text = text
        commitment.save()
        audit_record(
            actor=actor,
            action="agreement.commitment_set",
            obj=agreement,
            area_id=agreement.area_id,
            changes={"commitment": {"before": before, "after": text}, "party": str(party)},
        )
    return commitment


def version_create(*, actor, agreement: Agreement, title: str, sections: list, note: str = "") -> AgreementVersion:
    """Every change of text is a new version. During review a new version is an amendment needing new signatures."""
    sections = clean_sections(sections)
    title = (title or "").strip()[:300]
    if not title:
        raise invalid({"title": [_("Give the agreement a title.")]})
    with transaction.atomic():
        agreement = locked(agreement)
        require_manager(actor, agreement)
        require_status(agreement, TEXT_EDITABLE, _("change the text"))
        current = agreement.versions.order_by("-number").first()
        if current and current.title == title and current.sections == sections:
            raise ConflictError(_("The text is the same as the current version."))
        version = AgreementVersion.objects.create(
            agreement=agreement,
            number=(current.number + 1) if current else 1,
            title=title,
            sections=sections,
            note=note.strip()[:500],
            author=actor if actor and actor.is_authenticated else None,
        )
        before_title = agreement.title
        agreement.current_version = version
        agreement.title = title
        agreement.save(update_fields=["current_version", "title", "updated_at"])
        audit_record(
            actor=actor,
            action="agreement.version_create",
            obj=agreement,
            area_id=agreement.area_id,
            changes={
                "version": {"before": current.number if current else None, "after": version.number},
                "title": {"before": before_title, "after": title},
                "text_sha256": version.text_sha256,
            },
        )
    return version


def comment_add(*, actor, agreement: Agreement, section_index: int, text: str, party: Party | None = None):
    """Parties comment on sections of the current version while the agreement is in consultation."""
    text = text.strip()
    if not text:
        raise invalid({"text": [_("Write a comment.")]})
    with transaction.atomic():
        agreement = locked(agreement)
        require_status(agreement, (AgreementStatus.CONSULTATION,), _("comment"))
        if not permissions.can_comment(actor, agreement):
            raise Forbidden(_("Only the parties may comment."))
        version = agreement.version
        if not 0 <= section_index < len(version.sections):
            raise invalid({"section_index": [_("Choose a section of the text.")]})
        if party is None:
            speaks = permissions.parties_user_speaks_for(actor, agreement)
            party = speaks[0] if speaks else None
        comment = SectionComment.objects.create(
            version=version, section_index=section_index, author=actor, party=party, text=text[:10_000]
        )
        audit_record(
            actor=actor,
            action="agreement.comment_add",
            obj=agreement,
            area_id=agreement.area_id,
            changes={"section": section_index, "version": version.number},
        )
    return comment
