"""Rate limits per user and per anonymous IP address.

DRF's throttles copy the configured rates when the class is defined; these read them
on every request, so a deployment (or a test) that changes the settings is obeyed.
"""
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class _LiveRates:
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonThrottle(_LiveRates, AnonRateThrottle):
    """Requests per anonymous client IP, at the `anon` rate."""


class UserThrottle(_LiveRates, UserRateThrottle):
    """Requests per authenticated user, at the `user` rate."""
