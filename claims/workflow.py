"""The editorial workflow: states, moves, who may make them, and the rules of publishing.

Every change of a claim's state or of a verdict goes through these functions, from the
admin and from the API alike. A refused move raises a WorkflowError naming the rule.

    new -> triaged -> researching -> in_review -> published
    new | triaged -> rejected | duplicate        (exits from triage)
    in_review -> researching                     (changes requested, or pulled back)
    published -> researching                     (reopen; the published verdict stays up)
    rejected | duplicate -> new                  (reconsider)

Corrections and reviews are written here too: a correction by save_verdict, when a
published verdict's rating or summary changes; a review by add_review.

Lock order, the same as in claims.services and evidence.services: each function first
locks the claim (claims.services.lock_claim), then its current verdict, then the rest.
A verdict saved while someone moves its claim through the workflow therefore waits for
that move to finish (or the other way round), instead of deadlocking against it.
"""
from django.db import transaction
from django.utils import timezone

from factcheck.edit_versions import ensure_unchanged
from factcheck.rules import NotPermitted, RuleBroken

from .models import Claim, ClaimRelation, Correction, Rating, Review, Verdict
from .services import lock_claim

State = Claim.State

TRANSITIONS = {
    State.NEW: {State.TRIAGED, State.REJECTED, State.DUPLICATE},
    State.TRIAGED: {State.RESEARCHING, State.REJECTED, State.DUPLICATE},
    State.RESEARCHING: {State.IN_REVIEW},
    State.IN_REVIEW: {State.RESEARCHING, State.PUBLISHED},
    State.PUBLISHED: {State.RESEARCHING},
    State.REJECTED: {State.NEW},
    State.DUPLICATE: {State.NEW},
}

PERM_TRANSITION = "claims.transition_claim"
PERM_PUBLISH = "claims.publish_verdict"
PERM_REVIEW = "claims.review_verdict"
PERM_EDIT_VERDICT = "claims.change_verdict"


class WorkflowError(RuleBroken):
    """A move the workflow refuses. `rule` is a stable code; the message says what to do."""

    rule = "workflow"


class NotAllowed(WorkflowError, NotPermitted):
    rule = "permission"


class InvalidTransition(WorkflowError):
    rule = "invalid_transition"


class TwoPersonRule(WorkflowError):
    rule = "two_person_rule"


class VerdictIncomplete(WorkflowError):
    rule = "verdict_incomplete"


class CorrectionRequired(WorkflowError):
    rule = "correction_required"


def allowed_moves(claim):
    """The states a claim may move to next, whatever the user."""
    return sorted(TRANSITIONS.get(State(claim.state), set()))


def current_verdict(claim):
    return claim.verdicts.filter(is_current=True).first()


def _lock_current_verdict(claim):
    """The claim's current verdict (or None), locked: call with the claim locked."""
    return claim.verdicts.select_for_update(no_key=True).filter(is_current=True).first()


def lock_verdict(verdict, read_version=None):
    """`verdict` read again and locked until the transaction ends, after its claim (the
    lock order above). With `read_version` (version_of the verdict as the editor read it),
    raises StaleEdit if it was saved since. Must run inside a transaction."""
    lock_claim(verdict.claim_id)
    locked = Verdict.objects.select_for_update(no_key=True).get(pk=verdict.pk)
    return locked if read_version is None else ensure_unchanged(locked, read_version)


def _require(user, perm, what):
    if not user.has_perm(perm):
        raise NotAllowed(f"You are not allowed to {what}: your role lacks that permission.")


@transaction.atomic
def transition_claim(*, claim, to_state, by, duplicate_of=None):
    """Move `claim` to `to_state` on behalf of `by`, enforcing every rule of the workflow.

    Returns the updated claim. Raises NotAllowed, InvalidTransition, TwoPersonRule or
    VerdictIncomplete; on any of them nothing is changed.
    """
    claim = lock_claim(claim)
    try:
        to_state = State(to_state)
    except ValueError:
        raise InvalidTransition(f"“{to_state}” is not a workflow state.") from None
    _require(by, PERM_TRANSITION, "move claims through the workflow")
    if to_state not in TRANSITIONS.get(State(claim.state), set()):
        raise InvalidTransition(
            f"A claim cannot move from “{claim.get_state_display()}” to "
            f"“{to_state.label}”. Allowed next: "
            + (", ".join(State(s).label for s in allowed_moves(claim)) or "none")
            + "."
        )

    verdict = _lock_current_verdict(claim)
    now = timezone.now()
    if to_state == State.DUPLICATE:
        _mark_duplicate(claim, duplicate_of, by)
    elif to_state == State.NEW and claim.duplicate_of_id:
        # Reconsidered: the claim no longer duplicates anything, so neither may its relation.
        ClaimRelation.objects.filter(
            from_claim=claim, to_claim_id=claim.duplicate_of_id,
            kind=ClaimRelation.Kind.DUPLICATE_OF,
        ).delete()
        claim.duplicate_of = None
    elif to_state == State.IN_REVIEW:
        if verdict is None:
            raise VerdictIncomplete("Draft a verdict before submitting the claim for review.")
        verdict.status = Verdict.Status.IN_REVIEW
        verdict.submitted_at = now
        verdict.updated_by = by
        verdict.save(update_fields=["status", "submitted_at", "updated_by", "updated_at"])
    elif to_state == State.PUBLISHED:
        _publish(claim, verdict, by, now)
    elif to_state == State.RESEARCHING and verdict:
        verdict.status = _status_when_back_in_research(verdict)
        verdict.save(update_fields=["status", "updated_at"])

    claim.state = to_state
    claim.updated_by = by
    claim.save()
    return claim


