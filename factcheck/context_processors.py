from django.conf import settings


def publisher(request):
    """The publishing organisation, for page footers and metadata."""
    return {"PUBLISHER_NAME": settings.PUBLISHER_NAME, "PUBLISHER_URL": settings.PUBLISHER_URL}
