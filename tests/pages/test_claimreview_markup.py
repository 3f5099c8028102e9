"""schema.org ClaimReview JSON-LD on the verdict page, read back out of the HTML."""
import json
import re

import pytest

from claims.claimreview import claim_review
from claims.models import Verdict
from tests.data.desk import SEED_CLAIM

pytestmark = pytest.mark.django_db

LD_JSON = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def extract(html):
    blocks = LD_JSON.findall(html)
    assert len(blocks) == 1
    return json.loads(blocks[0])


@pytest.fixture
def publisher(settings):
    """The publisher's settings, in force when the claim is published (the ClaimReview is
    written then, and served as written)."""
    settings.PUBLISHER_NAME = "Sahel Check"
    settings.PUBLISHER_URL = "https://news.example/"
    settings.SITE_URL = "https://checks.example"


def test_claimreview_has_every_property_google_asks_for(publisher, client,
                                                         published_seed_claim):
    data = extract(client.get(f"/checks/{SEED_CLAIM}/").content.decode())
    verdict = Verdict.objects.get(claim=published_seed_claim)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "ClaimReview"
    assert data["url"] == f"https://checks.example/checks/{SEED_CLAIM}/"
    assert data["claimReviewed"] == published_seed_claim.text
    assert data["datePublished"] == verdict.published_at.date().isoformat()
    assert data["author"] == {
        "@type": "Organization", "name": "Sahel Check", "url": "https://news.example/",
    }
    assert data["reviewRating"] == {
        "@type": "Rating", "ratingValue": 2, "bestRating": 7, "worstRating": 1,
        "alternateName": "Unsupported",
    }
    item = data["itemReviewed"]
    assert item["@type"] == "Claim"
    # The first appearance by date is Mali's statement of 5 August 2024.
    assert item["author"] == {"@type": "Organization", "name": "Government of Mali"}
    assert item["datePublished"] == "2024-08-05"
    assert len(item["appearance"]) == 2
    assert all(a["@type"] == "CreativeWork" and a["url"].startswith("https://euromaidanpress.com/")
               for a in item["appearance"])
    assert item["firstAppearance"]["datePublished"] == "2024-08-05"
    assert data["headline"] == verdict.headline
    # The page's canonical link and the markup agree.
    html = client.get(f"/checks/{SEED_CLAIM}/").content.decode()
    assert f'<link rel="canonical" href="https://checks.example/checks/{SEED_CLAIM}/">' in html


def test_page_serves_the_stored_object_the_builder_made(client, published_seed_claim):
    from claims.models import Claim

    body = client.get(f"/checks/{SEED_CLAIM}/").content.decode()
    publication = Claim.objects.get(pk=published_seed_claim.pk).current_publication
    # Served byte for byte as stored when the claim was published...
    assert f'<script type="application/ld+json">{publication.claim_review}</script>' in body
    # ...which is what the builder makes of the publication's content.
    assert extract(body) == json.loads(json.dumps(claim_review(publication.content)))


def test_markup_cannot_break_out_of_its_script_element(client, make_published):
    hostile = '</script><script>alert(1)</script><!-- & "quoted" \u2028'
    claim = make_published("hostile-claim", text=f"Claim {hostile}",
                           verdict={"headline": hostile, "summary": hostile})
    html = client.get(claim.get_absolute_url()).content.decode()
    block = LD_JSON.findall(html)[0]
    assert "<" not in block and ">" not in block and "&" not in block
    data = json.loads(block)
    assert data["claimReviewed"] == f"Claim {hostile}" and data["headline"] == hostile
    assert "<script>alert(1)</script>" not in html


def test_open_graph_and_twitter_tags(client, published_seed_claim, settings):
    html = client.get(f"/checks/{SEED_CLAIM}/").content.decode()
    url = settings.SITE_URL.rstrip("/") + f"/checks/{SEED_CLAIM}/"
    assert f'<meta property="og:url" content="{url}">' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:title" content="Unsupported: Ukraine supports terrorism' in html
    assert '<meta property="og:description" content="The AES governments' in html
    assert '<meta name="twitter:card" content="summary">' in html
    assert '<meta property="article:published_time" content="20' in html


def test_claim_without_appearances_names_its_claimant_as_author(
    client, seeded, fact_checker, editor
):
    from claims.models import Claimant
    from claims.services import update_claim
    from tests.data.desk import draft, make_claim, publish

    claim = make_claim("unsourced", fact_checker=fact_checker, appearances=0)
    update_claim(claim, by=fact_checker, claimants=[Claimant.objects.get(slug="andriy-yusov")])
    draft(claim, fact_checker=fact_checker)
    claim = publish(claim, fact_checker=fact_checker, editor=editor)
    item = extract(client.get(claim.get_absolute_url()).content.decode())["itemReviewed"]
    assert item == {"@type": "Claim", "author": {"@type": "Person", "name": "Andriy Yusov"}}
