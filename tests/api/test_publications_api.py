"""Readers see publications only, through the API as on the pages: a desk's edit of a
published claim starts a revision that readers do not see until another editor publishes
it, with the public note it needs; every version stays readable at /publications/."""
import json
import uuid

import pytest
from django.conf import settings

from claims import services
from claims.models import Claim, Correction, Publication, Verdict
from evidence.models import Snapshot, Source
from tests.data import desk

pytestmark = pytest.mark.django_db


def etag_of(client, url):
    return client.get(url)["ETag"]


def patch(client, url, data):
    return client.patch(url, data, format="json", HTTP_IF_MATCH=etag_of(client, url))


def move(client, claim, to):
    return client.post(f"/api/v1/claims/{claim.pk}/transition/", {"to": to}, format="json")


def reader_views(client, claim):
    """What readers are served about `claim`, by URL: bodies and the ETags of details."""
    verdict = claim.verdicts.get()
    urls = [f"/api/v1/claims/{claim.pk}/", "/api/v1/claims/", f"/api/v1/verdicts/{verdict.pk}/",
            "/api/v1/verdicts/", f"/api/v1/claims/{claim.pk}/claimreview/",
            "/api/v1/claimreview/", "/api/v1/corrections/",
            f"/api/v1/publications/?claim={claim.pk}"]
    served = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        served[url] = (response.content, response.get("ETag"))
    return served


@pytest.fixture
def published(seeded, fact_checker, editor):
    """A claim fiona (fact-checker) researched and drafted, rated false, published by
    edith (editor)."""
    return desk.published_claim(author=fact_checker, approver=editor,
                                summary="No evidence was offered.")


def test_a_lone_fact_checkers_edits_never_reach_readers(
    anon, client_for, nobody, fact_checker, published
):
    before = reader_views(anon, published)
    client = client_for(fact_checker)
    verdict = published.verdicts.get()
    edited = patch(client, f"/api/v1/verdicts/{verdict.pk}/", {
        "headline": "UNPUBLISHED headline", "summary": "UNPUBLISHED summary",
        "rating": "true"})
    assert edited.status_code == 200
    assert edited.json()["status"] == "draft"
    assert patch(client, f"/api/v1/claims/{published.pk}/",
                 {"text": "UNPUBLISHED wording of the claim"}).status_code == 200

    # The claim went back to research: a revision, which someone else must publish.
    claim = Claim.objects.get(pk=published.pk)
    assert claim.state == Claim.State.RESEARCHING
    assert claim.verdicts.get().status == Verdict.Status.DRAFT
    desk_view = client.get(f"/api/v1/claims/{claim.pk}/").json()
    assert desk_view["contributors"] == [{"id": fact_checker.pk, "username": "fiona"}]
    assert desk_view["current_publication"] == claim.current_publication_id
    assert desk_view["text"] == "UNPUBLISHED wording of the claim"

    # Readers, anonymous or signed in without a role, are served exactly what they were.
    for reader in (anon, client_for(nobody)):
        after = reader_views(reader, claim)
        assert after == before
        for body, _etag in after.values():
            assert b"UNPUBLISHED" not in body


def test_an_editor_who_edited_a_draft_cannot_publish_it(
    client_for, fact_checker, editor, other_editor, seeded
):
    claim = desk.make_claim("edited-by-editor", fact_checker=fact_checker)
    verdict = desk.draft(claim, fact_checker=fact_checker)
    assert move(client_for(fact_checker), claim, "in_review").status_code == 200
    assert patch(client_for(editor), f"/api/v1/verdicts/{verdict.pk}/",
                 {"headline": "Sharpened by the editor"}).status_code == 200

    refused = move(client_for(editor), claim, "published")
    assert refused.status_code == 409 and refused.json()["rule"] == "two_person_rule"
    assert not Publication.objects.filter(claim=claim).exists()

    assert move(client_for(other_editor), claim, "published").status_code == 200
    publication = Claim.objects.get(pk=claim.pk).current_publication
    assert publication.content["headline"] == "Sharpened by the editor"
    assert publication.content["authors"] == ["fiona", "edith"]
    assert publication.content["approver"] == "eric"


