"""The editorial workflow services: every move, for every role, allowed or refused."""
import pytest
from django.db import IntegrityError, transaction

from claims import roles, workflow
from claims.models import Claim, ClaimRelation, Correction, Review, Verdict
from claims.workflow import (
    CorrectionRequired,
    InvalidTransition,
    NotAllowed,
    NothingToPublish,
    TwoPersonRule,
    VerdictIncomplete,
    WorkflowError,
)
from tests.data import desk, rows

S = Claim.State

# Every move the workflow knows, and the claim each needs to be possible at all.
MOVES = [
    (S.NEW, S.TRIAGED), (S.NEW, S.REJECTED), (S.NEW, S.DUPLICATE),
    (S.TRIAGED, S.RESEARCHING), (S.TRIAGED, S.REJECTED), (S.TRIAGED, S.DUPLICATE),
    (S.RESEARCHING, S.IN_REVIEW), (S.IN_REVIEW, S.RESEARCHING), (S.IN_REVIEW, S.PUBLISHED),
    (S.PUBLISHED, S.RESEARCHING), (S.REJECTED, S.NEW), (S.DUPLICATE, S.NEW),
]

# Which role may make which move. A Reviewer comments; they never move claims.
ALLOWED = {
    "fact_checker": {m for m in MOVES if m != (S.IN_REVIEW, S.PUBLISHED)},
    "editor": set(MOVES),
    "reviewer": set(),
}


def snapshot(claim):
    """Everything a refused move must leave alone."""
    claim = Claim.objects.get(pk=claim.pk)
    verdict = claim.verdicts.filter(is_current=True).values().first()
    return {
        "claim": Claim.objects.filter(pk=claim.pk).values().get(),
        "verdict": verdict,
        "relations": list(ClaimRelation.objects.values_list("pk", flat=True)),
        "history": claim.history.count(),
    }


def prepare(from_state, *, author):
    """A claim in `from_state`, with the verdict and duplicate link that state implies."""
    if from_state in (S.RESEARCHING, S.IN_REVIEW):
        return rows.claim_with_verdict(state=from_state, author=author)
    if from_state == S.PUBLISHED:
        return desk.published_claim(
            author=author, approver=desk.make_user("approver-of-record", roles.EDITOR)
        )
    if from_state == S.DUPLICATE:
        return rows.claim(state=from_state, duplicate_of=rows.claim())
    return rows.claim(state=from_state)


@pytest.mark.parametrize("role", ["fact_checker", "editor", "reviewer"])
@pytest.mark.parametrize(("from_state", "to_state"), MOVES, ids=lambda s: str(s))
def test_each_role_on_each_move(request, role, from_state, to_state, other_fact_checker):
    user = request.getfixturevalue(role)
    claim = prepare(from_state, author=other_fact_checker)
    original = rows.claim() if to_state == S.DUPLICATE else None
    before = snapshot(claim)

    if (from_state, to_state) in ALLOWED[role]:
        moved = workflow.transition_claim(
            claim=claim, to_state=to_state, by=user, duplicate_of=original
        )
        claim.refresh_from_db()
        assert moved.state == claim.state == to_state
        assert claim.updated_by == user
        assert claim.history.count() == before["history"] + 1
    else:
        with pytest.raises(NotAllowed) as refused:
            workflow.transition_claim(
                claim=claim, to_state=to_state, by=user, duplicate_of=original
            )
        assert refused.value.rule == "permission"
        assert "not allowed" in str(refused.value)
        assert snapshot(claim) == before


@pytest.mark.parametrize("from_state", list(S))
def test_moves_outside_the_map_are_refused_and_change_nothing(from_state, editor, fact_checker):
    claim = prepare(from_state, author=fact_checker)
    allowed = {to for frm, to in MOVES if frm == from_state}
    for to_state in set(S) - allowed - {from_state}:
        before = snapshot(claim)
        with pytest.raises(InvalidTransition) as refused:
            workflow.transition_claim(
                claim=claim, to_state=to_state, by=editor, duplicate_of=rows.claim()
            )
        assert refused.value.rule == "invalid_transition"
        assert "Allowed next" in refused.value.message
        after = snapshot(claim)
        after["relations"] = before["relations"]  # the original we made for the call
        assert after == before


def test_an_unknown_state_is_a_workflow_error_not_a_crash(editor):
    claim = rows.claim()
    with pytest.raises(InvalidTransition, match="not a workflow state"):
        workflow.transition_claim(claim=claim, to_state="approved-by-magic", by=editor)


