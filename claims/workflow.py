"""The editorial workflow: states, moves, who may make them, and the rules of publishing.

Every change of a claim's state or of a verdict goes through these functions, from the
admin and from the API alike. A refused move raises a WorkflowError naming the rule.

    new -> triaged -> researching -> in_review -> published
    new | triaged -> rejected | duplicate        (exits from triage)
    in_review -> researching                     (changes requested, or pulled back)
    published -> researching                     (reopen; the published verdict stays up)
    rejected | duplicate -> new                  (reconsider)

Publishing freezes what readers see into a Publication (claims.publishing): the first
time a claim is published, then once for each revision. A revision starts when someone
edits what readers see of a published claim (claims.revisions.edited: the claim goes back
to research) and is published like the first draft, by an editor who wrote no part of it;
its public note (a correction or a clarification) is drafted with the verdict
(save_verdict) and becomes a Correction when it is published. Reviews are written by
add_review.

Lock order, the same as in claims.services and evidence.services: each function first
locks the claim (claims.services.lock_claim), then its current verdict, then the rest.
A verdict saved while someone moves its claim through the workflow therefore waits for
that move to finish (or the other way round), instead of deadlocking against it.
"""
from django.db import transaction
from django.utils import timezone

from factcheck.edit_versions import ensure_unchanged
from factcheck.rules import NotPermitted, RuleBroken

from . import publishing, revisions
from .models import (
    Claim,
    ClaimRelation,
    Correction,
    Publication,
    PublicationSource,
    Rating,
    Review,
    Verdict,
)
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


class NothingToPublish(WorkflowError):
    rule = "nothing_to_publish"


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
        _back_to_draft(verdict)

    claim.state = to_state
    claim.updated_by = by
    claim.save()
    return claim


def _back_to_draft(verdict):
    """A verdict sent back to research is a draft again (a revision, when it was published:
    readers keep its last publication meanwhile), its approval, if any, withdrawn."""
    verdict.status = Verdict.Status.DRAFT
    verdict.approver = None
    verdict.save(update_fields=["status", "approver", "updated_at"])


def _publish(claim, verdict, by, now):
    """Freeze the claim and its verdict into its next Publication, as `by` approves them."""
    _require(by, PERM_PUBLISH, "publish verdicts (only an Editor publishes)")
    if verdict is None:
        raise VerdictIncomplete("There is no verdict to publish on this claim.")
    authors = revisions.authors(claim, verdict)
    if by in authors:
        raise TwoPersonRule(
            "You wrote part of what would be published (" + ", ".join(
                publishing.person_name(a) for a in authors) + "), so another editor must "
            "approve and publish it."
        )
    if verdict.rating_id is None or not verdict.summary.strip():
        raise VerdictIncomplete("A verdict needs a rating and a summary before it is published.")
    previous = claim.current_publication
    names = [publishing.person_name(a) for a in authors]
    if previous is not None:
        names = previous.content["authors"] + [n for n in names
                                               if n not in previous.content["authors"]]
    content = publishing.live_snapshot(
        claim, verdict, published_at=now,
        first_published_at=previous.first_published_at if previous else now,
        modified_at=now if previous else None, authors=names,
        approver=publishing.person_name(by),
        corrections=previous.content["corrections"] if previous else [],
    )
    kind, note = Publication.Kind.FIRST, ""
    if previous is not None:
        kind, note = _revision_note(verdict, previous.content, content)
        content["corrections"] = content["corrections"] + [{
            "date": content["published_at"], "kind": kind, "note": note,
            "previous_rating": previous.content["rating"]["name"],
            "new_rating": content["rating"]["name"], "number": previous.number + 1,
            # An update (no finding changed) is listed, but it is no correction.
            "in_claim_review": kind != Publication.Kind.UPDATE,
        }]
    publication = publishing.write_publication(
        Publication, claim=claim, verdict=verdict, content=content,
        number=previous.number + 1 if previous else 1, kind=kind, note=note, approver=by,
        rating=verdict.rating, claimant_ids=claim.claimants.values_list("pk", flat=True),
        tag_ids=claim.tags.values_list("pk", flat=True),
        correction_comments=publishing.correction_comments(content["corrections"]),
    )
    publishing.cite_sources(PublicationSource, publication)
    publishing.request_evidence_pack(publication.pk)
    if previous is not None:
        Correction.objects.create(
            verdict=verdict, publication=publication, kind=kind, note=note,
            previous_rating=previous.rating, new_rating=verdict.rating,
            previous_summary=previous.content["summary"], created_by=by,
        )
    claim.current_publication = publication
    claim.contributors.clear()
    verdict.approver = by
    verdict.status = Verdict.Status.PUBLISHED
    verdict.published_at = verdict.published_at or now
    verdict.last_published_at = now
    verdict.correction_note = ""
    verdict.change_kind = Verdict.ChangeKind.CORRECTION
    verdict.updated_by = by
    verdict.save()