def test_an_authors_edit_withdraws_the_approval(
    client_for, fact_checker, editor, seeded
):
    claim = desk.make_claim("approved-then-edited", fact_checker=fact_checker)
    verdict = desk.draft(claim, fact_checker=fact_checker)
    assert move(client_for(fact_checker), claim, "in_review").status_code == 200
    approve = {"verdict": verdict.pk, "kind": "approve"}
    assert client_for(editor).post("/api/v1/reviews/", approve,
                                   format="json").status_code == 201
    url = f"/api/v1/verdicts/{verdict.pk}/"
    assert client_for(editor).get(url).json()["status"] == "approved"

    edited = patch(client_for(fact_checker), url, {"summary": "Edited after approval."})
    assert edited.status_code == 200
    assert edited.json()["status"] == "in_review" and edited.json()["approver"] is None

    # The editor approved something else: a new decision is needed, on the new text.
    again = client_for(editor).post("/api/v1/reviews/", approve, format="json")
    assert again.status_code == 201
    assert client_for(editor).get(url).json()["status"] == "approved"
    assert move(client_for(editor), claim, "published").status_code == 200
    publication = Claim.objects.get(pk=claim.pk).current_publication
    assert publication.content["summary"] == "Edited after approval."


def test_a_revision_is_published_with_its_correction(
    anon, client_for, fact_checker, editor, published
):
    writer, publisher = client_for(fact_checker), client_for(editor)
    verdict = published.verdicts.get()
    url = f"/api/v1/verdicts/{verdict.pk}/"
    first = published.current_publication

    assert patch(writer, url, {"summary": "The documents show otherwise."}).status_code == 200
    assert move(writer, published, "in_review").status_code == 200
    refused = move(publisher, published, "published")
    assert refused.status_code == 409 and refused.json()["rule"] == "correction_required"

    # A clarification cannot change the rating.
    noted = patch(writer, url, {"rating": "misleading", "change_kind": "clarification",
                                "correction_note": "We found the documents."})
    assert noted.status_code == 200
    assert noted.json()["correction_note"] == "We found the documents."
    refused = move(publisher, published, "published")
    assert refused.status_code == 409 and refused.json()["rule"] == "correction_required"
    assert not Correction.objects.exists()
    assert anon.get("/api/v1/corrections/").json()["count"] == 0

    assert patch(writer, url, {"change_kind": "correction"}).status_code == 200
    assert move(publisher, published, "published").status_code == 200

    claim = anon.get(f"/api/v1/claims/{published.pk}/").json()
    assert claim["verdict"]["summary"] == "The documents show otherwise."
    assert claim["verdict"]["rating"]["slug"] == "misleading"
    assert claim["publication"]["number"] == 2
    assert claim["publication"]["kind"] == "correction"
    [correction] = claim["verdict"]["corrections"]
    assert correction["note"] == "We found the documents."
    assert correction["kind"] == "correction"
    assert correction["previous_rating"]["slug"] == "false"
    assert correction["new_rating"]["slug"] == "misleading"
    assert correction["previous_summary"] == "No evidence was offered."
    assert anon.get("/api/v1/corrections/").json()["results"] == [correction]

    review = anon.get(f"/api/v1/claims/{published.pk}/claimreview/").json()
    second = Claim.objects.get(pk=published.pk).current_publication
    assert review == json.loads(second.claim_review)
    assert review["dateModified"] == second.published_at.isoformat()
    assert review["datePublished"] == first.first_published_at.date().isoformat()
    assert review["correction"] == [{
        "@type": "CorrectionComment", "text": "We found the documents.",
        "datePublished": second.published_at.isoformat()}]
    assert review["reviewRating"]["alternateName"] == "Misleading"

    # The desk's verdict: published again, its draft note emptied into the correction.
    desk_verdict = writer.get(url).json()
    assert desk_verdict["correction_note"] == "" and desk_verdict["status"] == "published"
    assert desk_verdict["publication_count"] == 2
    assert desk_verdict["current_publication"] == second.pk
    assert desk_verdict["corrections"][0]["publication"] == second.pk


def test_the_publishing_editor_may_write_the_note(
    anon, client_for, fact_checker, editor, published
):
    verdict = published.verdicts.get()
    url = f"/api/v1/verdicts/{verdict.pk}/"
    assert patch(client_for(fact_checker), url, {"headline": "Reworded"}).status_code == 200
    assert move(client_for(fact_checker), published, "in_review").status_code == 200
    publisher = client_for(editor)
    refused = move(publisher, published, "published")
    assert refused.status_code == 409 and refused.json()["rule"] == "correction_required"
    # Writing the note (following the refusal) does not make the editor an author.
    assert patch(publisher, url, {"correction_note": "We reworded the headline.",
                                  "change_kind": "clarification"}).status_code == 200
    assert publisher.get(f"/api/v1/claims/{published.pk}/").json()["contributors"] == [
        {"id": fact_checker.pk, "username": "fiona"}]
    assert move(publisher, published, "published").status_code == 200
    [correction] = anon.get("/api/v1/corrections/").json()["results"]
    assert (correction["kind"], correction["note"]) == (
        "clarification", "We reworded the headline.")
    review = anon.get(f"/api/v1/claims/{published.pk}/claimreview/").json()
    assert [c["text"] for c in review["correction"]] == ["We reworded the headline."]


