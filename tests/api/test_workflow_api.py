"""The workflow through the API: transitions, reviews and verdict edits, by role, with the
same services as the admin (claims.workflow)."""
import pytest

from claims import workflow
from claims.models import Claim, Correction, Rating, Review, Verdict

pytestmark = pytest.mark.django_db


@pytest.fixture
def researching(seeded):
    """The seed claim in research, with a complete draft verdict by the seed desk."""
    return Claim.objects.get(slug="ukraine-supports-terrorism-in-africa")


def etag_of(client, url):
    return client.get(url)["ETag"]


def test_transition_returns_the_new_state(client_for, fact_checker, researching):
    response = client_for(fact_checker).post(
        f"/api/v1/claims/{researching.pk}/transition/", {"to": "in_review"}, format="json")
    assert response.status_code == 200
    assert response.json() == {"id": researching.pk, "state": "in_review",
                               "allowed_moves": ["published", "researching"]}
    researching.refresh_from_db()
    assert researching.state == Claim.State.IN_REVIEW
    assert workflow.current_verdict(researching).status == Verdict.Status.IN_REVIEW


def test_refused_move_answers_409_naming_the_rule(client_for, fact_checker, researching):
    response = client_for(fact_checker).post(
        f"/api/v1/claims/{researching.pk}/transition/", {"to": "new"}, format="json")
    assert response.status_code == 409
    body = response.json()
    assert body["rule"] == "invalid_transition" and body["status"] == 409
    assert "Allowed next" in body["detail"]


def test_moves_beyond_the_role_answer_403(client_for, fact_checker, reviewer, researching):
    workflow.transition_claim(claim=researching, to_state="in_review", by=fact_checker)
    response = client_for(fact_checker).post(
        f"/api/v1/claims/{researching.pk}/transition/", {"to": "published"}, format="json")
    assert response.status_code == 403 and response.json()["rule"] == "permission"
    response = client_for(reviewer).post(
        f"/api/v1/claims/{researching.pk}/transition/", {"to": "researching"}, format="json")
    assert response.status_code == 403
    researching.refresh_from_db()
    assert researching.state == Claim.State.IN_REVIEW


def test_two_person_rule_holds(client_for, fact_checker, editor, other_editor, researching):
    verdict = workflow.current_verdict(researching)
    verdict.author = editor
    verdict.save()
    workflow.transition_claim(claim=researching, to_state="in_review", by=fact_checker)
    url = f"/api/v1/claims/{researching.pk}/transition/"
    response = client_for(editor).post(url, {"to": "published"}, format="json")
    assert response.status_code == 409 and response.json()["rule"] == "two_person_rule"
    response = client_for(other_editor).post(url, {"to": "published"}, format="json")
    assert response.status_code == 200 and response.json()["state"] == "published"


def test_unknown_state_is_a_field_error(client_for, fact_checker, researching):
    response = client_for(fact_checker).post(
        f"/api/v1/claims/{researching.pk}/transition/", {"to": "done"}, format="json")
    assert response.status_code == 400 and "to" in response.json()["errors"]


def test_duplicate_needs_the_original(client_for, fact_checker, seeded):
    claim = Claim.objects.filter(state="new").first()
    original = Claim.objects.exclude(pk=claim.pk).first()
    url = f"/api/v1/claims/{claim.pk}/transition/"
    client = client_for(fact_checker)
    assert client.post(url, {"to": "duplicate"}, format="json").json()["rule"] == (
        "invalid_transition")
    response = client.post(url, {"to": "duplicate", "duplicate_of": original.pk}, format="json")
    assert response.status_code == 200
    claim.refresh_from_db()
    assert claim.duplicate_of == original


def test_review_cycle(client_for, fact_checker, reviewer, editor, researching):
    verdict = workflow.current_verdict(researching)
    verdict.author = fact_checker
    verdict.save()
    workflow.transition_claim(claim=researching, to_state="in_review", by=fact_checker)

    comment = client_for(reviewer).post(
        "/api/v1/reviews/", {"verdict": verdict.pk, "kind": "comment", "body": "Cite the UN"},
        format="json")
    assert comment.status_code == 201
    assert comment.json()["reviewer"]["username"] == "rosa"

    sent_back = client_for(reviewer).post(
        "/api/v1/reviews/", {"verdict": verdict.pk, "kind": "request_changes",
                             "body": "Add the denial"}, format="json")
    assert sent_back.status_code == 201
    researching.refresh_from_db()
    assert researching.state == Claim.State.RESEARCHING

    # The author reads what the reviewers said.
    seen = client_for(fact_checker).get(f"/api/v1/reviews/?verdict={verdict.pk}").json()
    assert [r["kind"] for r in seen["results"]] == ["comment", "request_changes"]
    detail = client_for(fact_checker).get(f"/api/v1/claims/{researching.pk}/").json()
    assert len(detail["verdict"]["reviews"]) == 2

    workflow.transition_claim(claim=researching, to_state="in_review", by=fact_checker)
    approved = client_for(editor).post(
        "/api/v1/reviews/", {"verdict": verdict.pk, "kind": "approve"}, format="json")
    assert approved.status_code == 201
    verdict.refresh_from_db()
    assert verdict.status == Verdict.Status.APPROVED and verdict.approver == editor


