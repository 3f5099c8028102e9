"""The desk's admin for claims (Django's admin autodiscovery imports this package)."""
from . import claim  # noqa: F401  (registers the ModelAdmins)
