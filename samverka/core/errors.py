"""Domain errors a user can cause. Views and the API turn them into 422/409 with field messages."""

from collections.abc import Mapping, Sequence

from django.core.exceptions import ValidationError as DjangoValidationError


class DomainError(Exception):
    status_code = 400

    def __init__(self, detail: str, errors: Mapping[str, Sequence[str]] | None = None):
        super().__init__(detail)
        self.detail = str(detail)
        self.errors = {field: [str(m) for m in messages] for field, messages in (errors or {}).items()}


class ValidationError(DomainError):
    """Input breaks a rule: 422."""

    status_code = 422

    @classmethod
    def from_django(cls, exc: DjangoValidationError, detail: str | None = None) -> "ValidationError":
        from django.utils.translation import gettext as _

        if hasattr(exc, "error_dict"):
            errors = {field: [str(m) for e in errs for m in e.messages] for field, errs in exc.error_dict.items()}
        else:
            errors = {"__all__": [str(m) for m in exc.messages]}
        return cls(detail or _("Please correct the errors below."), errors)


class ConflictError(DomainError):
    """The action conflicts with the current state (someone else was first, already done): 409."""

    status_code = 409


class NotFound(DomainError):
    status_code = 404
