"""Renderers beyond DRF's JSON."""
from rest_framework.renderers import JSONRenderer


class JsonLdRenderer(JSONRenderer):
    """schema.org markup: JSON, served as JSON-LD unless the client asks for plain JSON."""

    media_type = "application/ld+json"
    format = "jsonld"
