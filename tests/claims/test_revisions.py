"""Publications and revisions (issue 11), through the services and the workflow, read back
as readers see them: what the desk edits after publication reaches readers only when an
editor who wrote none of it publishes it, with the note readers are owed; the copy readers
were shown never changes, whatever happens to the rows it was made from."""
import json
import re

import pytest
from django.db import IntegrityError, transaction
from django.utils.html import escape

from claims import services, workflow
from claims.models import Claim, Correction, Publication, Verdict
from claims.workflow import CorrectionRequired, NothingToPublish, TwoPersonRule
from evidence.services import attach_evidence
from tests.data import desk, rows

pytestmark = pytest.mark.django_db

S = Claim.State
LD_JSON = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


@pytest.fixture
def claim(seeded, fact_checker, editor):
    """The seed case's claim 1, published by `editor` from `fact_checker`'s draft."""
    return desk.published_seed_claim(fact_checker=fact_checker, editor=editor)


def reader_view(client, claim):
    """Everything an anonymous reader is shown of `claim`: page, JSON-LD, feed, API."""
    page = client.get(claim.get_absolute_url())
    return {
        "page": page.content.decode(),
        "etag": page["ETag"],
        "feed": client.get("/feeds/checks.atom").content.decode(),
        "claimreview": client.get(f"/api/v1/claims/{claim.pk}/claimreview/").content,
        "claim": client.get(f"/api/v1/claims/{claim.pk}/").content,
    }


def revise(claim, by, **changes):
    verdict = Verdict.objects.get(claim=claim)
    fields = {"rating": verdict.rating, "headline": verdict.headline,
              "summary": verdict.summary, "analysis": verdict.analysis}
    return workflow.save_verdict(claim=claim, by=by, **{**fields, **changes})


# --- a lone fact-checker's edits never reach readers ------------------------------------


def test_a_lone_fact_checkers_edits_never_reach_readers(client, claim, fact_checker):
    before = reader_view(client, claim)
    revise(claim, fact_checker, headline="LONE-HEADLINE", summary="LONE-SUMMARY",
           analysis="LONE-ANALYSIS", rating=rows.rating("true"), correction_note="LONE-NOTE")
    services.update_claim(claim, by=fact_checker, text="LONE-CLAIM-TEXT")
    services.add_appearance(claim=claim, claimant=claim.claimants.first(), by=fact_checker,
                            quote="LONE-QUOTE")
    attach_evidence(claim=claim, url="https://example.org/lone", stance="supports",
                    summary="LONE-EVIDENCE", by=fact_checker)
    after = reader_view(client, claim)
    assert after == before  # byte for byte, ETag included
    assert "LONE" not in client.get("/checks/?q=LONE").content.decode().split("</form>")[1]
    claim.refresh_from_db()
    assert claim.state == S.RESEARCHING
    assert set(claim.contributors.all()) == {fact_checker}


def test_a_published_claims_address_never_changes(client, claim, editor):
    with pytest.raises(services.AddressFixed) as refused:
        services.update_claim(claim, by=editor, slug="a-new-address")
    assert refused.value.rule == "published_address"
    assert client.get(claim.get_absolute_url()).status_code == 200
    # Saving it with the same slug is no change.
    services.update_claim(claim, by=editor, slug=claim.slug, internal_note="Same address")


def test_an_internal_note_is_not_a_revision(claim, editor):
    services.update_claim(claim, by=editor, internal_note="For the desk")
    claim.refresh_from_db()
    assert claim.state == S.PUBLISHED and not claim.contributors.exists()


# --- the two-person rule on every publication -------------------------------------------


def test_an_editor_who_rewrote_a_draft_cannot_publish_it(
    seeded, fact_checker, editor, other_editor
):
    claim = desk.make_claim("rewritten", fact_checker=fact_checker)
    desk.draft(claim, fact_checker=fact_checker)
    workflow.transition_claim(claim=claim, to_state=S.IN_REVIEW, by=fact_checker)
    revise(claim, editor, summary="Every word is the editor's now.")
    with pytest.raises(TwoPersonRule) as refused:
        workflow.transition_claim(claim=claim, to_state=S.PUBLISHED, by=editor)
    assert "another editor" in refused.value.message
    with pytest.raises(TwoPersonRule):
        workflow.add_review(verdict=Verdict.objects.get(claim=claim), by=editor,
                            kind="approve")
    assert Claim.objects.get(pk=claim.pk).current_publication is None
    workflow.transition_claim(claim=claim, to_state=S.PUBLISHED, by=other_editor)
    publication = Claim.objects.get(pk=claim.pk).current_publication
    assert publication.approver == other_editor
    assert publication.content["authors"] == [fact_checker.username, editor.username]


