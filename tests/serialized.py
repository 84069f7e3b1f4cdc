"""The database contents right after migrations (areas, categories, principle sets…), kept by the root conftest."""

CONTENTS: dict[str, str] = {}


def restore_reference_data_if_flushed() -> None:
    """Reload the migrated data when a transactional test's flush emptied it and serialized rollback did not
    bring it back (the browser's event loop can hand Django a fresh connection object without the contents)."""
    from django.db import connections

    from samverka.areas.models import Area

    if Area.objects.exists() or not CONTENTS.get("default"):
        return
    connections["default"].creation.deserialize_db_from_string(CONTENTS["default"])
