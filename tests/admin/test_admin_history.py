"""History pages and reverting to an earlier version.

A revert is a change like any other: it needs change permission on the object, goes
through the admin's own save (and so the services behind it), and only ever restores the
fields the change form edits. The workflow's fields (a claim's state, what it duplicates,
what readers see of it, a verdict's status, approver and what was published) are moved by
the workflow alone; a revert of what readers see starts a revision, as any edit does.
"""
import uuid

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from claims import services, workflow
from claims.models import Claim, Claimant, Correction, Publication, Rating, Review, Tag, Verdict
from evidence.models import Evidence, Source
from tests.data import desk, rows
from tests.data.desk import staff

S = Claim.State


def history_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk])


def revert_url(obj, record):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_simple_history",
                   args=[obj.pk, record.history_id])


def oldest(obj):
    return obj.history.order_by("history_date", "history_id").first()


def as_posted(response, **overrides):
    """The revert form as the browser posts it: every field with the value it shows."""
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            value = ""
        data[name] = [v for v in value] if isinstance(value, list | tuple) else value
    data.update(overrides, _save="Revert")
    return data


def revert(client, obj, record, **overrides):
    form_page = client.get(revert_url(obj, record))
    assert form_page.status_code == 200
    return client.post(revert_url(obj, record), as_posted(form_page, **overrides))


def test_every_history_admin_is_guarded_and_its_model_keeps_history():
    from factcheck.history_admin import GuardedHistoryAdmin

    for model, model_admin in admin.site._registry.items():
        if isinstance(model_admin, SimpleHistoryAdmin):
            assert isinstance(model_admin, GuardedHistoryAdmin), model
            assert hasattr(model._meta, "simple_history_manager_attribute"), model


def test_the_claimant_history_page_opens(fc_client):
    claimant = rows.claimant("Government of Mali")
    response = fc_client.get(reverse("admin:claims_claimant_history", args=[claimant.pk]))
    assert response.status_code == 200


# Not inside the test's transaction: the revert must open its own, as a real request does
# (the claim form locks the row with SELECT ... FOR UPDATE).
@pytest.mark.django_db(transaction=True)
def test_a_fact_checker_reverts_a_claims_wording_not_its_workflow(fc_client, fact_checker):
    original = rows.claim("Wagner has been active in Mali since 2021")
    claim = rows.claim("Ukraine supports terrorism in Africa")
    first = oldest(claim)
    claim.text = "Ukraine backs terrorists across Africa"
    claim.internal_note = "Reworded after the letter"
    claim.save()
    workflow.transition_claim(claim=claim, to_state=S.DUPLICATE, by=fact_checker,
                              duplicate_of=original)

    response = revert(fc_client, claim, first)

    assert response.status_code == 302, response.context and response.context["errors"]
    claim.refresh_from_db()
    assert claim.text == "Ukraine supports terrorism in Africa"
    assert claim.internal_note == ""
    assert claim.state == S.DUPLICATE  # the old version was "new": not restored
    assert claim.duplicate_of_id == original.pk
    assert claim.updated_by == fact_checker
    assert claim.history.first().history_user == fact_checker


def test_a_revert_never_overwrites_a_change_saved_since_the_form_was_opened(
    fc_client, other_fact_checker
):
    claim = rows.claim("Ukraine supports terrorism in Africa")
    first = oldest(claim)
    claim.text = "Ukraine backs terrorists across Africa"
    claim.save()
    form_page = fc_client.get(revert_url(claim, first))
    claim.text = "Someone else's wording"
    claim.updated_by = other_fact_checker
    claim.save()

    response = fc_client.post(revert_url(claim, first), as_posted(form_page))

    assert response.status_code == 200
    assert "after you opened it" in str(response.context["errors"])
    claim.refresh_from_db()
    assert claim.text == "Someone else's wording"


def test_the_revert_form_offers_the_old_wording_and_shows_the_current_workflow(fc_client):
    claim = rows.claim("Ukraine supports terrorism in Africa")
    first = oldest(claim)
    claim.text = "Ukraine backs terrorists across Africa"
    claim.state = S.TRIAGED
    claim.save()
    response = fc_client.get(revert_url(claim, first))
    html = response.content.decode()
    assert response.context["adminform"].form["text"].value() == first.text
    assert 'value="Revert"' in html
    assert "Triaged" in html  # the state it keeps, not the "New" of the old version