def test_an_edit_after_approval_withdraws_the_approval(
    seeded, fact_checker, editor, other_editor
):
    claim = desk.make_claim("approved", fact_checker=fact_checker)
    desk.draft(claim, fact_checker=fact_checker)
    workflow.transition_claim(claim=claim, to_state=S.IN_REVIEW, by=fact_checker)
    workflow.add_review(verdict=Verdict.objects.get(claim=claim), by=editor, kind="approve")
    assert Verdict.objects.get(claim=claim).status == Verdict.Status.APPROVED
    revise(claim, fact_checker, rating=rows.rating("true"), summary="Changed after approval.")
    verdict = Verdict.objects.get(claim=claim)
    assert verdict.status == Verdict.Status.IN_REVIEW and verdict.approver is None
    # Publishing is a new decision, on what the verdict says now.
    workflow.transition_claim(claim=claim, to_state=S.PUBLISHED, by=other_editor)
    content = Claim.objects.get(pk=claim.pk).current_publication.content
    assert content["summary"] == "Changed after approval."


def test_the_author_of_a_revision_cannot_publish_it_but_the_first_author_may(
    claim, fact_checker, editor, other_editor
):
    revise(claim, editor, summary="The editor's correction.", correction_note="Corrected.")
    with pytest.raises(TwoPersonRule):
        desk.publish(claim, fact_checker=fact_checker, editor=editor)
    # The claim stays in review, as submitted; another editor publishes it.
    workflow.transition_claim(claim=claim, to_state=S.PUBLISHED, by=other_editor)
    assert Claim.objects.get(pk=claim.pk).current_publication.number == 2


# --- what a revision needs --------------------------------------------------------------


@pytest.mark.parametrize("change", [
    {"summary": "A new summary."}, {"headline": "A new headline"},
    {"analysis": "A new analysis."}, {"rating": "true"}, {"claim_text": "New wording."},
])
def test_a_revision_of_what_the_verdict_says_needs_a_note(
    change, claim, fact_checker, editor, other_editor
):
    if "claim_text" in change:
        services.update_claim(claim, by=fact_checker, text=change["claim_text"])
    else:
        if "rating" in change:
            change = {"rating": rows.rating(change["rating"])}
        revise(claim, fact_checker, **change)
    publication = Claim.objects.get(pk=claim.pk).current_publication
    with pytest.raises(CorrectionRequired) as refused:
        desk.publish(claim, fact_checker=fact_checker, editor=other_editor)
    assert refused.value.rule == "correction_required"
    assert Claim.objects.get(pk=claim.pk).current_publication == publication
    revise(claim, fact_checker, correction_note="We got this wrong.")
    workflow.transition_claim(claim=claim, to_state=S.PUBLISHED, by=other_editor)
    claim = Claim.objects.get(pk=claim.pk)
    assert claim.current_publication.kind == Publication.Kind.CORRECTION
    assert claim.current_publication.note == "We got this wrong."
    assert Verdict.objects.get(claim=claim).correction_note == ""


def test_a_clarification_cannot_change_the_rating(claim, fact_checker, other_editor):
    revise(claim, fact_checker, rating=rows.rating("true"), correction_note="Typo.",
           change_kind="clarification")
    with pytest.raises(CorrectionRequired, match="not a clarification"):
        desk.publish(claim, fact_checker=fact_checker, editor=other_editor)
    revise(claim, fact_checker, rating=Verdict.objects.get(claim=claim).rating)
    claim.refresh_from_db()
    # Back to the published rating, but the headline has a typo fixed: a clarification.
    published_rating = claim.current_publication.rating
    revise(claim, fact_checker, rating=published_rating, headline="Fixed a typo")
    workflow.transition_claim(claim=claim, to_state=S.PUBLISHED, by=other_editor)
    assert Claim.objects.get(pk=claim.pk).current_publication.kind == "clarification"


def test_nothing_changed_is_nothing_to_publish(claim, fact_checker, other_editor):
    desk.reopen(claim, by=fact_checker)
    with pytest.raises(NothingToPublish) as refused:
        desk.publish(claim, fact_checker=fact_checker, editor=other_editor)
    assert refused.value.rule == "nothing_to_publish"
    assert Claim.objects.get(pk=claim.pk).publications.count() == 1


