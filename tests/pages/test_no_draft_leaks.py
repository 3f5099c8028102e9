"""Nothing the desk drafts reaches a reader (issue 11): markers planted in every draft-side
field of a published-then-reopened claim (the claim's wording, tags, claimants,
appearances, responses, evidence, relations, the verdict, the drafted correction note,
reviews and internal notes) appear on no anonymous page, feed, sitemap, search result,
count or API response, found by following every link readers are given."""
import json
import re
from urllib.parse import urlsplit

import pytest

from claims import services, workflow
from claims.models import Claim, Verdict
from evidence.services import attach_evidence, update_evidence
from tests.data import desk, rows

pytestmark = pytest.mark.django_db

MARKER = "ZQXMARK"
LINK = re.compile(r'(?:href|src)="([^"#]+)"|<loc>([^<]+)</loc>')


@pytest.fixture
def reopened(seeded, fact_checker, editor, reviewer):
    """The seed claim, published, then reopened and given a marker in every draft field."""
    claim = desk.published_seed_claim(fact_checker=fact_checker, editor=editor)
    other = desk.published_claim(author=fact_checker, approver=editor, text="Another claim")
    desk.reopen(claim, by=fact_checker)
    marked = f"{MARKER}-claimant"
    claimant = services.create_claimant(by=fact_checker, name=marked, slug=marked.lower(),
                                        kind="person")
    tag = services.create_tag(name=f"{MARKER} tag", slug=f"{MARKER.lower()}-tag")
    services.update_claim(
        claim, by=fact_checker, text=f"{MARKER} reworded claim", internal_note=f"{MARKER} note",
        tags=[*claim.tags.all(), tag], claimants=[*claim.claimants.all(), claimant],
    )
    appearance = claim.appearances.first()
    services.update_appearance(appearance, by=fact_checker, quote=f"{MARKER} edited quote")
    services.add_appearance(claim=claim, claimant=claimant, by=fact_checker,
                            quote=f"{MARKER} new quote", venue=f"{MARKER} venue",
                            source_url=f"https://example.org/{MARKER}/appearance")
    services.add_response(claim=claim, claimant=claimant, by=fact_checker, kind="denies",
                          quote=f"{MARKER} response", summary=f"{MARKER} response summary")
    evidence = claim.evidence.first()
    services.add_relation(from_claim=claim, to_claim=other, kind="contradicts", by=fact_checker,
                          note=f"{MARKER} relation")
    if evidence is not None:
        update_evidence(evidence, by=fact_checker, summary=f"{MARKER} evidence edit")
    attach_evidence(claim=claim, url=f"https://example.org/{MARKER}/evidence",
                    stance="supports", summary=f"{MARKER} evidence", by=fact_checker)
    verdict = Verdict.objects.get(claim=claim)
    workflow.save_verdict(
        claim=claim, by=fact_checker, rating=rows.rating("true"), headline=f"{MARKER} headline",
        summary=f"{MARKER} summary", analysis=f"{MARKER} analysis",
        correction_note=f"{MARKER} correction",
    )
    workflow.add_review(verdict=verdict, by=reviewer, kind="comment", body=f"{MARKER} review")
    return Claim.objects.get(pk=claim.pk)


def crawl(client, start):
    """{url: body} of every page, feed and API answer reachable from `start` on this site,
    following links in HTML, Atom, sitemaps and JSON."""
    seen, todo = {}, list(start)
    while todo:
        url = todo.pop()
        if url in seen or len(seen) > 400:
            continue
        response = client.get(url)
        if response.status_code != 200 or "attachment" in response.get("Content-Disposition", ""):
            seen[url] = ""
            continue
        body = response.content.decode(errors="replace")
        seen[url] = body
        links = _links(body, response["Content-Type"])
        if "json" in response["Content-Type"] and url.startswith("/api/v1/"):
            # API lists name their rows by id: open each row, and its ClaimReview.
            rows = json.loads(body).get("results", []) if body.startswith("{") else []
            base = url.split("?")[0]
            links += [f"{base}{row['id']}/" for row in rows
                      if isinstance(row, dict) and "id" in row and base.count("/") == 4]
            links += [f"{base}{row['id']}/claimreview/" for row in rows
                      if isinstance(row, dict) and "id" in row and base == "/api/v1/claims/"]
        for link in links:
            parts = urlsplit(link)
            if parts.netloc not in ("", "testserver", "localhost:8000"):
                continue
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if path.startswith(("/checks/", "/api/v1/", "/feeds/", "/sitemap", "/methodology",
                                "/archive/")) and "/schema" not in path and "/docs" not in path:
                todo.append(path)
    return seen


def _links(body, content_type):
    if "json" not in content_type:
        return [a or b for a, b in LINK.findall(body)]
    found = []

    def walk(value):
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str) and value.startswith(("http://", "https://", "/")):
            found.append(value)

    walk(json.loads(body))
    return found


def test_no_marker_reaches_any_anonymous_page_feed_sitemap_or_api_answer(client, reopened):
    pages = crawl(client, [
        "/checks/", reopened.get_absolute_url(), "/feeds/checks.atom", "/sitemap.xml",
        "/api/v1/", "/api/v1/claimreview/", f"/api/v1/claims/{reopened.pk}/",
        f"/api/v1/claims/{reopened.pk}/claimreview/", "/api/v1/corrections/",
        "/api/v1/verdicts/", "/api/v1/publications/", f"{reopened.get_absolute_url()}versions/",
        "/methodology/",
    ])
    # Every kind of answer readers get: pages, filters, versions, feed, sitemap, API rows.
    assert reopened.get_absolute_url() in pages and len(pages) >= 30
    leaked = {url: body.count(MARKER) for url, body in pages.items() if MARKER in body}
    assert leaked == {}


@pytest.mark.parametrize("url", [
    "/checks/?q={m}", "/checks/?tag={m}-tag", "/checks/?claimant={m}-claimant",
    "/api/v1/claims/?q={m}", "/api/v1/claims/?tag={m}-tag",
    "/api/v1/claims/?claimant={m}-claimant",
])
def test_no_search_filter_or_count_finds_a_marker(client, reopened, url):
    response = client.get(url.format(m=MARKER.lower() if "=" in url and "q=" not in url
                                     else MARKER))
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        return  # an unknown filter value is refused outright
    if url.startswith("/api/"):
        assert response.json()["results"] == []
    else:
        body = response.content.decode()
        assert "No published fact check matches" in body
        # The page echoes the reader's own query (its title and search box), nothing else.
        echoed = re.sub(r"<title>.*?</title>|<input[^>]*>", "", body, flags=re.S)
        assert MARKER not in echoed


def test_the_counts_readers_see_leave_the_draft_out(client, reopened):
    from claims.selectors import published_facets

    facets = published_facets()
    assert MARKER not in json.dumps([c.name for c in facets["claimants"]])
    assert MARKER not in json.dumps([t.name for t in facets["tags"]])
    assert {r.slug: r.count for r in facets["ratings"]}["true"] == 0
