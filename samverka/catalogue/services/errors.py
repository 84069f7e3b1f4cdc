from samverka.core.errors import DomainError


class Forbidden(DomainError):
    """The actor may not do this here: 403."""

    status_code = 403