def test_new_evidence_alone_is_an_update_with_its_own_note(claim, fact_checker, other_editor):
    attach_evidence(claim=claim, url="https://example.org/new-source", stance="refutes",
                    summary="A new source.", by=fact_checker)
    desk.publish(claim, fact_checker=fact_checker, editor=other_editor)
    publication = Claim.objects.get(pk=claim.pk).current_publication
    assert publication.kind == Publication.Kind.UPDATE
    # A source new to the claim is pending archive: the evidence status changes with it.
    assert publication.note == "Updated: evidence, evidence status."
    assert publication.content["evidence"][-1]["summary"] == "A new source."


# --- corrections readers can see --------------------------------------------------------


def test_a_published_correction_shows_everywhere_readers_look(
    client, claim, fact_checker, other_editor
):
    before = reader_view(client, claim)
    first = Claim.objects.get(pk=claim.pk).current_publication
    revise(claim, fact_checker, rating=rows.rating("misleading"), summary="Corrected summary.",
           correction_note="We first rated this unsupported.")
    desk.publish(claim, fact_checker=fact_checker, editor=other_editor)
    after = reader_view(client, claim)
    publication = Claim.objects.get(pk=claim.pk).current_publication
    when = publication.published_at
    page = after["page"]
    assert "Corrected on" in page and "Corrected summary." in page
    assert f'datetime="{when.isoformat()}"' in page
    assert "We first rated this unsupported." in page
    assert "rating changed from “Unsupported” to “Misleading”" in page
    assert after["etag"] != before["etag"]
    review = json.loads(LD_JSON.search(page).group(1))
    assert review["dateModified"] == when.isoformat()
    assert review["correction"] == [{
        "@type": "CorrectionComment", "text": "We first rated this unsupported.",
        "datePublished": when.isoformat()}]
    assert review["reviewRating"]["alternateName"] == "Misleading"
    assert json.loads(after["claimreview"]) == review
    assert f"<updated>{when.isoformat()}</updated>" in after["feed"]
    correction = Correction.objects.published().get()
    assert (correction.previous_rating.slug, correction.new_rating.slug) == ("unsupported",
                                                                             "misleading")
    # The versions view lists both, with what changed word by word.
    versions = client.get(f"{claim.get_absolute_url()}versions/").content.decode()
    assert "Version 2: Correction" in versions and "Version 1: First publication" in versions
    removed, added = '[removed: </span>', '[added: </span>'
    assert f"{removed}Unsupported (" in versions and f"{added}Misleading (" in versions
    assert f"{added}Corrected summary.<span" in versions
    # The first version is still there, as readers were shown it.
    old = client.get(f"{claim.get_absolute_url()}versions/1/").content.decode()
    assert "An earlier version" in old and escape(first.content["summary"]) in old
    assert "Corrected summary." not in old


def test_the_versions_of_an_unpublished_claim_are_not_found(client, seeded):
    draft = Claim.objects.exclude(current_publication__isnull=False).first()
    assert client.get(f"/checks/{draft.slug}/versions/").status_code == 404
    assert client.get(f"/checks/{draft.slug}/versions/1/").status_code == 404


# --- a versioned rating scale and an immutable copy -------------------------------------


def test_editing_the_rating_scale_never_changes_what_was_published(client, claim):
    publication = Claim.objects.get(pk=claim.pk).current_publication
    before = reader_view(client, claim)
    rating = publication.rating
    services.update_rating(rating, name="Renamed", value=-5, colour="#123456")
    for other in rows.rating("true"), rows.rating("misleading"):
        services.update_rating(other, is_active=False)
    stored = Publication.objects.get(pk=publication.pk)
    assert stored.claim_review == publication.claim_review
    assert stored.claim_review_sha256 == publication.claim_review_sha256
    after = reader_view(client, claim)
    assert after["claimreview"] == before["claimreview"]
    assert LD_JSON.search(after["page"]).group(1) == LD_JSON.search(before["page"]).group(1)
    assert "Renamed" not in after["page"]


def test_the_database_refuses_to_change_a_publication(claim):
    publication = Claim.objects.get(pk=claim.pk).current_publication
    with pytest.raises(IntegrityError), transaction.atomic():
        Publication.objects.filter(pk=publication.pk).update(note="Rewritten")
    publication.note = "Rewritten"
    with pytest.raises(ValueError, match="never changed"):
        publication.save()
    assert Publication.objects.get(pk=publication.pk).note == ""


def test_a_published_claim_is_corrected_never_deleted(client, claim, editor):
    with pytest.raises(services.PublishedForGood) as refused:
        services.delete_claim(claim)
    assert refused.value.rule == "published_for_good"
    assert client.get(claim.get_absolute_url()).status_code == 200


