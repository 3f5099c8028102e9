"""ClaimReview JSON-LD for published claims: built once, when a claim is published
(claims.publishing), and served as stored by the verdict page and the API alike."""
import json

import pytest

from claims import workflow
from claims.claimreview import claim_review, json_ld_text
from claims.models import Claim

pytestmark = pytest.mark.django_db


def test_published_claim_has_its_claimreview(anon, desk):
    claim = desk["published"]
    response = anon.get(f"/api/v1/claims/{claim.pk}/claimreview/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    body = response.json()
    publication = Claim.objects.get(pk=claim.pk).current_publication
    assert body == json.loads(publication.claim_review)
    # The stored text is the one builder's output for the publication's content.
    assert json_ld_text(claim_review(publication.content)) == publication.claim_review
    assert body["@type"] == "ClaimReview" and body["reviewRating"]["alternateName"] == (
        "Unsupported")


def test_unpublished_claims_have_none(client_for, editor, desk):
    draft = desk["draft"]
    assert client_for(editor).get(f"/api/v1/claims/{draft.pk}/claimreview/").status_code == 404


def test_feed_lists_every_published_claimreview(anon, desk, fact_checker, other_editor):
    draft = desk["draft"]
    workflow.save_verdict(claim=draft, by=fact_checker, rating=desk["verdict"].rating,
                          summary="Summary")
    for state in ("triaged", "researching", "in_review"):
        if draft.state != state:
            workflow.transition_claim(claim=draft, to_state=state, by=fact_checker)
            draft.refresh_from_db()
    feed = anon.get("/api/v1/claimreview/").json()
    assert [r["claimReviewed"] for r in feed["results"]] == [desk["published"].text]
    workflow.transition_claim(claim=draft, to_state="published", by=other_editor)
    feed = anon.get("/api/v1/claimreview/").json()
    assert feed["count"] == 2
    assert feed["results"][0]["claimReviewed"] == draft.text
