from django.utils.functional import SimpleLazyObject

from .access import access_for


def roles(request):
    """Role flags for navigation, resolved only when a template asks (no query for pages that don't)."""
    user = getattr(request, "user", None)

    def is_coordinator() -> bool:
        return bool(user is not None and user.is_authenticated and access_for(user).is_coordinator)

    return {"is_coordinator": SimpleLazyObject(is_coordinator)}
