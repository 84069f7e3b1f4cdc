"""schema.org JSON-LD of a service page (https://schema.org/Service), safe to put inside <script>."""

import json

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from .models import CONTENT_LANGUAGES, localised
from .schedules import WEEKDAY_CODES

DAY_NAMES = dict(
    zip(WEEKDAY_CODES, ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"), strict=True)
)


def service_json_ld(service, url: str) -> dict:
    provider = service.organisation or service.area
    data = {
        "@context": "https://schema.org",
        "@type": "Service",
        "@id": url,
        "url": url,
        "name": service.display_name,
        "description": localised(service, "summary") or localised(service, "description"),
        "serviceType": service.get_kind_display(),
        "provider": {"@type": "NGO" if service.organisation_id else "GovernmentOrganization", "name": str(provider)},
        "availableLanguage": [lang.code for lang in service.languages.all()],
        "areaServed": [{"@type": "AdministrativeArea", "name": a.display_name} for a in service.areas.all()],
        "isAccessibleForFree": service.fee == "free",
        "dateModified": timezone.localtime(service.updated_at).isoformat(),
        "inLanguage": [c for c in CONTENT_LANGUAGES if getattr(service, f"name_{c}")],
    }
    if service.email or service.phone:
        data["availableChannel"] = {
            "@type": "ServiceChannel",
            "serviceUrl": service.website or url,
            "servicePhone": {"@type": "ContactPoint", "telephone": service.phone, "email": service.email},
        }
    places = []
    for sal in service.service_at_locations.all():
        loc = sal.location
        place = {
            "@type": "Place",
            "name": loc.name,
            "address": {
                "@type": "PostalAddress",
                "streetAddress": loc.street_address,
                "postalCode": loc.postal_code,
                "addressLocality": loc.city,
            },
        }
        if loc.latitude is not None and loc.longitude is not None:
            place["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": float(loc.latitude),
                "longitude": float(loc.longitude),
            }
        places.append(place)
    if places:
        data["availableChannel"] = {
            **data.get("availableChannel", {"@type": "ServiceChannel"}),
            "serviceLocation": places,
        }
    hours = []
    for s in service.schedules.all():
        days = [DAY_NAMES[d] for d in s.weekdays.strip(",").split(",") if d in DAY_NAMES]
        hours.append(
            {
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": days,
                "opens": s.opens_at.strftime("%H:%M"),
                "closes": s.closes_at.strftime("%H:%M"),
                "validFrom": s.dtstart.isoformat(),
            }
        )
    if hours:
        data["hoursAvailable"] = hours
    return {k: v for k, v in data.items() if v not in ("", [], None)}


def as_script_json(data: dict) -> SafeString:
    """JSON that cannot end the <script> element it sits in (<, >, & escaped as \\u sequences)."""
    text = json.dumps(data, ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(text)  # nosec B308 B703 (<, > and & are escaped above: the text cannot leave the script)
