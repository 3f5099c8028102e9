"""The claim page: its rows, the workflow buttons, the verdict, look-alikes and history."""
import re

import pytest
from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection
from django.db.models import FloatField
from django.db.models.expressions import RawSQL
from django.urls import reverse

from claims import search, workflow
from claims.models import Claim, Correction, Review, Verdict
from claims.services import add_appearance
from evidence.models import Evidence, Source
from factcheck.edit_versions import version_of
from tests.data import desk, rows
from tests.data.desk import staff

S = Claim.State
INLINES = ["appearances", "responses", "evidence", "relations"]
PAGE_QUERIES = 24
REVISION_STARTED = ("The verdict was saved. This starts a revision: readers keep the "
                    "published version until an editor who wrote none of it publishes the "
                    "revision.")


def page_url(claim):
    return reverse("admin:claims_claim_change", args=[claim.pk])


def form_data(claim, **rows):
    """The change form as the browser posts it: the claim's fields and its inline rows."""
    data = {
        "text": claim.text, "slug": claim.slug, "language": claim.language,
        "claimants": [c.pk for c in claim.claimants.all()], "priority": claim.priority,
        "assignee": claim.assignee_id or "", "internal_note": claim.internal_note,
        "version": version_of(claim), "_continue": "1",
    }
    for prefix in INLINES:
        forms = rows.get(prefix, [])
        data.update({f"{prefix}-TOTAL_FORMS": len(forms), f"{prefix}-INITIAL_FORMS": 0,
                     f"{prefix}-MIN_NUM_FORMS": 0, f"{prefix}-MAX_NUM_FORMS": 1000})
        for i, row in enumerate(forms):
            data.update({f"{prefix}-{i}-{k}": v for k, v in row.items()})
    return data


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


@pytest.mark.parametrize("size", [2, 20])
def test_the_page_costs_the_same_whatever_it_holds(
    size, fc_client, django_assert_max_num_queries
):
    claim = rows.claim()
    rows.rows_on_page(claim, size)
    fc_client.get(page_url(claim))
    with django_assert_max_num_queries(PAGE_QUERIES):
        response = fc_client.get(page_url(claim))
    assert response.status_code == 200
    assert response.content.decode().count('class="fc-badge"') >= size  # archive badges


def test_the_page_shows_rows_denials_first_and_snapshot_links(fc_client, fact_checker):
    claim = rows.claim()
    mali, ukraine = rows.claimant("Government of Mali"), rows.claimant("Ukraine MFA")
    claim.responses.create(claimant=mali, kind="comments", quote="We stand by it")
    claim.responses.create(claimant=ukraine, kind="denies", quote="Short-sighted")
    html = fc_client.get(page_url(claim)).content.decode()
    assert html.index("Short-sighted") < html.index("We stand by it")


def test_similar_claims_are_offered(fc_client):
    claim = rows.claim("Ukraine supports terrorism in Africa")
    twin = rows.claim("Ukraine supports terrorism across Africa")
    rows.claim("Wagner has been active in Mali since 2021")
    similar = search.similar_claims(claim=claim, limit=5)
    assert [c.pk for c in similar] == [twin.pk]
    assert 0 < similar[0].similarity <= 1
    html = fc_client.get(page_url(claim)).content.decode()
    panel = html[html.index("Possibly the same claim"):]
    assert f"#{twin.pk} Ukraine supports terrorism across Africa" in panel


def test_similar_claims_fallback_counts_shared_words(db):
    claim = rows.claim("Ukraine supports terrorism in Africa")
    twin = rows.claim("Africa: Ukraine supports terrorism, says Mali")
    rows.claim("Mali cut diplomatic ties")
    found = search._similar_by_words(claim, Claim.objects.exclude(pk=claim.pk), 5)
    assert [c.pk for c in found] == [twin.pk]


# --- saving the page: rows, sources by URL, derived fields ------------------------------------


