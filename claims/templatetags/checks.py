"""Template helpers for the public verdict pages."""
from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from claims.claimreview import json_ld_text
from claims.rendering import render_markdown

register = template.Library()


@register.filter
def markdown(text):
    """User-written Markdown as sanitised HTML (see claims.rendering)."""
    return render_markdown(text)


@register.simple_tag
def ld_json(data):
    """`data` in a <script type="application/ld+json"> element, escaped like json_script."""
    return stored_ld_json(json_ld_text(data))


@register.simple_tag
def stored_ld_json(text):
    """A publication's stored ClaimReview text (already escaped by json_ld_text when it was
    written) in a <script type="application/ld+json"> element, byte for byte."""
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(text),  # noqa: S308 (escaped by json_ld_text)
    )


@register.simple_tag
def archived_text_url(snapshot):
    """The URL of `snapshot`'s public archived copy on this site (a Snapshot, or a
    publication's copy of one), or "" when there is no snapshot or the archive views (URL
    name evidence:capture) are not installed."""
    if snapshot is None:
        return ""
    # A publication names its snapshots as {"pk": ..., "fetched_at": ...}.
    pk = snapshot["pk"] if isinstance(snapshot, dict) else snapshot.pk
    try:
        return reverse("evidence:capture", kwargs={"pk": pk})
    except NoReverseMatch:
        return ""


@register.filter
def text_colour(hex_colour):
    """Black or white, whichever reads better on `hex_colour` (#rrggbb), by WCAG luminance."""
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return "#000000" if (luminance + 0.05) / 0.05 > 1.05 / (luminance + 0.05) else "#ffffff"