def test_an_update_is_listed_but_is_no_correction(
    anon, client_for, fact_checker, editor, published
):
    cited = client_for(fact_checker).post("/api/v1/evidence/", {
        "claim": published.pk, "url": "https://example.org/new-evidence",
        "stance": "refutes", "summary": "A new source."}, format="json")
    assert cited.status_code == 201
    assert move(client_for(fact_checker), published, "in_review").status_code == 200
    assert move(client_for(editor), published, "published").status_code == 200

    claim = anon.get(f"/api/v1/claims/{published.pk}/").json()
    assert claim["publication"]["kind"] == "update"
    assert [e["summary"] for e in claim["evidence"]] == ["A new source."]
    [update] = claim["verdict"]["corrections"]
    assert update["kind"] == "update" and update["note"].startswith("Updated: ")
    assert update["previous_rating"] == update["new_rating"]
    review = anon.get(f"/api/v1/claims/{published.pk}/claimreview/").json()
    assert "dateModified" in review and "correction" not in review


def test_publishing_nothing_new_is_refused(client_for, fact_checker, editor, published):
    assert move(client_for(fact_checker), published, "researching").status_code == 200
    assert move(client_for(fact_checker), published, "in_review").status_code == 200
    refused = move(client_for(editor), published, "published")
    assert refused.status_code == 409 and refused.json()["rule"] == "nothing_to_publish"
    assert published.publications.count() == 1


def test_every_version_stays_readable(anon, client_for, fact_checker, editor, published):
    writer = client_for(fact_checker)
    verdict = published.verdicts.get()
    assert patch(writer, f"/api/v1/verdicts/{verdict.pk}/", {
        "summary": "Second version.", "correction_note": "We rewrote the summary."},
    ).status_code == 200
    desk.publish(published, fact_checker=fact_checker, editor=editor)

    listed = anon.get(f"/api/v1/publications/?claim={published.pk}").json()
    assert listed["count"] == 2
    first, second = reversed(listed["results"])  # newest first
    assert (first["number"], first["kind"], first["note"]) == (1, "first", "")
    assert (second["number"], second["kind"], second["note"]) == (
        2, "correction", "We rewrote the summary.")
    assert first["content"]["summary"] == "No evidence was offered."
    assert second["content"]["summary"] == "Second version."
    assert first["first_published_at"] == second["first_published_at"]
    for shown in (first, second):
        stored = Publication.objects.get(pk=shown["id"])
        assert shown["claim"] == {"id": published.pk, "slug": published.slug,
                                  "text": published.text}
        # As stored, less the bookkeeping of what its page completes (nothing to complete
        # here: no source, no related claim).
        assert shown["content"] == {key: value for key, value in stored.content.items()
                                    if key != "awaiting_capture"}
        assert shown["claim_review"] == json.loads(stored.claim_review)
        assert shown["claim_review_sha256"] == stored.claim_review_sha256
        assert shown["content_sha256"] == stored.content_sha256
        assert shown["rating"]["slug"] == "false"
        assert anon.get(f"/api/v1/publications/{shown['id']}/").json() == shown
    assert anon.get("/api/v1/publications/").json()["count"] == 2


def test_an_unpublished_claims_publications_are_not_found(
    anon, client_for, nobody, editor, fact_checker, published
):
    claim = desk.make_claim("never-published", fact_checker=fact_checker)
    desk.draft(claim, fact_checker=fact_checker)
    for reader in (anon, client_for(nobody)):
        response = reader.get(f"/api/v1/publications/?claim={claim.pk}")
        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"
        assert reader.get(f"/api/v1/publications/?claim={published.pk}").json()["count"] == 1
    # The desk lists publications by claim too: this one has none yet.
    assert client_for(editor).get(
        f"/api/v1/publications/?claim={claim.pk}").json()["count"] == 0


