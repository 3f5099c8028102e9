"""Template helpers for the public verdict pages."""
import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from claims.rendering import render_markdown

register = template.Library()

# What json_script escapes, so the JSON can never close its <script> element or open
# an HTML comment or entity, plus the two line separators JavaScript treats as newlines.
_JSON_ESCAPES = {
    ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026",
    ord("\u2028"): "\\u2028", ord("\u2029"): "\\u2029",
}


@register.filter
def markdown(text):
    """User-written Markdown as sanitised HTML (see claims.rendering)."""
    return render_markdown(text)


@register.simple_tag
def ld_json(data):
    """`data` in a <script type="application/ld+json"> element, escaped like json_script."""
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(payload.translate(_JSON_ESCAPES)),  # noqa: S308 (escaped above)
    )


@register.simple_tag
def archived_text_url(snapshot):
    """The URL of `snapshot`'s archived text on this site, or "" when there is no snapshot
    or the archive views (URL name evidence:snapshot-text) are not installed."""
    if snapshot is None:
        return ""
    try:
        return reverse("evidence:snapshot-text", kwargs={"pk": snapshot.pk})
    except NoReverseMatch:
        return ""


@register.filter
def text_colour(hex_colour):
    """Black or white, whichever reads better on `hex_colour` (#rrggbb), by WCAG luminance."""
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return "#000000" if (luminance + 0.05) / 0.05 > 1.05 / (luminance + 0.05) else "#ffffff"
