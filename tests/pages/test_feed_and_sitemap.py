"""The Atom feed and /sitemap.xml list published verdicts, and nothing else."""
import xml.etree.ElementTree as ET

import pytest
from django.test import override_settings

from claims import workflow
from claims.models import Claim
from tests.data.desk import SEED_CLAIM, draft, make_claim

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def unpublished(seeded, fact_checker):
    claim = make_claim("unpublished-secret", fact_checker=fact_checker, text="Secret zebra claim")
    draft(claim, fact_checker=fact_checker, summary="Secret zebra summary")
    workflow.transition_claim(claim=claim, to_state=Claim.State.IN_REVIEW, by=fact_checker)
    Claim.objects.filter(pk=claim.pk).update(internal_note="SECRET NOTE")
    return claim


def test_feed_lists_published_verdicts(client, published_seed_claim, make_published,
                                       unpublished):
    newer = make_published("newer-claim", rating="true", verdict={"summary": "Newer summary"})
    response = client.get("/feeds/checks.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)  # noqa: S314 (our own output)
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    links = [e.find(f"{ATOM}link").get("href") for e in entries]
    assert [link.split("/checks/")[1] for link in links] == [
        "newer-claim/", f"{SEED_CLAIM}/",
    ]
    first = entries[0]
    assert first.find(f"{ATOM}title").text.startswith("True: ")
    assert first.find(f"{ATOM}summary").text == "Newer summary"
    assert first.find(f"{ATOM}updated").text and first.find(f"{ATOM}published").text
    categories = {c.get("term") for c in entries[1].findall(f"{ATOM}category")}
    assert {"Unsupported", "Sahel", "Mali"} <= categories
    assert b"zebra" not in response.content and b"SECRET" not in response.content
    assert newer.get_absolute_url() in links[0]


@override_settings(SITE_URL="https://checks.example")
def test_sitemap_lists_published_pages_on_the_canonical_host(
    client, published_seed_claim, unpublished
):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    urls = ET.fromstring(response.content).findall(f"{SITEMAP}url")  # noqa: S314
    locations = {u.find(f"{SITEMAP}loc").text for u in urls}
    assert locations == {
        f"https://checks.example/checks/{SEED_CLAIM}/",
        "https://checks.example/checks/",
        "https://checks.example/methodology/",
    }
    verdict_entry = next(u for u in urls if SEED_CLAIM in u.find(f"{SITEMAP}loc").text)
    assert verdict_entry.find(f"{SITEMAP}lastmod").text


def test_feed_and_sitemap_are_discoverable(client, published_seed_claim):
    html = client.get("/checks/").content.decode()
    assert 'type="application/atom+xml"' in html and 'href="/feeds/checks.atom"' in html


@pytest.mark.parametrize("size", [2, 10])
@pytest.mark.parametrize("url", ["/feeds/checks.atom", "/sitemap.xml"])
def test_query_count_does_not_grow(client, make_published, size, url,
                                   django_assert_max_num_queries):
    for n in range(size):
        make_published(f"sized-{n}", appearances=2)
    with django_assert_max_num_queries(4):
        response = client.get(url)
    assert response.content.count(b"/checks/sized-") == size * (2 if "atom" in url else 1)