def test_authors_cannot_approve_their_own_verdict(client_for, editor, fact_checker, researching):
    verdict = workflow.current_verdict(researching)
    verdict.author = editor
    verdict.save()
    workflow.transition_claim(claim=researching, to_state="in_review", by=fact_checker)
    response = client_for(editor).post(
        "/api/v1/reviews/", {"verdict": verdict.pk, "kind": "approve"}, format="json")
    assert response.status_code == 409 and response.json()["rule"] == "two_person_rule"
    assert not Review.objects.exists()


def test_fact_checkers_do_not_review(client_for, fact_checker, researching):
    verdict = workflow.current_verdict(researching)
    response = client_for(fact_checker).post(
        "/api/v1/reviews/", {"verdict": verdict.pk, "kind": "comment", "body": "x"},
        format="json")
    assert response.status_code == 403
    assert response.json()["title"] == "Permission denied"


def test_empty_comment_is_refused(client_for, reviewer, researching):
    verdict = workflow.current_verdict(researching)
    response = client_for(reviewer).post(
        "/api/v1/reviews/", {"verdict": verdict.pk, "kind": "comment", "body": " "},
        format="json")
    assert response.status_code == 409 and response.json()["rule"] == "invalid_transition"


def test_verdict_created_through_save_verdict(client_for, fact_checker, seeded):
    claim = Claim.objects.get(slug="yusov-rebels-received-necessary-information")
    client = client_for(fact_checker)
    response = client.post("/api/v1/verdicts/", {
        "claim": claim.pk, "rating": "unsupported", "headline": "H", "summary": "S",
    }, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["author"]["username"] == "fiona" and body["rating"]["slug"] == "unsupported"
    assert response["ETag"]
    again = client.post("/api/v1/verdicts/", {"claim": claim.pk}, format="json")
    assert again.status_code == 409


def test_reviewers_cannot_edit_verdicts(client_for, reviewer, researching):
    verdict = workflow.current_verdict(researching)
    url = f"/api/v1/verdicts/{verdict.pk}/"
    client = client_for(reviewer)
    response = client.patch(url, {"headline": "x"}, format="json",
                            HTTP_IF_MATCH=etag_of(client, url))
    assert response.status_code == 403


def test_published_rating_change_is_published_with_a_correction_note(
    client_for, fact_checker, editor, researching
):
    # The rule changed with publications: the edit is saved (a revision starts), and it is
    # its publication that needs the note readers will see.
    workflow.transition_claim(claim=researching, to_state="in_review", by=fact_checker)
    workflow.transition_claim(claim=researching, to_state="published", by=editor)
    verdict = workflow.current_verdict(researching)
    url = f"/api/v1/verdicts/{verdict.pk}/"
    client = client_for(fact_checker)

    changed = client.patch(url, {"rating": "false"}, format="json",
                           HTTP_IF_MATCH=etag_of(client, url))
    assert changed.status_code == 200
    assert changed.json()["rating"]["slug"] == "false"
    assert changed.json()["status"] == "draft" and changed.json()["correction_note"] == ""
    researching.refresh_from_db()
    assert researching.state == Claim.State.RESEARCHING
    assert not Correction.objects.exists()

    transition = f"/api/v1/claims/{researching.pk}/transition/"
    assert client.post(transition, {"to": "in_review"}, format="json").status_code == 200
    refused = client_for(editor).post(transition, {"to": "published"}, format="json")
    assert refused.status_code == 409 and refused.json()["rule"] == "correction_required"
    assert not Correction.objects.exists()

    noted = client.patch(url, {"correction_note": "New documents"}, format="json",
                         HTTP_IF_MATCH=etag_of(client, url))
    assert noted.status_code == 200
    # The desk reads the draft note (it is no longer write-only); readers do not yet.
    assert noted.json()["correction_note"] == "New documents"
    assert noted.json()["change_kind"] == "correction"
    assert not Correction.objects.exists()

    published = client_for(editor).post(transition, {"to": "published"}, format="json")
    assert published.status_code == 200
    correction = Correction.objects.get()
    assert correction.note == "New documents" and correction.kind == "correction"
    assert correction.previous_rating == Rating.objects.get(slug="unsupported")
    assert correction.new_rating == Rating.objects.get(slug="false")
    after = client.get(url).json()
    assert after["corrections"][0]["note"] == "New documents"
    assert after["correction_note"] == "" and after["status"] == "published"
    assert after["publication_count"] == 2
