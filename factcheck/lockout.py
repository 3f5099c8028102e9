"""What someone locked out of signing in sees (django-axes' AXES_LOCKOUT_CALLABLE)."""
import math

from axes.helpers import get_cool_off
from django.shortcuts import render


def lockout_response(request, original_response=None, credentials=None):
    """429 with a page saying why and for how long, and Retry-After for scripts."""
    cool_off = get_cool_off(request)
    minutes = math.ceil(cool_off.total_seconds() / 60) if cool_off else None
    response = render(request, "locked_out.html", {
        "hours": minutes // 60 if minutes and minutes % 60 == 0 else None,
        "minutes": minutes,
    }, status=429)
    if cool_off:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response