def test_an_appearance_by_url_makes_a_canonical_source_and_joins_the_claimant(
    fc_client, fact_checker, django_capture_on_commit_callbacks
):
    claim = rows.claim()
    niger = rows.claimant("Government of Niger")
    with django_capture_on_commit_callbacks() as archive_requests:
        response = fc_client.post(page_url(claim), form_data(claim, appearances=[{
            "claimant": niger.pk, "quote": "Ukraine armed them", "medium": "statement",
            "source_url": "HTTPS://Example.org/statement?utm_source=x#top",
        }]))
    assert response.status_code == 302, response.context["errors"]
    appearance = claim.appearances.get()
    assert appearance.source.canonical_url == "https://example.org/statement"
    assert appearance.created_by == fact_checker
    assert len(archive_requests) == 1  # the new source is queued for archiving
    claim.refresh_from_db()
    assert list(claim.claimants.all()) == [niger]
    assert "Government of Niger" in claim.search_text
    assert "Ukraine armed them" in claim.search_text


def test_evidence_by_url_reuses_the_source_and_sets_the_status(fc_client):
    claim = rows.claim()
    existing = Source.objects.create(url="https://example.org/report")
    fc_client.post(page_url(claim), form_data(claim, evidence=[{
        "source_url": "https://example.org/report?fbclid=1", "stance": "refutes",
        "summary": "The report finds no supply line.",
    }]))
    evidence = Evidence.objects.get(claim=claim)
    assert evidence.source == existing
    assert Source.objects.count() == 1
    claim.refresh_from_db()
    assert claim.evidence_status == Claim.EvidenceStatus.PENDING_ARCHIVE


@pytest.mark.parametrize(("row", "error"), [
    ({"source_url": "ftp://example.org/x", "stance": "refutes"}, "Only http://"),
    ({"stance": "refutes"}, "Pick a source or paste its URL."),
])
def test_bad_evidence_is_refused_and_nothing_is_saved(fc_client, row, error):
    claim = rows.claim()
    response = fc_client.post(page_url(claim), form_data(claim, evidence=[row]))
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Evidence.objects.exists() and not Source.objects.exists()


def test_removing_evidence_updates_the_status(fc_client):
    claim = rows.claim()
    source = Source.objects.create(url="https://example.org/a", status=Source.Status.ARCHIVED)
    evidence = Evidence.objects.create(claim=claim, source=source, stance="supports")
    Claim.objects.filter(pk=claim.pk).update(evidence_status=Claim.EvidenceStatus.SUPPORTED)
    data = form_data(claim)
    data.update({"evidence-TOTAL_FORMS": 1, "evidence-INITIAL_FORMS": 1,
                 "evidence-0-id": evidence.pk, "evidence-0-claim": claim.pk,
                 "evidence-0-source": source.pk, "evidence-0-stance": "supports",
                 "evidence-0-DELETE": "on"})
    fc_client.post(page_url(claim), data)
    claim.refresh_from_db()
    assert not Evidence.objects.exists()
    assert claim.evidence_status == Claim.EvidenceStatus.NONE_OFFERED


def test_editing_the_claim_text_refreshes_search(fc_client):
    claim = rows.claim("Old wording")
    data = form_data(claim)
    data["text"] = "Wagner mercenaries were ambushed"
    fc_client.post(page_url(claim), data)
    claim.refresh_from_db()
    assert "ambushed" in claim.search_text and "Old wording" not in claim.search_text


# --- the workflow buttons ---------------------------------------------------------------------


def move(client, claim, to_state, **extra):
    return client.post(reverse("admin:claims_claim_move", args=[claim.pk]),
                       {"to_state": to_state, **extra}, follow=True)


def test_the_buttons_offer_the_next_moves_in_the_desks_words(fc_client, other_fact_checker):
    claim = rows.claim_with_verdict(state=S.IN_REVIEW, author=other_fact_checker)
    html = fc_client.get(page_url(claim)).content.decode()
    assert ">Publish</button>" in html and ">Send back to research</button>" in html
    assert ">Mark triaged</button>" not in html