def test_the_full_path_from_new_to_published(fact_checker, editor):
    claim = rows.claim()
    for state in (S.TRIAGED, S.RESEARCHING):
        workflow.transition_claim(claim=claim, to_state=state, by=fact_checker)
    verdict = workflow.save_verdict(
        claim=claim, by=fact_checker, rating=rows.rating(), summary="Nothing backs it."
    )
    assert verdict.author == fact_checker and verdict.status == Verdict.Status.DRAFT
    workflow.transition_claim(claim=claim, to_state=S.IN_REVIEW, by=fact_checker)
    verdict.refresh_from_db()
    assert verdict.status == Verdict.Status.IN_REVIEW and verdict.submitted_at
    workflow.transition_claim(claim=claim, to_state=S.PUBLISHED, by=editor)
    verdict.refresh_from_db()
    assert verdict.status == Verdict.Status.PUBLISHED
    assert verdict.approver == editor and verdict.published_at and verdict.last_published_at


# --- publishing -------------------------------------------------------------------------


def test_an_editor_cannot_publish_their_own_verdict(editor, other_editor):
    claim = rows.claim_with_verdict(state=S.IN_REVIEW, author=editor)
    before = snapshot(claim)
    with pytest.raises(TwoPersonRule) as refused:
        workflow.transition_claim(claim=claim, to_state=S.PUBLISHED, by=editor)
    assert refused.value.rule == "two_person_rule"
    assert "another editor" in refused.value.message
    assert snapshot(claim) == before
    workflow.transition_claim(claim=claim, to_state=S.PUBLISHED, by=other_editor)
    assert Verdict.objects.get(claim=claim).approver == other_editor


def test_the_database_also_refuses_an_author_approving_themselves(editor):
    claim = rows.claim_with_verdict(state=S.IN_REVIEW, author=editor)
    with pytest.raises(IntegrityError), transaction.atomic():
        Verdict.objects.filter(claim=claim).update(approver=editor)


@pytest.mark.parametrize("missing", ["rating", "summary"])
def test_publishing_needs_a_rating_and_a_summary(missing, fact_checker, editor):
    claim = rows.claim_with_verdict(state=S.IN_REVIEW, author=fact_checker)
    Verdict.objects.filter(claim=claim).update(**{missing: None if missing == "rating" else " "})
    before = snapshot(claim)
    with pytest.raises(VerdictIncomplete) as refused:
        workflow.transition_claim(claim=claim, to_state=S.PUBLISHED, by=editor)
    assert refused.value.rule == "verdict_incomplete"
    assert "rating and a summary" in refused.value.message
    assert snapshot(claim) == before


def test_submitting_without_a_verdict_is_refused(fact_checker):
    claim = rows.claim(state=S.RESEARCHING)
    before = snapshot(claim)
    with pytest.raises(VerdictIncomplete, match="Draft a verdict"):
        workflow.transition_claim(claim=claim, to_state=S.IN_REVIEW, by=fact_checker)
    assert snapshot(claim) == before


def test_sending_back_makes_the_verdict_a_draft_again(fact_checker, editor):
    claim = rows.claim_with_verdict(state=S.IN_REVIEW, author=fact_checker)
    workflow.transition_claim(claim=claim, to_state=S.RESEARCHING, by=editor)
    assert Verdict.objects.get(claim=claim).status == Verdict.Status.DRAFT


def test_reopening_starts_a_revision_and_readers_keep_the_publication(
    fact_checker, editor, other_editor
):
    claim = desk.published_claim(author=fact_checker, approver=other_editor)
    publication = Claim.objects.get(pk=claim.pk).current_publication
    workflow.transition_claim(claim=claim, to_state=S.RESEARCHING, by=editor)
    verdict = Verdict.objects.get(claim=claim)
    assert verdict.is_published and verdict.status == Verdict.Status.DRAFT
    assert verdict.approver is None
    assert Claim.objects.get(pk=claim.pk).current_publication == publication


def test_a_revision_sent_back_is_a_draft_again_and_readers_keep_the_publication(
    fact_checker, editor, other_editor
):
    """Regression: a reopened, resubmitted and sent-back verdict stayed 'in review'."""
    claim = desk.published_claim(author=fact_checker, approver=other_editor)
    publication = Claim.objects.get(pk=claim.pk).current_publication
    workflow.transition_claim(claim=claim, to_state=S.RESEARCHING, by=fact_checker)
    workflow.transition_claim(claim=claim, to_state=S.IN_REVIEW, by=fact_checker)
    assert Verdict.objects.get(claim=claim).status == Verdict.Status.IN_REVIEW
    workflow.transition_claim(claim=claim, to_state=S.RESEARCHING, by=editor)
    assert Verdict.objects.get(claim=claim).status == Verdict.Status.DRAFT
    assert Claim.objects.get(pk=claim.pk).current_publication == publication


# --- duplicates -------------------------------------------------------------------------


