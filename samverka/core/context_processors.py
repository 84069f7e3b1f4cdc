from django.conf import settings


def samverka(request):
    return {
        "site_name": settings.SAMVERKA_SITE_NAME,
        "languages": settings.LANGUAGES,
    }