def _status_when_back_in_research(verdict):
    """A verdict sent back to research is a draft again, unless it is already public:
    then it stays published (readers still see it) while the desk works on a revision."""
    return Verdict.Status.PUBLISHED if verdict.is_published else Verdict.Status.DRAFT


def _publish(claim, verdict, by, now):
    _require(by, PERM_PUBLISH, "publish verdicts (only an Editor publishes)")
    if verdict is None:
        raise VerdictIncomplete("There is no verdict to publish on this claim.")
    if verdict.author_id == by.pk:
        raise TwoPersonRule(
            "You wrote this verdict, so another editor must approve and publish it."
        )
    if verdict.rating_id is None or not verdict.summary.strip():
        raise VerdictIncomplete("A verdict needs a rating and a summary before it is published.")
    verdict.approver = by
    verdict.status = Verdict.Status.PUBLISHED
    verdict.published_at = verdict.published_at or now
    verdict.last_published_at = now
    verdict.published_rating = verdict.rating
    verdict.published_headline = verdict.headline
    verdict.published_summary = verdict.summary
    verdict.updated_by = by
    verdict.save()


def _mark_duplicate(claim, original, by):
    if original is None:
        raise InvalidTransition("Choose the claim this one duplicates.")
    if original.pk == claim.pk:
        raise InvalidTransition("A claim cannot be a duplicate of itself.")
    if original.duplicate_of_id == claim.pk:
        raise InvalidTransition("That claim is already marked as a duplicate of this one.")
    claim.duplicate_of = original
    ClaimRelation.objects.get_or_create(
        from_claim=claim, to_claim=original, kind=ClaimRelation.Kind.DUPLICATE_OF,
        defaults={"created_by": by, "updated_by": by},
    )


@transaction.atomic
def save_verdict(
    *, claim, by, rating=None, headline="", summary="", analysis="", correction_note="",
    read_version=None,
):
    """Create the claim's current verdict or update it, returning it.

    Changing the rating or summary of a published verdict needs a `correction_note`,
    which is kept as a public Correction. With `read_version`, the version of the verdict
    the editor read ("" for none yet), a verdict saved since is not overwritten.
    Raises NotAllowed, CorrectionRequired or StaleEdit.
    """
    _require(by, PERM_EDIT_VERDICT, "edit verdicts")
    claim = lock_claim(claim)
    verdict = _lock_current_verdict(claim)
    if read_version is not None and verdict is not None:
        ensure_unchanged(verdict, read_version)
    if isinstance(rating, int):
        rating = Rating.objects.get(pk=rating)
    if verdict is None:
        return Verdict.objects.create(
            claim=claim, author=by, rating=rating, headline=headline, summary=summary,
            analysis=analysis, created_by=by, updated_by=by,
        )
    rating_changed = (rating.pk if rating else None) != verdict.rating_id
    summary_changed = summary != verdict.summary
    if verdict.is_published and (rating_changed or summary_changed):
        if not correction_note.strip():
            raise CorrectionRequired(
                "This verdict is published: changing its rating or summary needs a "
                "correction note, which readers will see."
            )
        Correction.objects.create(
            verdict=verdict, note=correction_note.strip(), previous_rating=verdict.rating,
            previous_summary=verdict.summary, created_by=by,
        )
    verdict.rating = rating
    verdict.headline = headline
    verdict.summary = summary
    verdict.analysis = analysis
    verdict.updated_by = by
    verdict.save()
    return verdict


@transaction.atomic
def add_review(*, verdict, by, kind, body=""):
    """Record a review of a draft verdict; `request_changes` sends the claim back.

    Raises NotAllowed, TwoPersonRule or InvalidTransition.
    """
    _require(by, PERM_REVIEW, "review verdicts")
    kind = Review.Kind(kind)
    verdict = lock_verdict(verdict)
    if kind != Review.Kind.COMMENT and verdict.author_id == by.pk:
        raise TwoPersonRule("You wrote this verdict, so someone else must review it.")
    if kind != Review.Kind.COMMENT and verdict.status != Verdict.Status.IN_REVIEW:
        raise InvalidTransition("Only a verdict submitted for review can be approved or sent back.")
    if kind == Review.Kind.COMMENT and not body.strip():
        raise InvalidTransition("A comment needs some text.")
    review = Review.objects.create(verdict=verdict, reviewer=by, kind=kind, body=body)
    if kind == Review.Kind.REQUEST_CHANGES:
        claim = verdict.claim
        claim.state = State.RESEARCHING
        claim.updated_by = by
        claim.save(update_fields=["state", "updated_by", "updated_at"])
        verdict.status = _status_when_back_in_research(verdict)
        verdict.save(update_fields=["status", "updated_at"])
    elif kind == Review.Kind.APPROVE and by.has_perm(PERM_PUBLISH):
        verdict.status = Verdict.Status.APPROVED
        verdict.approver = by
        verdict.save(update_fields=["status", "approver", "updated_at"])
    return review


@transaction.atomic
def assign_claim(*, claim, assignee, by):
    """Give the claim to `assignee` (or nobody). Raises NotAllowed."""
    _require(by, "claims.change_claim", "assign claims")
    claim = lock_claim(claim)
    claim.assignee = assignee
    claim.updated_by = by
    claim.save(update_fields=["assignee", "updated_by", "updated_at"])
    return claim


@transaction.atomic
def set_priority(*, claim, priority, by):
    _require(by, "claims.change_claim", "change a claim's priority")
    claim = lock_claim(claim)
    claim.priority = Claim.Priority(priority)
    claim.updated_by = by
    claim.save(update_fields=["priority", "updated_by", "updated_at"])
    return claim
