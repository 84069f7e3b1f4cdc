"""The password backend: Django's ModelBackend, with the user of every signed-in request read without the ORM."""

from django.contrib.auth import backends, get_user_model
from django.core.exceptions import ValidationError

from samverka.core.rows import fetch_one


class ModelBackend(backends.ModelBackend):
    def get_user(self, user_id):
        # The same row and the same rule as ModelBackend.get_user (inactive users get None), read by `fetch_one`:
        # compiling `User.objects.get(pk=…)` cost more than the query on every request.
        try:
            user = fetch_one(get_user_model(), "pk", user_id)
        except (ValueError, ValidationError):  # not an id of this model (a tampered or foreign session)
            return None
        return user if user is not None and self.user_can_authenticate(user) else None
