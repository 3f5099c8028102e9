"""User-written Markdown to HTML that is safe to put on a public page.

Markdown is rendered first, then the HTML is cleaned by nh3 (ammonia) against an allow-list:
no script, no style, no event handlers, no javascript: or data: URLs, whatever the text
contains. Every user-written field rendered as HTML goes through `render_markdown`; the
rest is plain text and relies on template auto-escaping.
"""
import re

import markdown
import nh3
from django.utils.safestring import mark_safe

ALLOWED_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote",
    "strong", "em", "b", "i", "code", "pre", "a", "table", "thead", "tbody", "tr", "th",
    "td", "sup", "sub", "del", "abbr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}
# The page gives the analysis an <h2>; its own top headings become <h3> so the outline
# stays in order (a screen reader's heading list must not skip or invert levels).
FIRST_HEADING_LEVEL = 3
_HEADING = re.compile(r"<(/?)h([1-6])>")


def _shift_headings(html):
    levels = [int(level) for _, level in _HEADING.findall(html)]
    if not levels:
        return html
    shift = FIRST_HEADING_LEVEL - min(levels)
    return _HEADING.sub(lambda m: f"<{m.group(1)}h{min(6, int(m.group(2)) + shift)}>", html)


def sanitise_html(html):
    """`html` cleaned to the allow-list; links get rel="nofollow noopener noreferrer"."""
    return nh3.clean(
        html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener noreferrer", strip_comments=True,
    )


def render_markdown(text):
    """`text` (Markdown, possibly hostile) as sanitised HTML, marked safe for templates.

    Headings are shifted so the text's top level becomes an <h3> under the page's <h2>.
    """
    html = markdown.markdown(text or "", extensions=["sane_lists", "tables"])
    return mark_safe(_shift_headings(sanitise_html(html)))  # noqa: S308 (sanitised above)