def evidence_with_history(fact_checker):
    claim = rows.claim()
    source = Source.objects.create(url="https://example.org/denial")
    evidence = Evidence.objects.create(claim=claim, source=source, stance="refutes",
                                       summary="Ukraine denies it", created_by=fact_checker)
    first = oldest(evidence)
    evidence.stance = "supports"
    evidence.summary = "Read as an admission"
    evidence.save()
    return evidence, first


def test_a_reviewer_cannot_revert_evidence(client, reviewer, fact_checker):
    evidence, first = evidence_with_history(fact_checker)
    client.force_login(staff(reviewer))
    data = {"claim": evidence.claim_id, "source": evidence.source_id, "stance": "refutes",
            "summary": "Ukraine denies it", "_save": "Revert"}

    response = client.post(revert_url(evidence, first), data)

    assert response.status_code == 403
    evidence.refresh_from_db()
    assert (evidence.stance, evidence.summary) == ("supports", "Read as an admission")
    assert evidence.history.count() == 2


def test_a_reviewer_reads_the_history_and_the_old_version(client, reviewer, fact_checker):
    evidence, first = evidence_with_history(fact_checker)
    client.force_login(staff(reviewer))

    assert client.get(history_url(evidence)).status_code == 200
    response = client.get(revert_url(evidence, first))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Ukraine denies it" in html  # the old version, read-only
    assert 'value="Revert"' not in html
    assert "<textarea" not in html and 'name="stance"' not in html


def test_a_fact_checker_reverts_evidence_through_the_admins_save(fc_client, fact_checker):
    evidence, first = evidence_with_history(fact_checker)
    claim = evidence.claim
    claim.evidence_status = Claim.EvidenceStatus.SUPPORTED
    claim.save()

    response = revert(fc_client, evidence, first)

    assert response.status_code == 302
    evidence.refresh_from_db()
    assert (evidence.stance, evidence.summary) == ("refutes", "Ukraine denies it")
    claim.refresh_from_db()
    # EvidenceAdmin.save_model refreshes the claim's evidence status, as a normal save does.
    assert claim.evidence_status == Claim.EvidenceStatus.PENDING_ARCHIVE


def published_verdict_with_history(fact_checker, editor):
    """A verdict drafted, reworded, then published by an editor."""
    claim = rows.claim(state=S.RESEARCHING)
    verdict = workflow.save_verdict(
        claim=claim, by=fact_checker, rating=rows.rating("false"),
        headline="No evidence offered", summary="The letter offers none.",
    )
    first = oldest(verdict)
    workflow.save_verdict(
        claim=claim, by=fact_checker, rating=rows.rating("false"),
        headline="The letter offers no evidence", summary="The letter offers none at all.",
    )
    workflow.transition_claim(claim=claim, to_state=S.IN_REVIEW, by=fact_checker)
    workflow.transition_claim(claim=claim, to_state=S.PUBLISHED, by=editor)
    verdict.refresh_from_db()
    assert verdict.status == Verdict.Status.PUBLISHED and first.status == Verdict.Status.DRAFT
    return verdict, first


# What the workflow alone sets when a verdict is published; a revert changes none of it.
PUBLISHED_FIELDS = ["author_id", "is_current", "submitted_at", "published_at",
                    "last_published_at"]