def test_a_move_goes_through_the_workflow(fc_client, fact_checker):
    claim = rows.claim()
    response = move(fc_client, claim, S.TRIAGED)
    assert "The claim is now “Triaged”." in messages_of(response)
    claim.refresh_from_db()
    assert claim.state == S.TRIAGED and claim.updated_by == fact_checker


def test_a_fact_checker_cannot_publish_and_is_told_why(fc_client, fact_checker):
    claim = rows.claim_with_verdict(state=S.IN_REVIEW, author=fact_checker)
    response = move(fc_client, claim, S.PUBLISHED)
    assert any("only an Editor publishes" in m for m in messages_of(response))
    assert Claim.objects.get(pk=claim.pk).state == S.IN_REVIEW
    assert not Verdict.objects.get(claim=claim).is_published


def test_an_editor_cannot_publish_their_own_draft(editor_client, editor):
    claim = rows.claim_with_verdict(state=S.IN_REVIEW, author=editor)
    response = move(editor_client, claim, S.PUBLISHED)
    assert any("another editor must approve" in m for m in messages_of(response))
    assert Claim.objects.get(pk=claim.pk).state == S.IN_REVIEW


def test_an_editor_publishes_someone_elses_draft(editor_client, editor, fact_checker):
    claim = rows.claim_with_verdict(state=S.IN_REVIEW, author=fact_checker)
    move(editor_client, claim, S.PUBLISHED)
    verdict = Verdict.objects.get(claim=claim)
    assert verdict.is_published and verdict.approver == editor


def test_send_back_and_reopen(editor_client, fact_checker, other_editor):
    in_review = rows.claim_with_verdict(state=S.IN_REVIEW, author=fact_checker)
    live = desk.published_claim(author=fact_checker, approver=other_editor)
    move(editor_client, in_review, S.RESEARCHING)
    move(editor_client, live, S.RESEARCHING)
    assert Claim.objects.get(pk=in_review.pk).state == S.RESEARCHING
    assert Claim.objects.get(pk=live.pk).state == S.RESEARCHING
    assert Verdict.objects.get(claim=live).is_published


def test_mark_as_duplicate_from_the_page(fc_client):
    original, claim = rows.claim(), rows.claim()
    move(fc_client, claim, S.DUPLICATE, duplicate_of=f"#{original.pk}")
    claim.refresh_from_db()
    assert claim.state == S.DUPLICATE and claim.duplicate_of == original
    response = move(fc_client, rows.claim(), S.DUPLICATE, duplicate_of="")
    assert "Choose the claim this one duplicates." in messages_of(response)


def test_a_reviewer_sees_the_page_but_cannot_move_it(client, reviewer):
    client.force_login(staff(reviewer))
    claim = rows.claim()
    html = client.get(page_url(claim)).content.decode()
    assert "Your role does not move claims" in html
    response = move(client, claim, S.TRIAGED)
    assert any("not allowed" in m for m in messages_of(response))
    assert Claim.objects.get(pk=claim.pk).state == S.NEW


def test_moves_need_a_post(fc_client):
    claim = rows.claim()
    assert fc_client.get(reverse("admin:claims_claim_move", args=[claim.pk])).status_code == 405


# --- the verdict and reviews ------------------------------------------------------------------


def save_verdict(client, claim, **fields):
    """Post the verdict form as the page renders it, with the version it was read at."""
    verdict = workflow.current_verdict(claim)
    if verdict is not None:
        fields.setdefault("version", version_of(verdict))
    data = {f"verdict-{k}": v for k, v in fields.items()}
    return client.post(reverse("admin:claims_claim_verdict", args=[claim.pk]), data, follow=True)


def test_drafting_a_verdict(fc_client, fact_checker):
    claim = rows.claim(state=S.RESEARCHING)
    rating = rows.rating("false")
    response = save_verdict(fc_client, claim, rating=rating.pk, headline="No",
                            summary="Nothing backs it.", analysis="**Why**")
    assert "The verdict was saved." in messages_of(response)
    verdict = Verdict.objects.get(claim=claim)
    assert (verdict.author, verdict.rating, verdict.summary) == (fact_checker, rating,
                                                                 "Nothing backs it.")


