"""User-written text can never inject script or markup into the public pages or feed."""
from html.parser import HTMLParser

import pytest

from claims import workflow
from claims.models import Claimant, Rating
from claims.rendering import render_markdown
from evidence.models import Evidence, Source
from tests.data.desk import make_claim, publish

pytestmark = pytest.mark.django_db

PAYLOAD = (
    '<script>alert("s")</script><img src=x onerror=alert(1)>'
    '<a href="javascript:alert(2)" onclick="alert(3)">x</a>'
    '<svg onload=alert(4)></svg><iframe src="javascript:alert(5)"></iframe>'
)
MARKDOWN_PAYLOAD = PAYLOAD + "\n\n[click](javascript:alert(6)) [data](data:text/html,x)"


class ActiveContent(HTMLParser):
    """Collects everything in a page that could run script or inject markup."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("type") != "application/ld+json":
            self.found.append("script element")
        if tag in ("img", "svg", "iframe", "object", "embed", "style"):
            self.found.append(f"<{tag}>")
        for name, value in attrs.items():
            if name.startswith("on"):
                self.found.append(f"{name} handler")
            if name in ("href", "src") and (value or "").strip().lower().startswith(
                ("javascript:", "data:")
            ):
                self.found.append(f"{value} URL")


def active_content(html):
    parser = ActiveContent()
    parser.feed(html)
    return parser.found


@pytest.fixture
def hostile_claim(seeded, fact_checker, editor, other_editor):
    """A published claim with the payload in every user-written field readers see."""
    from claims.services import add_appearance

    claimant = Claimant.objects.create(name=f"Name {PAYLOAD}", slug="hostile", kind="person")
    claim = make_claim("hostile", fact_checker=fact_checker, text=f"Text {PAYLOAD}",
                       claimant=claimant, appearances=0)
    source = Source.objects.create(url="https://example.org/hostile", title=f"Title {PAYLOAD}",
                                   publisher=f"Pub {PAYLOAD}")
    add_appearance(claim=claim, claimant=claimant, quote=f"Quote {PAYLOAD}", venue=PAYLOAD,
                   source=source)
    claim.responses.create(claimant=claimant, kind="denies", quote=f"Resp {PAYLOAD}",
                           summary=f"RespSummary {PAYLOAD}", source=source)
    Evidence.objects.create(claim=claim, source=source, stance="refutes",
                            summary=f"Evidence {PAYLOAD}")
    workflow.save_verdict(
        claim=claim, by=fact_checker, rating=Rating.objects.get(slug="false"),
        headline=f"Headline {PAYLOAD}", summary=f"Summary {PAYLOAD}",
        analysis=f"Analysis\n\n{MARKDOWN_PAYLOAD}",
    )
    publish(claim, fact_checker=fact_checker, editor=editor)
    workflow.save_verdict(
        claim=claim, by=editor, rating=Rating.objects.get(slug="mostly-false"),
        headline=f"Headline {PAYLOAD}", summary=f"Summary {PAYLOAD}",
        analysis=f"Analysis\n\n{MARKDOWN_PAYLOAD}", correction_note=f"Note {PAYLOAD}",
    )
    # The revision (the editor wrote it) published by another editor: the note is public.
    publish(claim, fact_checker=fact_checker, editor=other_editor)
    return claim


def test_every_field_is_escaped_or_sanitised_on_the_page(client, hostile_claim):
    html = client.get(hostile_claim.get_absolute_url()).content.decode()
    assert active_content(html) == []
    # The text is still there for readers, shown as text.
    for label in ("Text", "Quote", "Resp", "RespSummary", "Evidence", "Headline", "Summary",
                  "Note", "Name", "Title"):
        assert f"{label} &lt;script&gt;alert(&quot;s&quot;)&lt;/script&gt;" in html, label
    assert "<p>Analysis</p>" in html


def test_listing_is_safe(client, hostile_claim):
    html = client.get("/checks/").content.decode()
    assert "Text &lt;script&gt;" in html
    assert active_content(html) == []


def test_feed_summaries_are_text_not_html(client, hostile_claim):
    import xml.etree.ElementTree as ET

    body = client.get("/feeds/checks.atom").content
    entry = ET.fromstring(body).find("{http://www.w3.org/2005/Atom}entry")  # noqa: S314
    summary = entry.find("{http://www.w3.org/2005/Atom}summary")
    assert summary.get("type") == "html"
    # A feed reader unescapes the XML once and renders HTML: it must find only text.
    assert active_content(summary.text) == []
    assert "&lt;script&gt;" in summary.text
    title = entry.find("{http://www.w3.org/2005/Atom}title")
    assert title.get("type") in (None, "text") and "<script>" in title.text


def test_markdown_renderer_against_injection():
    html = render_markdown(MARKDOWN_PAYLOAD + "\n\n<p style='x' onmouseover='y'>p</p>")
    assert active_content(html) == []
    assert "style=" not in html and "onmouseover" not in html
    assert "javascript:" not in html and "alert(" not in html
    assert 'rel="nofollow noopener noreferrer"' in html
    assert render_markdown("**bold** [ok](https://example.org/)") == (
        '<p><strong>bold</strong> <a href="https://example.org/" '
        'rel="nofollow noopener noreferrer">ok</a></p>'
    )
