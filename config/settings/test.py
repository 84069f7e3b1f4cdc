import os

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast tests; argon2 is tested explicitly
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
AXES_ENABLED = True

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not shared memory: tests that close connections (database-down checks) would otherwise drop the
    # in-memory database under the browser tests' live server. pytest-xdist adds a suffix per worker.
    VAR_DIR.mkdir(exist_ok=True)  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / os.environ.get("SAMVERKA_TEST_DB", "test.sqlite3"))}  # noqa: F405
elif os.environ.get("SAMVERKA_TEST_DB"):
    # Separate PostgreSQL test databases for suites run side by side on one server.
    DATABASES["default"]["TEST"] = {"NAME": "test_" + os.environ["SAMVERKA_TEST_DB"].split(".")[0]}  # noqa: F405
# Transactional tests restore the migrated data (areas, categories…) by serialized rollback; content types and
# permissions are rebuilt by Django itself after each flush, so restoring them too would collide.
TEST_NON_SERIALIZED_APPS = ["django.contrib.contenttypes", "django.contrib.auth"]