def test_marking_a_duplicate_links_the_original(fact_checker):
    original, claim = rows.claim(), rows.claim()
    workflow.transition_claim(
        claim=claim, to_state=S.DUPLICATE, by=fact_checker, duplicate_of=original
    )
    claim.refresh_from_db()
    assert claim.duplicate_of == original
    assert ClaimRelation.objects.filter(
        from_claim=claim, to_claim=original, kind=ClaimRelation.Kind.DUPLICATE_OF
    ).exists()


@pytest.mark.parametrize("case", ["none", "itself", "mutual"])
def test_a_duplicate_needs_a_proper_original(case, fact_checker):
    claim = rows.claim()
    original = {
        "none": None,
        "itself": claim,
        "mutual": rows.claim(state=S.DUPLICATE, duplicate_of=claim),
    }[case]
    before = snapshot(claim)
    with pytest.raises(InvalidTransition):
        workflow.transition_claim(
            claim=claim, to_state=S.DUPLICATE, by=fact_checker, duplicate_of=original
        )
    assert snapshot(claim) == before


def test_reconsidering_a_duplicate_removes_the_link(fact_checker):
    original, claim = rows.claim(), rows.claim()
    workflow.transition_claim(
        claim=claim, to_state=S.DUPLICATE, by=fact_checker, duplicate_of=original
    )
    workflow.transition_claim(claim=claim, to_state=S.NEW, by=fact_checker)
    claim.refresh_from_db()
    assert claim.duplicate_of is None
    assert not ClaimRelation.objects.filter(from_claim=claim).exists()


# --- verdicts and corrections -----------------------------------------------------------


def test_a_reviewer_cannot_write_verdicts(reviewer):
    claim = rows.claim(state=S.RESEARCHING)
    with pytest.raises(NotAllowed):
        workflow.save_verdict(claim=claim, by=reviewer, summary="Mine now")
    assert not Verdict.objects.filter(claim=claim).exists()


def test_save_verdict_accepts_a_rating_id_for_a_new_verdict(fact_checker):
    claim = rows.claim(state=S.RESEARCHING)
    rating = rows.rating()
    verdict = workflow.save_verdict(claim=claim, by=fact_checker, rating=rating.pk)
    assert verdict.rating == rating


def published(fact_checker, approver):
    return desk.published_claim(author=fact_checker, approver=approver)


@pytest.mark.parametrize("change", ["rating", "summary"])
def test_editing_a_published_verdict_drafts_a_revision_readers_do_not_see(
    change, fact_checker, editor
):
    claim = published(fact_checker, editor)
    verdict = Verdict.objects.get(claim=claim)
    publication = Claim.objects.get(pk=claim.pk).current_publication
    new = {"rating": verdict.rating, "summary": verdict.summary}
    new[change] = rows.rating("misleading") if change == "rating" else "A new summary."
    workflow.save_verdict(claim=claim, by=fact_checker, **new)
    verdict.refresh_from_db()
    assert (verdict.rating, verdict.summary) == (new["rating"], new["summary"])
    # Nothing is corrected until the revision is published; readers keep the publication.
    assert not Correction.objects.exists()
    claim = Claim.objects.get(pk=claim.pk)
    assert claim.state == S.RESEARCHING and claim.current_publication == publication
    assert list(claim.contributors.all()) == [fact_checker]


def test_a_drafted_correction_note_is_kept_until_it_is_published(fact_checker, editor):
    claim = published(fact_checker, editor)
    workflow.save_verdict(claim=claim, by=fact_checker, rating=rows.rating(),
                          summary="Second wording.", correction_note="We had misread it.")
    # A later save that leaves the note out keeps it.
    verdict = workflow.save_verdict(claim=claim, by=fact_checker, rating=rows.rating(),
                                    summary="Second wording, better.")
    assert verdict.correction_note == "We had misread it."


def test_corrections_accumulate_and_stay_in_order(fact_checker, editor, other_editor):
    claim = published(fact_checker, editor)
    for n, summary in enumerate(["Second wording.", "Third wording."]):
        workflow.save_verdict(
            claim=claim, by=fact_checker, rating=rows.rating(), summary=summary,
            correction_note=f"Correction {n + 1}",
        )
        desk.publish(claim, fact_checker=fact_checker, editor=(editor, other_editor)[n])
    notes = Correction.objects.order_by("created_at").values_list("note", "previous_summary")
    assert list(notes) == [
        ("Correction 1", "No evidence was offered."), ("Correction 2", "Second wording."),
    ]
    assert list(Claim.objects.get(pk=claim.pk).publications.values_list("number", "kind")) == [
        (1, "first"), (2, "correction"), (3, "correction")]


