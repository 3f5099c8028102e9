"""Anonymous clients see publications and nothing else: no draft, assignee, internal note,
review, unpublished claim or change made since the last publication, in any field, list
or count."""
import json

import pytest

from claims import workflow
from claims.models import Claim, Correction, Verdict
from evidence.models import Evidence, Snapshot, Source
from tests.data.desk import SECRET_DRAFT, SECRET_NOTE, SECRET_REVIEW

pytestmark = pytest.mark.django_db

# The evidence status is no longer among them: readers are shown it as published, on the
# page and in the API (issue 11).
INTERNAL_KEYS = {"assignee", "internal_note", "state", "status", "reviews", "author",
                 "approver", "priority", "allowed_moves", "is_current", "submitted_at",
                 "created_by", "updated_by", "reviewer", "related_from", "duplicate_of",
                 "updated_at", "contributors", "correction_note", "change_kind"}
# A publication's byline, which its page shows readers too ("Fact-checked by", "Approved
# by"): the names of the desk's people, there and nowhere else.
BYLINE = ("authors", "approver")
STAFF_USERNAMES = ["fiona", "edith", "rosa", "seed-desk"]


def keys_in(value):
    if isinstance(value, dict):
        yield from value
        for item in value.values():
            yield from keys_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from keys_in(item)


def without_byline(path, body):
    """`body` without the bylines of the publications it holds (and their ClaimReview,
    which the claimreview endpoints are checked as: its "author" is the publisher)."""
    if "/publications/" not in path or not body.startswith("{"):
        return body
    data = json.loads(body)
    for publication in data.get("results", [data]):
        for key in BYLINE:
            publication["content"].pop(key)
        publication.pop("claim_review")
    return json.dumps(data, ensure_ascii=False)


def assert_public(response, desk):
    """The body holds no internal key, marker, username, or unpublished claim."""
    full = response.content.decode()
    for marker in (SECRET_NOTE, SECRET_REVIEW, SECRET_DRAFT):
        assert marker not in full, marker
    body = without_byline(response.wsgi_request.path, full)
    for marker in STAFF_USERNAMES:
        assert marker not in body, marker
    for claim in Claim.objects.exclude(pk=desk["published"].pk):
        assert claim.slug not in body
        assert claim.text[:60] not in body
    if response.status_code >= 400 or "claimreview" in response.wsgi_request.path:
        # Problem documents have a "status"; schema.org's "author" is the publisher.
        return
    leaked = INTERNAL_KEYS & set(keys_in(json.loads(body)))
    assert not leaked, leaked


def public_urls(desk):
    published, verdict = desk["published"], desk["verdict"]
    correction = Correction.objects.first()
    return [
        "/api/v1/claims/", f"/api/v1/claims/{published.pk}/",
        f"/api/v1/claims/{published.pk}/claimreview/", "/api/v1/claimreview/",
        "/api/v1/verdicts/", f"/api/v1/verdicts/{verdict.pk}/",
        "/api/v1/corrections/", f"/api/v1/corrections/{correction.pk}/",
        "/api/v1/publications/", f"/api/v1/publications/{published.current_publication_id}/",
        f"/api/v1/publications/?claim={published.pk}",
    ]


@pytest.fixture
def corrected(desk, other_editor, editor):
    """The published verdict, corrected once: a revision by `other_editor` with a public
    note, published by `editor`."""
    published = desk["published"]
    workflow.save_verdict(
        claim=published, by=other_editor, rating=desk["verdict"].rating,
        headline=desk["verdict"].headline, summary="A corrected summary.",
        analysis=desk["verdict"].analysis, correction_note="We fixed the summary.",
    )
    workflow.transition_claim(claim=published, to_state="in_review", by=other_editor)
    workflow.transition_claim(claim=published, to_state="published", by=editor)
    desk["published"] = Claim.objects.get(pk=published.pk)
    return desk


def test_every_public_endpoint_shows_only_published_data(anon, corrected):
    for url in public_urls(corrected):
        response = anon.get(url)
        assert response.status_code == 200, url
        assert_public(response, corrected)


def test_reopened_claim_keeps_its_publication_without_showing_the_work(
    anon, corrected, fact_checker
):
    published = corrected["published"]
    before = {url: anon.get(url).content for url in public_urls(corrected)}
    workflow.transition_claim(claim=published, to_state="researching", by=fact_checker)
    verdict = workflow.current_verdict(published)
    workflow.save_verdict(
        claim=published, by=fact_checker, rating=verdict.rating, headline="WIP-HEADLINE",
        summary="WIP-SUMMARY", analysis=verdict.analysis, correction_note="WIP-NOTE",
    )
    # Readers keep the last publication, its published correction included, byte for
    # byte; the revision in progress, its draft note included, is not theirs.
    for url in public_urls(corrected):
        response = anon.get(url)
        assert response.status_code == 200, url
        assert_public(response, corrected)
        body = response.content.decode()
        for marker in ("researching", "WIP-HEADLINE", "WIP-SUMMARY", "WIP-NOTE"):
            assert marker not in body, (url, marker)
        assert response.content == before[url], url