def test_a_used_ratings_slug_is_fixed_but_its_name_may_change(claim):
    rating = Claim.objects.get(pk=claim.pk).current_publication.rating
    with pytest.raises(services.AddressFixed):
        services.update_rating(rating, slug="renamed-slug")
    services.update_rating(rating, name="Renamed")
    assert rows.rating(rating.slug).name == "Renamed"


def test_the_publishing_editor_may_write_the_note_without_becoming_an_author(
    claim, fact_checker, other_editor
):
    revise(claim, fact_checker, summary="A corrected summary.")
    # The editor who will publish writes the note readers will see: no author for that.
    revise(claim, other_editor, correction_note="We misread the letter.")
    assert set(Claim.objects.get(pk=claim.pk).contributors.all()) == {fact_checker}
    desk.publish(claim, fact_checker=fact_checker, editor=other_editor)
    publication = Claim.objects.get(pk=claim.pk).current_publication
    assert publication.note == "We misread the letter."
    # Credited: who wrote the first publication, then who wrote this revision.
    assert publication.content["authors"][-1] == fact_checker.username
    assert other_editor.username not in publication.content["authors"]


def test_a_renamed_rating_is_no_correction_in_the_next_revision(
    claim, fact_checker, other_editor
):
    rating = Claim.objects.get(pk=claim.pk).current_publication.rating
    services.update_rating(rating, name="Renamed on the scale")
    services.add_appearance(claim=claim, claimant=claim.claimants.first(), by=fact_checker,
                            quote="Said again")
    desk.publish(claim, fact_checker=fact_checker, editor=other_editor)
    publication = Claim.objects.get(pk=claim.pk).current_publication
    assert publication.kind == Publication.Kind.UPDATE
    assert "the rating's name on our scale" in publication.note
    # An update is listed for readers, but it is no correction in the ClaimReview.
    assert "correction" not in json.loads(publication.claim_review)


def test_the_page_keeps_saying_it_was_corrected_after_a_later_update(
    client, claim, fact_checker, other_editor, editor
):
    revise(claim, fact_checker, rating=rows.rating("false"), correction_note="Re-rated.")
    desk.publish(claim, fact_checker=fact_checker, editor=other_editor)
    corrected_on = Claim.objects.get(pk=claim.pk).current_publication.published_at
    services.add_appearance(claim=claim, claimant=claim.claimants.first(), by=fact_checker,
                            quote="Said again")
    desk.publish(claim, fact_checker=fact_checker, editor=editor)
    page = client.get(claim.get_absolute_url()).content.decode()
    banner = page.split('class="corrected"')[1].split("</p>")[0]
    assert f'datetime="{corrected_on.isoformat()}"' in banner
    assert "Corrected on" in banner and "Updated on" in banner


def test_the_versions_view_shows_a_lists_items_whole_one_each(
    client, claim, fact_checker, other_editor
):
    appearance = claim.appearances.first()
    services.update_appearance(appearance, by=fact_checker, venue="Another venue")
    desk.publish(claim, fact_checker=fact_checker, editor=other_editor)
    versions = client.get(f"{claim.get_absolute_url()}versions/").content.decode()
    items = versions.split('<dd class="diff__items">')[1].split("</dd>")[0]
    assert items.count("<del>") == 1 and items.count("<ins>") == 1
    assert "Another venue" in items.split("<ins>")[1]
    # The appearances nobody changed are listed as they were, one each.
    assert items.count('class="diff__kept"') == claim.appearances.count() - 1


def test_the_verdicts_first_author_may_publish_someone_elses_revision(
    seeded, fact_checker, editor, other_editor
):
    claim = desk.make_claim("authored-by-an-editor", fact_checker=fact_checker)
    desk.draft(claim, fact_checker=editor)  # an editor drafts this one
    desk.publish(claim, fact_checker=fact_checker, editor=other_editor)
    revise(claim, fact_checker, summary="The fact-checker's correction.",
           correction_note="Corrected.")
    desk.publish(claim, fact_checker=fact_checker, editor=editor)
    publication = Claim.objects.get(pk=claim.pk).current_publication
    assert publication.number == 2 and publication.approver == editor
    assert Verdict.objects.get(claim=claim).approver == editor


def test_a_version_page_is_revalidated_since_a_newer_version_changes_it(
    client, claim, fact_checker, other_editor
):
    url = f"{claim.get_absolute_url()}versions/1/"
    first = client.get(url)
    assert "no-cache" in first["Cache-Control"] and "An earlier version" not in (
        first.content.decode())
    revise(claim, fact_checker, summary="Corrected.", correction_note="Corrected.")
    desk.publish(claim, fact_checker=fact_checker, editor=other_editor)
    assert "An earlier version" in client.get(url).content.decode()
