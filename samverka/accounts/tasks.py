"""Background work for accounts. Each task is safe to run twice."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from .models import Invitation


@task()
def send_invitation_email(invitation_id: str) -> bool:
    """Send the invitation e-mail once; a second run (or a revoked/expired invitation) sends nothing."""
    from .services.invitations import invitation_token

    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("area", "organisation", "invited_by")
            .filter(pk=invitation_id)
            .first()
        )
        if invitation is None or invitation.email_sent_at is not None or not invitation.is_usable:
            return False
        base = getattr(settings, "SAMVERKA_BASE_URL", "http://localhost:8000").rstrip("/")
        with translation.override(invitation.language or settings.LANGUAGE_CODE):
            context = {
                "invitation": invitation,
                "target": invitation.target,
                "role": invitation.get_role_display(),
                "inviter": invitation.invited_by,
                "url": base + reverse("accounts:accept_invitation", args=[invitation_token(invitation)]),
                "site_name": settings.SAMVERKA_SITE_NAME,
            }
            subject = " ".join(render_to_string("accounts/email/invitation_subject.txt", context).split())
            body = render_to_string("accounts/email/invitation_body.txt", context)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email])
        invitation.email_sent_at = timezone.now()
        invitation.save(update_fields=["email_sent_at", "updated_at"])
    return True