def test_a_published_verdicts_correction_note_is_asked_for_when_it_is_published(
    editor_client, editor, fact_checker
):
    # The old rule ("changing the rating or summary needs a note", refused on saving) is
    # now a rule of publishing (claims.workflow): the save starts a revision, the note is
    # drafted with it; tests/admin/test_admin_revisions.py publishes such revisions.
    claim = desk.published_claim(author=fact_checker, approver=editor)
    verdict = Verdict.objects.get(claim=claim)
    page = editor_client.get(page_url(claim)).content.decode()
    assert "verdict-correction_note" in page and "verdict-change_kind" in page
    response = save_verdict(editor_client, claim, rating=verdict.rating_id, summary="Changed",
                            change_kind="correction")
    assert messages_of(response) == [REVISION_STARTED]
    assert Verdict.objects.get(pk=verdict.pk).summary == "Changed"
    save_verdict(editor_client, claim, rating=verdict.rating_id, summary="Changed",
                 correction_note="We misread the letter.", change_kind="correction")
    assert Verdict.objects.get(pk=verdict.pk).correction_note == "We misread the letter."
    assert not Correction.objects.exists()  # written when the revision is published
    assert Claim.objects.get(pk=claim.pk).state == S.RESEARCHING
    assert "We misread the letter." in editor_client.get(page_url(claim)).content.decode()


def test_a_reviewer_requests_changes_from_the_page(client, reviewer, fact_checker):
    client.force_login(staff(reviewer))
    claim = rows.claim_with_verdict(state=S.IN_REVIEW, author=fact_checker)
    html = client.get(page_url(claim)).content.decode()
    assert "Add review" in html and "Save verdict" not in html
    response = client.post(reverse("admin:claims_claim_review", args=[claim.pk]),
                           {"kind": "request_changes", "body": "Cite the UN report."},
                           follow=True)
    assert "Your review was recorded." in messages_of(response)
    assert Review.objects.get().body == "Cite the UN report."
    assert Claim.objects.get(pk=claim.pk).state == S.RESEARCHING


def test_verdict_text_is_escaped(fc_client, fact_checker):
    claim = rows.claim(state=S.RESEARCHING)
    workflow.save_verdict(claim=claim, by=fact_checker, summary="<script>alert(1)</script>")
    html = fc_client.get(page_url(claim)).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# --- history ------------------------------------------------------------------------------------


def test_the_history_records_who_moved_the_claim(fc_client, fact_checker):
    claim = rows.claim()
    add_appearance(claim=claim, claimant=rows.claimant())
    move(fc_client, claim, S.TRIAGED)
    response = fc_client.get(reverse("admin:claims_claim_history", args=[claim.pk]))
    assert response.status_code == 200
    html = " ".join(response.content.decode().split())
    history = html[html.index('id="change-history"'):]
    assert f'<a href="/admin/auth/user/{fact_checker.pk}/change/">fiona</a>' in history
    assert "<strong>State:</strong> new &nbsp;&rarr;&nbsp;&nbsp;triaged" in history


def test_the_add_page_opens_before_the_claim_has_a_history(fc_client):
    response = fc_client.get(reverse("admin:claims_claim_add"))
    assert response.status_code == 200
    fields = response.context["adminform"].form.fields
    assert "state" not in fields and "text" in fields  # the workflow sets the state
    html = re.sub(r"\s+", " ", response.content.decode())
    for label in ["Created:", "Last update:"]:  # neither has happened yet
        assert f'{label}</label> <div class="readonly">—</div>' in html


def test_adding_a_claim_warns_about_look_alikes(fc_client, fact_checker):
    twin = rows.claim("Ukraine supports terrorism in Africa")
    data = form_data(twin)
    data.update(text="Ukraine supports terrorism across Africa", slug="new-one", claimants=[])
    response = fc_client.post(reverse("admin:claims_claim_add"), data, follow=True)
    claim = Claim.objects.get(slug="new-one")
    assert claim.created_by == fact_checker and claim.state == S.NEW
    assert any(f"#{twin.pk}" in m and "Possibly the same claim" in m
               for m in messages_of(response))