def test_a_reviewer_comments_and_requests_changes(reviewer, fact_checker):
    claim = rows.claim_with_verdict(state=S.IN_REVIEW, author=fact_checker)
    verdict = Verdict.objects.get(claim=claim)
    workflow.add_review(verdict=verdict, by=reviewer, kind="comment", body="Source 2?")
    workflow.add_review(verdict=verdict, by=reviewer, kind="request_changes", body="Redo")
    claim.refresh_from_db()
    verdict.refresh_from_db()
    assert claim.state == S.RESEARCHING and verdict.status == Verdict.Status.DRAFT
    assert list(verdict.reviews.values_list("kind", flat=True)) == ["comment", "request_changes"]


def test_a_reviewer_approval_is_advice_an_editor_approval_approves(
    reviewer, editor, fact_checker
):
    claim = rows.claim_with_verdict(state=S.IN_REVIEW, author=fact_checker)
    verdict = Verdict.objects.get(claim=claim)
    workflow.add_review(verdict=verdict, by=reviewer, kind="approve")
    verdict.refresh_from_db()
    assert verdict.status == Verdict.Status.IN_REVIEW and verdict.approver is None
    workflow.add_review(verdict=verdict, by=editor, kind="approve")
    verdict.refresh_from_db()
    assert verdict.status == Verdict.Status.APPROVED and verdict.approver == editor


def test_nobody_reviews_their_own_verdict(editor):
    claim = rows.claim_with_verdict(state=S.IN_REVIEW, author=editor)
    verdict = Verdict.objects.get(claim=claim)
    with pytest.raises(TwoPersonRule):
        workflow.add_review(verdict=verdict, by=editor, kind="approve")
    assert not Review.objects.exists()


def test_a_fact_checker_cannot_review(fact_checker, other_fact_checker):
    claim = rows.claim_with_verdict(state=S.IN_REVIEW, author=other_fact_checker)
    with pytest.raises(NotAllowed):
        workflow.add_review(
            verdict=Verdict.objects.get(claim=claim), by=fact_checker, kind="comment", body="x"
        )


@pytest.mark.parametrize(
    ("kind", "body", "state"),
    [("comment", "  ", S.IN_REVIEW), ("approve", "", S.RESEARCHING)],
)
def test_reviews_that_make_no_sense_are_refused(kind, body, state, reviewer, fact_checker):
    claim = rows.claim_with_verdict(state=state, author=fact_checker)
    with pytest.raises(InvalidTransition):
        workflow.add_review(
            verdict=Verdict.objects.get(claim=claim), by=reviewer, kind=kind, body=body
        )
    assert not Review.objects.exists()


# --- assignment and priority ------------------------------------------------------------


@pytest.mark.parametrize("role", ["fact_checker", "editor"])
def test_desk_roles_assign_and_prioritise(request, role, db):
    user = request.getfixturevalue(role)
    claim = rows.claim()
    workflow.assign_claim(claim=claim, assignee=user, by=user)
    workflow.set_priority(claim=claim, priority=Claim.Priority.URGENT, by=user)
    claim.refresh_from_db()
    assert claim.assignee == user and claim.priority == Claim.Priority.URGENT


def test_a_reviewer_neither_assigns_nor_prioritises(reviewer):
    claim = rows.claim()
    with pytest.raises(NotAllowed):
        workflow.assign_claim(claim=claim, assignee=reviewer, by=reviewer)
    with pytest.raises(NotAllowed):
        workflow.set_priority(claim=claim, priority=Claim.Priority.URGENT, by=reviewer)
    claim.refresh_from_db()
    assert claim.assignee is None and claim.priority == Claim.Priority.NORMAL


def test_every_refusal_is_a_workflow_error_with_a_rule():
    for error in (NotAllowed, InvalidTransition, TwoPersonRule, VerdictIncomplete,
                  CorrectionRequired, NothingToPublish):
        assert issubclass(error, WorkflowError)
        assert error("x").rule != WorkflowError.rule


def test_reviews_outlive_their_claim_in_the_history(fact_checker, reviewer):
    """A review is written once; deleting its claim deletes it, and the history keeps
    who reviewed what (claims.models.Review.history)."""
    from claims import services

    claim = services.create_claim(by=fact_checker, text="The bridge opened in 1990.",
                                  slug="bridge-1990")
    desk.research(claim, by=fact_checker)
    verdict = workflow.save_verdict(claim=claim, by=fact_checker, headline="Opened in 1991",
                                    summary="It opened a year later.")
    workflow.add_review(verdict=verdict, by=reviewer, kind="comment", body="Source for 1991?")
    services.delete_claim(claim)

    assert not Review.objects.exists()
    created, deleted = Review.history.order_by("history_id")
    assert (created.history_type, deleted.history_type) == ("+", "-")
    assert (deleted.body, deleted.reviewer_id) == ("Source for 1991?", reviewer.pk)
