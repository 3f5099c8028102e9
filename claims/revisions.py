"""Revisions: what happens when the desk changes something readers would see.

Readers see publications only (claims.models, "What readers see"), so an edit never
reaches them by itself: it goes into the claim's next publication, which an editor who did
not write any part of it must publish (claims.workflow). Every write that changes what a
publication would show (the claim's wording, claimants, tags, appearances, responses,
evidence, relations, the verdict) calls `edited` inside its transaction, after locking
the claim. That call:

- records the writer as one of the authors of the next publication (Claim.contributors;
  they cannot publish it);
- withdraws an approval: an approved verdict goes back to "in review", since the editor
  approved something else;
- sends a published claim back to research: the edit starts a revision, which goes
  through review like the first draft did, while readers keep the last publication.

Edits that readers never see (internal notes, assignee, priority) do not call it; nor
does writing a revision's public note (`note_edited`), which the publishing editor may do.
"""
from .models import Claim, Verdict


def edited(claim, by):
    """Record that `by` changed what `claim`'s next publication would show. Call inside the
    write's transaction with the claim locked (claims.services.lock_claim); `claim` is
    saved if its state changes."""
    if by is not None:
        claim.contributors.add(by)
    verdict = claim.verdicts.select_for_update(no_key=True).filter(is_current=True).first()
    if verdict is not None:
        _withdraw_approval(verdict)
    if claim.state == Claim.State.PUBLISHED:
        claim.state = Claim.State.RESEARCHING
        claim.updated_by = by
        claim.save(update_fields=["state", "updated_by", "updated_at"])


def note_edited(verdict):
    """The public note of a revision was written or changed: an approval was of the note
    as it was, so it is withdrawn. Writing the note describes the change and makes no
    author: the editor who publishes may write it."""
    if verdict.status == Verdict.Status.APPROVED:
        _withdraw_approval(verdict)


def _withdraw_approval(verdict):
    # An approval, or a publication, was of what the verdict said before this edit.
    if verdict.status == Verdict.Status.APPROVED:
        verdict.status = Verdict.Status.IN_REVIEW
    elif verdict.status == Verdict.Status.PUBLISHED:
        verdict.status = Verdict.Status.DRAFT
    else:
        return
    verdict.approver = None
    verdict.save(update_fields=["status", "approver", "updated_at"])


def authors(claim, verdict):
    """The people who wrote the claim's next publication: who changed it since the last
    one, and the verdict's author before its first."""
    people = list(claim.contributors.order_by("pk"))
    first = not claim.current_publication_id
    if first and verdict.author is not None and verdict.author not in people:
        people.insert(0, verdict.author)
    return people
