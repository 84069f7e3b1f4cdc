"""The request type of views behind `login_required`, so type checkers know `request.user` is a signed-in User."""

from django.http import HttpRequest

from .models import User


class AuthenticatedHttpRequest(HttpRequest):
    """For annotations only: the HttpRequest a `login_required` view receives (django-stubs' recommended pattern)."""

    user: User
