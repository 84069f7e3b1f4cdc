"""Helpers for tests and the benchmark: a logged-in (and MFA-verified) session without going through forms."""

import time

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

from samverka.accounts.sessions import SessionStore

SESSION_EPOCH_KEY = "samverka_epoch"  # mirrors samverka.accounts.middleware.SESSION_EPOCH_KEY
SESSION_STARTED_KEY, SESSION_SEEN_KEY = "samverka_started", "samverka_seen"  # and its session clock keys
OTP_SESSION_KEY = "otp_device_id"  # django_otp.DEVICE_ID_SESSION_KEY


def session_for(user, *, otp_device=None) -> str:
    """Create a database session for `user` (verified with `otp_device` when given) and return its key."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "samverka.accounts.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[SESSION_EPOCH_KEY] = user.session_epoch
    session[SESSION_STARTED_KEY] = session[SESSION_SEEN_KEY] = int(time.time())
    if otp_device is not None:
        session[OTP_SESSION_KEY] = otp_device.persistent_id
    session.create()
    if session.session_key is None:
        raise RuntimeError("the session store did not create a session")
    return session.session_key


def session_cookie_name() -> str:
    return settings.SESSION_COOKIE_NAME
