"""iCalendar (RFC 5545) for meetings: one event per meeting, feeds per forum and per person."""

from collections.abc import Iterable

from django.conf import settings
from icalendar import Calendar, Event, vCalAddress, vText

from .models import Meeting


def _event(meeting: Meeting, base_url: str = "") -> Event:
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@samverka")
    event.add("dtstamp", meeting.updated_at)
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    event.add("summary", f"{meeting.forum.name}: {meeting.title}")
    event.add("sequence", meeting.sequence)
    location = ", ".join(x for x in (meeting.place, meeting.link) if x)
    if location:
        event.add("location", location)
    agenda = [item.title for item in meeting.agenda.all()]
    if agenda:
        event.add("description", "\n".join(f"{i}. {t}" for i, t in enumerate(agenda, start=1)))
    if meeting.link:
        event.add("url", meeting.link)
    organiser = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL.split('<')[-1].rstrip('>')}")
    organiser.params["cn"] = vText("Samverka")
    event.add("organizer", organiser)
    return event


def calendar_bytes(meetings: Iterable[Meeting], name: str, method: str | None = None) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Samverka//dialogue//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    if method:
        cal.add("method", method)
    for meeting in meetings:
        cal.add_component(_event(meeting))
    return cal.to_ical()