def test_reverting_a_verdict_restores_its_text_and_starts_a_revision_readers_do_not_see(
    fc_client, fact_checker, editor
):
    verdict, first = published_verdict_with_history(fact_checker, editor)
    claim = verdict.claim
    publication = claim.current_publication
    before = {f: getattr(verdict, f) for f in PUBLISHED_FIELDS}
    form_page = fc_client.get(revert_url(verdict, first))
    # The revision's note is written for it, never restored from an older draft.
    assert {"correction_note", "change_kind"}.isdisjoint(
        form_page.context["adminform"].form.fields)
    assert "correction note" in form_page.content.decode()  # listed as never reverted

    # Changing a published verdict's summary is an edit like any other: no note is asked
    # for now, it is when the revision is published.
    response = revert(fc_client, verdict, first)

    assert response.status_code == 302, response.context and response.context["errors"]
    verdict.refresh_from_db()
    assert (verdict.headline, verdict.summary) == ("No evidence offered",
                                                   "The letter offers none.")
    assert {f: getattr(verdict, f) for f in PUBLISHED_FIELDS} == before
    assert (verdict.status, verdict.approver) == (Verdict.Status.DRAFT, None)
    assert verdict.updated_by == fact_checker
    claim.refresh_from_db()
    assert claim.state == S.RESEARCHING and claim.current_publication == publication
    assert list(claim.contributors.all()) == [fact_checker]
    assert not Correction.objects.exists()


def test_a_reviewer_cannot_revert_a_verdict(client, reviewer, fact_checker, editor):
    verdict, first = published_verdict_with_history(fact_checker, editor)
    client.force_login(staff(reviewer))
    assert client.get(revert_url(verdict, first)).status_code == 200  # read-only
    response = client.post(revert_url(verdict, first), {
        "headline": "No evidence offered", "summary": "The letter offers none.",
        "rating": verdict.rating_id, "correction_note": "x", "_save": "Revert",
    })
    assert response.status_code == 403
    verdict.refresh_from_db()
    assert verdict.headline == "The letter offers no evidence"


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_unknown_version_is_a_404(fc_client, method):
    claim = rows.claim()
    url = reverse("admin:claims_claim_simple_history", args=[claim.pk, 999999])
    assert getattr(fc_client, method)(url).status_code == 404


def test_deleted_evidence_is_shown_not_brought_back(fc_client, fact_checker):
    evidence, first = evidence_with_history(fact_checker)
    pk = evidence.pk
    evidence.delete()
    evidence.pk = pk

    response = fc_client.get(revert_url(evidence, first))
    assert response.status_code == 200
    html = response.content.decode()
    assert "has been deleted since" in html and 'value="Revert"' not in html
    assert fc_client.post(revert_url(evidence, first), {"_save": "Revert"}).status_code == 403
    assert not Evidence.objects.filter(pk=pk).exists()


def test_an_earlier_verdict_of_a_claim_is_only_read(client, fact_checker):
    claim = rows.claim(state=S.RESEARCHING)
    earlier = Verdict.objects.create(claim=claim, author=fact_checker, is_current=False,
                                     headline="Superseded")
    Verdict.objects.create(claim=claim, author=fact_checker, headline="Current")
    superuser = staff(fact_checker)
    superuser.is_superuser = True
    superuser.save()
    client.force_login(superuser)
    page = client.get(reverse("admin:claims_verdict_change", args=[earlier.pk]))
    assert page.status_code == 200 and not page.context["has_change_permission"]
    response = client.post(revert_url(earlier, oldest(earlier)), {"headline": "x"})
    assert response.status_code == 403


def test_the_verdict_page_saves_through_save_verdict(fc_client, fact_checker, monkeypatch):
    claim = rows.claim(state=S.RESEARCHING)
    verdict = workflow.save_verdict(claim=claim, by=fact_checker, headline="Draft")
    calls = []
    save_verdict = workflow.save_verdict
    monkeypatch.setattr(workflow, "save_verdict",
                        lambda **kwargs: calls.append(kwargs) or save_verdict(**kwargs))
    url = reverse("admin:claims_verdict_change", args=[verdict.pk])
    form_page = fc_client.get(url)

    response = fc_client.post(url, as_posted(form_page, headline="Reworded"))

    assert response.status_code == 302
    assert [c["headline"] for c in calls] == ["Reworded"]
    verdict.refresh_from_db()
    assert verdict.headline == "Reworded" and verdict.status == Verdict.Status.DRAFT


