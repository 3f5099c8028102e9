"""The coloured pill the desk's admin pages show a status or a rating in.

Model-free, so both apps' admins use it without importing each other's.
"""
from django.utils.html import format_html


def badge(label, colour):
    """A coloured pill; `label` is escaped."""
    return format_html('<span class="fc-badge" style="background:{}">{}</span>', colour, label)