def _revision_note(verdict, before, after):
    """(kind, note) of a revision changing `before` into `after` (publication contents).

    Raises NothingToPublish when readers would see no difference, CorrectionRequired when
    the claim's wording, the rating, headline, summary or analysis changed without a
    public note, or when a change of rating is called a clarification.
    """
    changed = publishing.changed_parts(before, after)
    if not changed:
        raise NothingToPublish(
            "Readers would see no difference from the last publication: there is nothing "
            "to publish. Move the claim back to research, or edit it first."
        )
    note = verdict.correction_note.strip()
    # A rating renamed in the scale since is the same rating: only another one is noted.
    rerated = "rating" in changed and not publishing.same_rating(before, after)
    noted = [p for p in changed if p in publishing.NOTED_PARTS and (p != "rating" or rerated)]
    if noted and not note:
        raise CorrectionRequired(
            "This revision changes " + ", ".join(
                publishing.PART_LABELS[p].lower() for p in noted) + " of a published "
            "verdict: write the correction note readers will see (Correction note) first. "
            "The editor who publishes may write it."
        )
    if not note:
        labels = ["the rating's name on our scale" if p == "rating"
                  else publishing.PART_LABELS[p].lower() for p in changed]
        return Publication.Kind.UPDATE, "Updated: " + ", ".join(labels) + "."
    if verdict.change_kind == Verdict.ChangeKind.CLARIFICATION:
        if rerated:
            raise CorrectionRequired(
                "A change of rating is a correction, not a clarification: choose "
                "“Correction” for this revision."
            )
        return Publication.Kind.CLARIFICATION, note
    return Publication.Kind.CORRECTION, note


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


# What a verdict says: whoever changes it writes part of the next publication. The public
# note of a revision (and whether it is a correction or a clarification) describes the
# change instead: the editor who publishes may write it without becoming an author.
VERDICT_CONTENT = ("rating_id", "headline", "summary", "analysis")
REVISION_NOTE = ("correction_note", "change_kind")


@transaction.atomic
def save_verdict(
    *, claim, by, rating=None, headline="", summary="", analysis="", correction_note=None,
    change_kind=None, read_version=None,
):
    """Create the claim's current verdict or update it, returning it.

    None of it reaches readers until it is published (claims.publishing). Editing the
    verdict of a published claim starts a revision (claims.revisions.edited);
    `correction_note` (left as it is when None) is the public note it will be published
    with, `change_kind` whether it is a correction or a clarification. With
    `read_version`, the version of the verdict the editor read ("" for none yet), a
    verdict saved since is not overwritten. Raises NotAllowed or StaleEdit.
    """
    _require(by, PERM_EDIT_VERDICT, "edit verdicts")
    claim = lock_claim(claim)
    verdict = _lock_current_verdict(claim)
    if read_version is not None and verdict is not None:
        ensure_unchanged(verdict, read_version)
    if isinstance(rating, int):
        rating = Rating.objects.get(pk=rating)
    if verdict is None:
        verdict = Verdict.objects.create(
            claim=claim, author=by, rating=rating, headline=headline, summary=summary,
            analysis=analysis, correction_note=correction_note or "",
            change_kind=change_kind or Verdict.ChangeKind.CORRECTION,
            created_by=by, updated_by=by,
        )
        revisions.edited(claim, by)
        return verdict
    before = [getattr(verdict, name) for name in VERDICT_CONTENT]
    note_before = [getattr(verdict, name) for name in REVISION_NOTE]
    verdict.rating = rating
    verdict.headline = headline
    verdict.summary = summary
    verdict.analysis = analysis
    if correction_note is not None:
        verdict.correction_note = correction_note
    if change_kind is not None:
        verdict.change_kind = Verdict.ChangeKind(change_kind)
    verdict.updated_by = by
    verdict.save()
    if [getattr(verdict, name) for name in VERDICT_CONTENT] != before:
        revisions.edited(claim, by)
        verdict.refresh_from_db()
    elif [getattr(verdict, name) for name in REVISION_NOTE] != note_before:
        revisions.note_edited(verdict)
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
    if kind == Review.Kind.APPROVE and by in revisions.authors(verdict.claim, verdict):
        raise TwoPersonRule("You wrote part of this verdict, so someone else must approve it.")
    review = Review.objects.create(verdict=verdict, reviewer=by, kind=kind, body=body)
    if kind == Review.Kind.REQUEST_CHANGES:
        claim = verdict.claim
        claim.state = State.RESEARCHING
        claim.updated_by = by
        claim.save(update_fields=["state", "updated_by", "updated_at"])
        _back_to_draft(verdict)
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