@pytest.mark.django_db(transaction=True)
def test_reverting_a_published_claim_never_brings_back_an_older_publication(
    fc_client, fact_checker, editor, other_editor
):
    claim = desk.published_claim(author=fact_checker, approver=editor,
                                 text="Ukraine supports terrorism in Africa")
    first = claim.history.order_by("history_date", "history_id").first()
    assert first.current_publication_id is None  # the claim before it was published
    services.update_claim(claim, by=fact_checker, text="Ukraine backs terrorism in Africa")
    desk.draft(claim, fact_checker=fact_checker, correction_note="Reworded the claim.")
    claim = desk.publish(claim, fact_checker=fact_checker, editor=other_editor)
    second = claim.current_publication
    assert second.number == 2
    html = fc_client.get(revert_url(claim, first)).content.decode()
    assert "current publication" in html  # listed as never reverted

    response = revert(fc_client, claim, first)

    assert response.status_code == 302, response.context and response.context["errors"]
    claim.refresh_from_db()
    assert claim.text == "Ukraine supports terrorism in Africa"
    assert claim.current_publication == second  # not the old version's (none)
    assert claim.state == S.RESEARCHING  # the revert starts a revision
    assert list(claim.contributors.all()) == [fact_checker]
    assert Publication.objects.filter(claim=claim).count() == 2
    page = fc_client.get(claim.get_absolute_url()).content.decode()
    assert "Ukraine backs terrorism in Africa" in page


# --- every history page of every model -------------------------------------------------


def every_kind_of_row(fact_checker, editor, other_editor, reviewer):
    """At least one row of every model the admin registers (the seeds, a desk at work, a
    published claim with a published correction, evidence with a snapshot and a detected
    change, a claim deleted with its rows)."""
    from evidence.models import Snapshot, SourceChange

    desk.build_desk(fact_checker, editor, reviewer)
    claim = desk.published_claim(author=fact_checker, approver=editor)
    desk.draft(claim, fact_checker=fact_checker, summary="Reworded.",
               correction_note="Summary reworded.")
    desk.publish(claim, fact_checker=fact_checker, editor=other_editor)
    source = Source.objects.filter(evidence__isnull=False).first()
    snapshot = Snapshot.objects.create(
        source=source, fetch_id=uuid.uuid4(), fetched_at=timezone.now(),
        final_url=source.url, http_status=200, payload_sha256="0" * 64,
        warc_path="warc/0.warc.gz")
    SourceChange.objects.create(source=source, previous=snapshot, current=snapshot)
    # A published claim is never deleted (services.PublishedForGood): a drafted one is.
    doomed = desk.make_claim("doomed", fact_checker=fact_checker)
    desk.draft(doomed, fact_checker=fact_checker)
    services.delete_claim(doomed)
    return doomed


def test_every_history_page_of_every_model_opens_for_every_role(
    client, seeded, fact_checker, editor, other_editor, reviewer
):
    doomed = every_kind_of_row(fact_checker, editor, other_editor, reviewer)
    boss = get_user_model().objects.create_superuser("boss", "boss@example.org", "x")
    opened = set()
    for user in (fact_checker, editor, reviewer, boss):
        client.force_login(staff(user) if not user.is_superuser else user)
        for model, model_admin in admin.site._registry.items():
            obj = model._default_manager.order_by("pk").last()
            if obj is None:
                continue
            if not model_admin.has_view_or_change_permission(_request(user), obj):
                continue
            response = client.get(history_url(obj))
            assert response.status_code == 200, (model, user)
            opened.add(model)
            if isinstance(model_admin, SimpleHistoryAdmin):
                for record in (oldest(obj), obj.history.order_by("history_date").last()):
                    response = client.get(revert_url(obj, record))
                    assert response.status_code == 200, (model, user, record)
        # A deleted claim's versions, and its verdict's, are still there to read.
        for record in (Claim.history.filter(id=doomed.pk).earliest("history_date"),
                       Verdict.history.filter(claim_id=doomed.pk).latest("history_date")):
            response = client.get(revert_url(record.instance, record))
            assert response.status_code == 200, (record, user)
            assert "has been deleted since" in response.content.decode()
    from evidence.models import Snapshot, SourceChange

    assert {Claim, Claimant, Tag, Rating, Verdict, Correction, Review, Publication,
            Evidence, Source, Snapshot, SourceChange} & set(admin.site._registry) <= opened


def _request(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = user
    return request