def test_readers_filter_and_search_what_was_published(
    anon, client_for, fact_checker, editor, published
):
    writer = client_for(fact_checker)
    verdict = published.verdicts.get()
    claimant = desk.rows.claimant("Government of Niger")
    assert patch(writer, f"/api/v1/claims/{published.pk}/", {
        "text": "Zanzibarian wording", "tags": ["mali"], "claimants": [claimant.pk],
        "language": "fr"}).status_code == 200
    assert patch(writer, f"/api/v1/verdicts/{verdict.pk}/", {"rating": "true"}).status_code == 200

    def found(query):
        response = anon.get(f"/api/v1/claims/?{query}")
        assert response.status_code == 200, query
        return [c["id"] for c in response.json()["results"]]

    # The desk's new values are not what readers were shown: they find nothing.
    for query in ("q=Zanzibarian", "tag=mali", "claimant=government-of-niger",
                  "rating=true", "language=fr"):
        assert found(query) == [], query
    assert anon.get("/api/v1/verdicts/?rating=true").json()["count"] == 0
    # What was published still finds the claim.
    assert "Sahel" in published.text
    for query in ("q=Sahel", "rating=false", "language=en"):
        assert found(query) == [published.pk], query
    assert anon.get("/api/v1/verdicts/?rating=false").json()["count"] == 1

    assert patch(writer, f"/api/v1/verdicts/{verdict.pk}/",
                 {"correction_note": "New wording and rating."}).status_code == 200
    desk.publish(published, fact_checker=fact_checker, editor=editor)
    for query in ("q=Zanzibarian", "tag=mali", "claimant=government-of-niger",
                  "rating=true", "language=fr"):
        assert found(query) == [published.pk], query
    for query in ("q=Sahel", "rating=false", "language=en"):
        assert found(query) == [], query


def test_readers_are_shown_a_publication_completed_as_its_page(
    anon, client_for, fact_checker, editor, other_editor, seeded
):
    """As the page does: a source archived after publication shows its capture, and only
    related claims readers see are named, by their current published wording."""
    claim = desk.make_claim("cites-a-page", fact_checker=fact_checker, evidence=1)
    other = desk.make_claim("related-draft", fact_checker=fact_checker,
                            text="UNPUBLISHED related claim")
    services.add_relation(from_claim=claim, to_claim=other, kind="rests_on", by=fact_checker)
    desk.draft(claim, fact_checker=fact_checker)
    desk.publish(claim, fact_checker=fact_checker, editor=editor)
    url, versions = f"/api/v1/claims/{claim.pk}/", f"/api/v1/publications/?claim={claim.pk}"

    before = anon.get(url)
    [evidence] = before.json()["evidence"]
    assert evidence["source"]["archived_at"] is None
    assert evidence["source"]["archived_copy"] is None
    assert before.json()["relations"] == []
    for response in (before, anon.get(versions)):
        assert b"related-draft" not in response.content
        assert b"UNPUBLISHED" not in response.content

    source = Source.objects.get(evidence__claim=claim)
    snapshot = Snapshot.objects.create(
        source=source, fetch_id=uuid.uuid4(), fetched_at="2026-11-30T10:00:00Z",
        final_url=source.url, http_status=200, payload_sha256="0" * 64, warc_path="x.warc.gz")
    Source.objects.filter(pk=source.pk).update(latest_snapshot=snapshot)
    desk.draft(other, fact_checker=fact_checker, summary="The other claim's verdict.")
    desk.publish(other, fact_checker=fact_checker, editor=other_editor)

    after = anon.get(url)
    assert after.json()["evidence"][0]["source"]["archived_at"] == "2026-11-30T10:00:00Z"
    # ...with the address of that copy, which readers may open.
    copy = after.json()["evidence"][0]["source"]["archived_copy"]
    assert copy.endswith(f"/archive/{snapshot.pk}/")
    assert anon.get(copy.removeprefix(settings.SITE_URL.rstrip("/"))).status_code == 200
    assert after.json()["relations"] == [{
        "wording": "This claim rests on", "slug": "related-draft",
        "text": "UNPUBLISHED related claim"}]
    assert after["ETag"] != before["ETag"]
    [version] = anon.get(versions).json()["results"]
    assert version["content"]["evidence"][0]["source"]["snapshot"]["pk"] == snapshot.pk
    assert [r["slug"] for r in version["content"]["related"]] == ["related-draft"]
    # The publication itself is what it was.
    stored = Publication.objects.get(pk=version["id"])
    assert stored.content["evidence"][0]["source"]["snapshot"] is None
