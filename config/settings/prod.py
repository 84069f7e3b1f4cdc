"""Production: secrets and hosts from the environment, HTTPS everywhere."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .env import env_bool, env_str

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("Set SECRET_KEY to a random string of at least 50 characters.")

DEMO_DATA_ALLOWED = False
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# Pages are redirected to HTTPS; the API is not (a client would resend its token and body in the clear): a plain
# HTTP call to /api/ is refused with a JSON 403 by samverka.core.https.ApiHttpsRequiredMiddleware.
SECURE_REDIRECT_EXEMPT = [r"^api/"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
# The __Host- prefix makes the browser refuse these cookies unless they are Secure, have Path=/ and no Domain, so no
# other host (a subdomain included) can set or overwrite them. Path and domain keep Django's defaults ("/", none).
# Development and tests use plain HTTP on localhost and keep the plain names.
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
LANGUAGE_COOKIE_NAME = "__Host-samverka_language"
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")

# Outgoing e-mail (invitations, reminders) through the area's SMTP relay.
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env_str("EMAIL_PORT", "587"))
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)

# Uploads in S3-compatible object storage when a bucket is named (install the "s3" extra: django-storages[s3]).
if env_str("AWS_STORAGE_BUCKET_NAME", ""):
    STORAGES = {
        **STORAGES,  # noqa: F405
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": env_str("AWS_STORAGE_BUCKET_NAME", ""),
                "endpoint_url": env_str("AWS_S3_ENDPOINT_URL", "") or None,
                "region_name": env_str("AWS_S3_REGION_NAME", "") or None,
                "default_acl": None,
                "querystring_auth": True,
                "file_overwrite": False,
            },
        },
    }
