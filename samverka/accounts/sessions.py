"""The session store: Django's database sessions, with the read of every signed-in request made without the ORM.

Reading the session row through a queryset cost several times the query itself on each request; `fetch_one`
reads the same row by its key. Everything else (saving, expiry, clearing) is Django's.
"""

from django.contrib.sessions.backends import db
from django.utils import timezone

from samverka.core.rows import fetch_one


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        session = fetch_one(self.model, "session_key", self.session_key) if self.session_key else None
        # As Django's query: an expired session is no session, and its key is dropped.
        if session is None or session.expire_date <= timezone.now():
            self._session_key = None
            return None
        return session
