"""Settings shared by every environment. Environment files override what differs."""

import logging
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from samverka.core.logs import FORMATTERS as LOG_FORMATTERS

from .env import env_bool, env_list, env_str

BASE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = BASE_DIR / "var"

SECRET_KEY = env_str("SECRET_KEY", "dev-insecure-change-me-" + "x" * 40)
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])

INSTALLED_APPS = [
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "rules.apps.AutodiscoverRulesConfig",
    "ninja",
    "django_tasks_db",
    "samverka.core",
    "samverka.audit",
    "samverka.areas",
    "samverka.accounts",
    "samverka.registry",
    "samverka.catalogue",
    "samverka.agreements",
    "samverka.dialogue",
    "samverka.vouchers",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # After SecurityMiddleware, which redirects pages to HTTPS but not the API (SECURE_REDIRECT_EXEMPT in prod).
    "samverka.core.https.ApiHttpsRequiredMiddleware",
    "samverka.core.protection.ClientRequestMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "samverka.core.middleware.RequestContextMiddleware",
    "samverka.core.protection.PrivateAnswerCacheMiddleware",
    "samverka.core.middleware.DatabaseUnavailableMiddleware",
    "samverka.core.middleware.MalformedInputMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Before the account middleware, which tells a user why their session ended.
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "samverka.accounts.middleware.SessionEpochMiddleware",
    "samverka.accounts.middleware.OTPMiddleware",
    "samverka.core.middleware.LanguageMiddleware",
    "samverka.accounts.middleware.MFARequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "samverka" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "samverka.core.context_processors.samverka",
                "samverka.accounts.context_processors.roles",
            ],
        },
    }
]

DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'samverka.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock at BEGIN
    # so two writers queue instead of failing half-way with "database is locked".
    # Connections persist as on PostgreSQL (conn_max_age above): opening one per request cost more than a
    # list page's queries, and a kept connection keeps its page cache (valid across requests in WAL mode).
    # Memory-mapped reads (up to SQLite's 2 GiB limit): a finder page reads rows scattered over the file, and
    # copying each page through read() into every connection's own cache cost a third of reading its cards.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA mmap_size=2147418112;"
        ),
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Parameters bound on the server, and a statement run DATABASE_PREPARE_THRESHOLD times on a connection is
    # prepared there (psycopg's automatic preparation): every signed-in page repeats the same session, user and
    # role reads, which PostgreSQL otherwise parsed and planned anew each time. "off" turns preparing off (for a
    # pooler that cannot keep prepared statements: docs/deploy.md).
    _threshold = env_str("DATABASE_PREPARE_THRESHOLD", "5")
    if _threshold != "off" and not _threshold.isdigit():
        raise ImproperlyConfigured(f"DATABASE_PREPARE_THRESHOLD must be a whole number or off, not {_threshold!r}.")
    DATABASES["default"]["OPTIONS"] = {
        "server_side_binding": True,
        "prepare_threshold": None if _threshold == "off" else int(_threshold),
        # A search reads its first matches in table order and stops (LIMIT). With synchronized scans, PostgreSQL
        # starts a scan of a large table where the last one stopped, so the same search found other services on
        # every request (and page 2 did not follow page 1). With a pooler that drops this option: docs/deploy.md.
        "options": "-c synchronize_seqscans=off",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "samverka.accounts.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
PASSWORD_MIN_LENGTH = 10
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # The service's name and the registry's place names (docs/security.md, "Passwords"); the same minimum length.
    {"NAME": "samverka.accounts.passwords.ContextWordsValidator", "OPTIONS": {"min_remaining": PASSWORD_MIN_LENGTH}},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "core:home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# Lockout: five failures per e-mail address and IP lock the pair for one hour.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# Authentication events: successful logins in axes' AccessLog (time, IP, user agent), failures in AccessAttempt
# and, one row per failure, AccessFailureLog; failed second-factor checks are audit events (mfa.check_failed).
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# REMOTE_ADDR is the client: behind TRUSTED_PROXY_COUNT proxies core.protection.ClientRequestMiddleware puts the
# client's address there from X-Forwarded-For, before lockout, audit or rate limits read it.
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
# How many reverse proxies stand in front of the app and append to X-Forwarded-For (docs/deploy.md); with 0 the
# TCP peer is the client and X-Forwarded-For / X-Request-ID sent from outside are ignored.
try:
    TRUSTED_PROXY_COUNT = int(env_str("TRUSTED_PROXY_COUNT", "0"))
except ValueError as exc:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be a whole number (0: no proxy in front).") from exc
# `samverka demo` creates accounts with a published password; production settings refuse it (prod.py).
DEMO_DATA_ALLOWED = True

OTP_TOTP_ISSUER = "Samverka"
# Absolute links in e-mails sent by background tasks (invitations), which have no request to build them from.
SAMVERKA_BASE_URL = env_str("SAMVERKA_BASE_URL", "http://localhost:8000")

# Django's database sessions, read without the ORM on each request (accounts/sessions.py).
SESSION_ENGINE = "samverka.accounts.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 12
# Enforced by accounts.middleware.SessionEpochMiddleware: a session ends after an hour without a request, and
# 12 hours after sign-in however active (the cookie's age alone moves forward whenever the session is saved).
SESSION_IDLE_TIMEOUT = 60 * 60
SESSION_ABSOLUTE_TIMEOUT = 60 * 60 * 12
CSRF_COOKIE_HTTPONLY = False  # HTMX reads the token from the page, not the cookie
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}

LANGUAGE_CODE = "en"
LANGUAGES = [("nb", "Norsk bokmål"), ("sv", "Svenska"), ("fi", "Suomi"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "samverka" / "locale"]
LANGUAGE_COOKIE_NAME = "samverka_language"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Oslo"
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en", "nb", "sv", "fi")

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "samverka" / "static"]
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Samverka <no-reply@samverka.example>")

# Hours that make one person-year (årsverk), per country. Sources in docs/registry.md.
HOURS_PER_PERSON_YEAR = {"NO": 1695, "SE": 1760, "FI": 1600}

NINJA_PAGINATION_MAX_PER_PAGE_SIZE = 200

# One JSON object per line with the request id (samverka/core/logs.py); LOG_FORMAT=plain for reading by eye.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": LOG_FORMATTERS,
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": env_str("LOG_FORMAT", "json")}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "samverka": {"level": "INFO"},
        "axes": {"level": "WARNING"},
        # Python warnings as JSON lines too (captured below); Django's default handler for this logger writes
        # plain text when DEBUG is on and drops them when it is off.
        "py.warnings": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}
logging.captureWarnings(True)  # warnings (e.g. a missing static directory) become log records: one format

SAMVERKA_SITE_NAME = _("Samverka")

# Prometheus metrics at /metrics (samverka/core/metrics.py): off unless enabled; platform admins or this token.
METRICS_ENABLED = env_bool("METRICS_ENABLED", False)
METRICS_TOKEN = env_str("METRICS_TOKEN", "")