def test_answers_vary_by_credentials(anon, desk):
    # A shared cache keyed without the credentials would hand desk data to readers.
    vary = anon.get("/api/v1/claims/")["Vary"]
    assert "Authorization" in vary and "Cookie" in vary


def test_lists_count_only_published_objects(anon, desk):
    assert [c["id"] for c in anon.get("/api/v1/claims/").json()["results"]] == [
        desk["published"].pk]
    verdicts = anon.get("/api/v1/verdicts/").json()
    assert verdicts["count"] == 1 and Verdict.objects.count() == 2
    assert anon.get("/api/v1/claimreview/").json()["count"] == 1
    assert anon.get("/api/v1/corrections/").json()["count"] == 0


@pytest.mark.parametrize("query", [
    "state=new", "state=researching", f"assignee=1&q={SECRET_NOTE}", "unassigned=true",
    "evidence_status=pending_archive", "updated_since=2000-01-01T00:00:00Z",
    "ordering=priority", "q=Yusov",
])
def test_internal_filters_do_not_reach_unpublished_claims(anon, desk, query):
    response = anon.get(f"/api/v1/claims/?{query}")
    assert response.status_code == 200
    ids = [c["id"] for c in response.json()["results"]]
    assert set(ids) <= {desk["published"].pk}
    assert_public(response, desk)


def test_searching_an_internal_note_finds_nothing_for_readers(anon, desk):
    # search_text holds no internal note; the public search sees published claims only.
    assert anon.get(f"/api/v1/claims/?q={SECRET_NOTE}").json()["results"] == []


def test_unpublished_objects_are_not_found(anon, desk):
    draft = desk["draft"]
    draft_verdict = workflow.current_verdict(draft)
    for url in [f"/api/v1/claims/{draft.pk}/", f"/api/v1/claims/{draft.pk}/claimreview/",
                f"/api/v1/verdicts/{draft_verdict.pk}/", f"/api/v1/verdicts/?claim={draft.pk}"]:
        response = anon.get(url)
        assert response.status_code in (200, 404), url
        if response.status_code == 200:
            assert response.json()["results"] == []
        assert_public(response, desk)


def test_staff_only_resources_refuse_anonymous_clients(anon, desk):
    source = Source.objects.first()
    snapshot = Snapshot.objects.create(
        source=source, fetch_id="00000000-0000-0000-0000-000000000001",
        fetched_at="2026-01-01T00:00:00Z", final_url=source.url, http_status=200,
        payload_sha256="0" * 64, warc_path="x.warc.gz",
    )
    evidence = Evidence.objects.first()
    published = desk["published"]
    review = published.verdicts.get().reviews.get()
    urls = [
        "/api/v1/claimants/", f"/api/v1/claimants/{published.claimants.first().pk}/",
        "/api/v1/appearances/", f"/api/v1/appearances/{published.appearances.first().pk}/",
        "/api/v1/responses/", f"/api/v1/responses/{published.responses.first().pk}/",
        "/api/v1/reviews/", f"/api/v1/reviews/{review.pk}/",
        "/api/v1/evidence/", f"/api/v1/evidence/{evidence.pk}/",
        "/api/v1/sources/", f"/api/v1/sources/{source.pk}/",
        "/api/v1/snapshots/", f"/api/v1/snapshots/{snapshot.pk}/",
    ]
    for url in urls:
        response = anon.get(url)
        assert response.status_code == 401, url
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["status"] == 401


def test_anonymous_clients_cannot_write(anon, desk):
    published = desk["published"]
    attempts = [
        ("post", "/api/v1/claims/", {"text": "x"}),
        ("patch", f"/api/v1/claims/{published.pk}/", {"text": "x"}),
        ("delete", f"/api/v1/claims/{published.pk}/", None),
        ("post", f"/api/v1/claims/{published.pk}/transition/", {"to": "researching"}),
        ("post", "/api/v1/verdicts/", {"claim": published.pk}),
        ("patch", f"/api/v1/verdicts/{desk['verdict'].pk}/", {"headline": "x"}),
        ("post", "/api/v1/reviews/", {"verdict": desk["verdict"].pk, "kind": "comment",
                                      "body": "x"}),
        ("post", "/api/v1/evidence/", {"claim": published.pk, "url": "https://e.org/",
                                       "stance": "supports"}),
    ]
    for method, url, data in attempts:
        response = getattr(anon, method)(url, data, format="json")
        assert response.status_code == 401, (method, url)
    published.refresh_from_db()
    assert published.state == Claim.State.PUBLISHED
