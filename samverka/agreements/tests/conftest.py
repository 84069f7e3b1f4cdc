import pytest


@pytest.fixture(autouse=True)
def _fresh_language(settings):
    settings.LANGUAGE_CODE = "en"
