"""CSV exports of a forum's action items and decisions (everything the forum page lists, all pages)."""

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from samverka.agreements.csvexport import CHUNK, csv_response

from .. import selectors


def _date(value) -> str:
    return value.isoformat() if value else ""


def forum_actions_csv(request: HttpRequest, pk):
    forum = selectors.forum_get(actor=request.user, pk=pk)
    status = request.GET.get("status", "")
    qs = selectors.forum_actions(forum, status=status, sort=request.GET.get("sort", ""))
    header = [_("Action"), _("Owner"), _("Due"), _("Status"), _("Meeting"), _("Meeting date"), _("Decision"), _("Id")]

    def rows():
        for a in qs.iterator(chunk_size=CHUNK):
            yield [
                a.title,
                a.owner,
                _date(a.due),
                a.get_status_display(),
                a.meeting.title,
                _date(timezone.localtime(a.meeting.starts_at).date()),
                a.decision.text if a.decision_id else "",
                a.pk,
            ]

    return csv_response(header, rows(), "forum-actions")


def forum_decisions_csv(request: HttpRequest, pk):
    """One row per decision and action (a decision without actions gets one row with empty action columns)."""
    forum = selectors.forum_get(actor=request.user, pk=pk)
    qs = selectors.decisions_with_outcomes(forum)
    header = [_("Meeting date"), _("Meeting"), _("Decision"), _("Action"), _("Owner"), _("Due"), _("Status")]

    def rows():
        for d in qs.iterator(chunk_size=CHUNK):
            date = _date(timezone.localtime(d.meeting.starts_at).date())
            actions = list(d.actions.all())
            if not actions:
                yield [date, d.meeting.title, d.text, "", "", "", ""]
            for a in actions:
                yield [date, d.meeting.title, d.text, a.title, a.owner, _date(a.due), a.get_status_display()]

    return csv_response(header, rows(), "forum-decisions")