def test_renaming_a_claimant_refreshes_the_search_text_of_their_claims(fc_client):
    claim = rows.claim()
    add_appearance(claim=claim, claimant=rows.claimant("Andriy Yusov"))
    person = claim.claimants.get()
    fc_client.post(reverse("admin:claims_claimant_change", args=[person.pk]), {
        "name": "Andrii Yusov", "slug": person.slug, "kind": person.kind,
        "aliases": '["Andriy Yusov"]', "same_as": "[]", "description": "",
    })
    claim.refresh_from_db()
    assert "Andrii Yusov" in claim.search_text


def statement_timeout():
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        return cursor.fetchone()[0]


def test_look_alikes_give_up_rather_than_hold_the_page(fc_client, monkeypatch):
    claim = rows.claim("Ukraine supports terrorism in Africa")
    rows.claim("Ukraine supports terrorism across Africa")
    before = statement_timeout()

    def slow_similarity(field, text):
        return TrigramSimilarity(field, text) + RawSQL(
            "(SELECT 0 FROM pg_sleep(0.2))", [], output_field=FloatField()
        )

    monkeypatch.setattr(search, "TrigramSimilarity", slow_similarity)
    monkeypatch.setattr(search, "SIMILARITY_TIMEOUT_MS", 50)
    with pytest.raises(search.SimilarityTimeout):
        search.similar_claims(claim=claim, limit=5)
    assert statement_timeout() == before  # the connection is usable and unchanged
    html = fc_client.get(page_url(claim)).content.decode()
    assert "Too many claims share this wording" in html


def test_look_alikes_leave_the_statement_timeout_as_it_was(db):
    claim = rows.claim("Ukraine supports terrorism in Africa")
    before = statement_timeout()
    search.similar_claims(claim=claim, limit=5)
    assert statement_timeout() == before


def test_two_editors_saving_the_same_claim_never_overwrite_each_other(
    fc_client, client, editor
):
    claim = rows.claim(state=S.RESEARCHING)
    mine = form_data(claim)  # the page as the fact-checker opened it
    client.force_login(staff(editor))
    theirs = {**form_data(claim), "internal_note": "Editor's note"}
    assert client.post(page_url(claim), theirs).status_code == 302
    mine["internal_note"] = "Fact-checker's note"
    response = fc_client.post(page_url(claim), mine)
    assert response.status_code == 200  # the form again, with what was typed
    page = response.content.decode()
    assert "saved this claim at" in page and "after you opened it" in page
    assert "Fact-checker&#x27;s note" in page
    assert Claim.objects.get(pk=claim.pk).internal_note == "Editor's note"


def test_a_refused_verdict_keeps_what_was_typed(editor_client, editor, fact_checker):
    claim = desk.published_claim(author=fact_checker, approver=editor)
    verdict = Verdict.objects.get(claim=claim)
    response = save_verdict(editor_client, claim, rating=verdict.rating_id,
                            summary="A carefully rewritten summary", headline="x" * 301,
                            change_kind="correction")
    assert any("The verdict was not saved" in m for m in messages_of(response))
    assert "A carefully rewritten summary" in response.content.decode()
    assert Verdict.objects.get(pk=verdict.pk).summary == "No evidence was offered."
    # Shown once: the next visit shows the verdict as saved.
    assert "A carefully rewritten summary" not in editor_client.get(
        page_url(claim)).content.decode()


def test_a_verdict_saved_meanwhile_is_not_overwritten(fc_client, fact_checker, other_fact_checker):
    claim = rows.claim(state=S.RESEARCHING)
    workflow.save_verdict(claim=claim, by=fact_checker, summary="First draft")
    read_at = version_of(workflow.current_verdict(claim))
    workflow.save_verdict(claim=claim, by=other_fact_checker, summary="Colleague's draft")
    response = save_verdict(fc_client, claim, summary="My draft", version=read_at)
    assert any("after you opened it" in m for m in messages_of(response))
    assert "My draft" in response.content.decode()
    assert workflow.current_verdict(claim).summary == "Colleague's draft"
