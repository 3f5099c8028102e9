"""A reopened claim's work in progress never reaches anonymous API clients: they see the
verdict as it was last published, the same as the verdict page and its ClaimReview."""
import pytest

from claims import workflow
from claims.models import Rating
from tests.data import desk


@pytest.fixture
def reopened(seeded, fact_checker, editor):
    claim = desk.published_seed_claim(fact_checker=fact_checker, editor=editor)
    desk.reopen(claim, by=fact_checker)
    verdict = claim.verdicts.get()
    workflow.save_verdict(
        claim=claim, by=fact_checker, rating=Rating.objects.get(slug="false"),
        headline="WORK-IN-PROGRESS headline", summary="WORK-IN-PROGRESS summary",
        analysis=verdict.analysis, correction_note="WORK-IN-PROGRESS correction",
    )
    return claim


@pytest.mark.parametrize("path", [
    "/api/v1/claims/", "/api/v1/claims/{id}/", "/api/v1/verdicts/", "/api/v1/verdicts/{vid}/",
    "/api/v1/claims/{id}/claimreview/", "/api/v1/claimreview/",
])
def test_anonymous_clients_see_the_last_published_verdict(client, reopened, path):
    verdict = reopened.verdicts.get()
    response = client.get(path.format(id=reopened.pk, vid=verdict.pk))
    assert response.status_code == 200
    body = response.content.decode()
    assert "WORK-IN-PROGRESS" not in body
    assert "Unsupported" in body


def test_page_and_api_claimreview_agree_for_a_reopened_claim(client, reopened):
    import json
    import re

    page = client.get(reopened.get_absolute_url()).content.decode()
    embedded = json.loads(re.search(
        r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    served = client.get(f"/api/v1/claims/{reopened.pk}/claimreview/").json()
    assert embedded == served


def test_research_added_after_reopening_stays_internal_until_republished(
    client, reopened, fact_checker, editor
):
    from claims.models import Claimant
    from claims.services import add_appearance
    from evidence.services import attach_evidence

    claimant = Claimant.objects.get(slug="government-of-niger")
    add_appearance(claim=reopened, claimant=claimant, by=fact_checker,
                   quote="NEW-RESEARCH quote", medium="tv")
    reopened.responses.create(claimant=claimant, kind="confirms", summary="NEW-RESEARCH reply")
    attach_evidence(claim=reopened, url="https://example.org/new-research", stance="refutes",
                    summary="NEW-RESEARCH evidence", by=fact_checker)
    public = [
        client.get(reopened.get_absolute_url()),
        client.get(f"/api/v1/claims/{reopened.pk}/"),
        client.get(f"/api/v1/claims/{reopened.pk}/claimreview/"),
    ]
    for response in public:
        assert response.status_code == 200
        assert "NEW-RESEARCH" not in response.content.decode()
    # What was there at publication still shows.
    assert "short-sighted" in public[0].content.decode()

    desk.publish(reopened, fact_checker=fact_checker, editor=editor)
    page = client.get(reopened.get_absolute_url()).content.decode()
    detail = client.get(f"/api/v1/claims/{reopened.pk}/").content.decode()
    for body in (page, detail):
        assert "NEW-RESEARCH quote" in body and "NEW-RESEARCH evidence" in body
