"""Revisions, corrections and publications through the admin, as the desk works: every page
opened (GET) before its form is posted, the public page read by an anonymous client.

Readers see publications only: an edit in the admin starts a revision that readers never
see until an editor who wrote no part of it publishes it, with its note."""
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from claims.models import Claim, Correction, Publication, Rating, Verdict
from factcheck.edit_versions import version_of
from tests.data import desk, rows
from tests.data.desk import staff

S = Claim.State
LD_JSON = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def page_url(claim):
    return reverse("admin:claims_claim_change", args=[claim.pk])


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def public_page(claim):
    """The claim's public page as an anonymous reader gets it."""
    response = Client().get(reverse("checks:detail", kwargs={"slug": claim.slug}))
    assert response.status_code == 200
    return response.content.decode()


def verdict_panel(html):
    return html[html.index('id="verdict"'):]


def open_and_save_verdict(client, claim, **changes):
    """Open the claim page, then post its verdict form as the page shows it, with
    `changes` typed in (rating as a Rating)."""
    page = client.get(page_url(claim))
    assert page.status_code == 200
    form = page.context["verdict_form"]
    data = {f"verdict-{name}": form[name].value() or "" for name in form.fields}
    for name, value in changes.items():
        data[f"verdict-{name}"] = value.pk if isinstance(value, Rating) else value
    return client.post(reverse("admin:claims_claim_verdict", args=[claim.pk]), data,
                       follow=True)


def open_and_move(client, claim, to_state):
    """Open the claim page, then press the button of the move to `to_state`."""
    page = client.get(page_url(claim))
    assert page.status_code == 200
    return client.post(reverse("admin:claims_claim_move", args=[claim.pk]),
                       {"to_state": to_state}, follow=True)


def publish_button(html):
    """The Publish (or Publish revision) button's tag, or None when it is not offered."""
    match = re.search(r"<button[^>]*>Publish(?: revision)?</button>", html)
    return match and match.group(0)


def login(client, user):
    client.force_login(staff(user))
    return client


@pytest.fixture
def published(fact_checker, editor):
    """A claim `fact_checker` drafted (rated false) and `editor` published."""
    rows.rating("true")  # the best rating of the scale, as the seeds have one
    return desk.published_claim(author=fact_checker, approver=editor,
                                summary="No evidence was offered.")


# --- the verdict panel of a published claim ---------------------------------------------


def test_the_panel_says_which_version_readers_see_and_what_an_edit_does(
    fc_client, published, editor
):
    html = fc_client.get(page_url(published)).content.decode()
    panel = verdict_panel(html)
    publication = published.current_publication
    assert "Readers see <strong>version 1</strong> (first publication)" in panel
    assert f'href="{reverse("checks:detail", kwargs={"slug": published.slug})}"' in panel
    assert f'href="{reverse("checks:versions", kwargs={"slug": published.slug})}"' in panel
    assert f'href="{reverse("admin:claims_publication_change", args=[publication.pk])}"' \
        in panel
    assert "starts a revision" in panel and "readers keep version 1" in panel
    assert "Nobody has changed what readers see since version 1." in panel
    # A revision's note and kind are asked for while the claim has a publication.
    assert 'name="verdict-correction_note"' in panel
    assert 'name="verdict-change_kind"' in panel


def test_a_draft_never_published_has_no_revision_fields(fc_client, fact_checker):
    claim = rows.claim_with_verdict(state=S.RESEARCHING, author=fact_checker)
    panel = verdict_panel(fc_client.get(page_url(claim)).content.decode())
    assert "Not published: readers see nothing of this claim." in panel
    assert "verdict-correction_note" not in panel and "verdict-change_kind" not in panel


def test_a_lone_checkers_edit_leaves_the_public_page_and_moves_the_claim_to_research(
    fc_client, published, fact_checker
):
    before = public_page(published)
    publication = published.current_publication

    response = open_and_save_verdict(fc_client, published, rating=rows.rating("true"),
                                     summary="A lone rewrite.", correction_note="Lone note.")

    assert messages_of(response) == [
        "The verdict was saved. This starts a revision: readers keep the published version "
        "until an editor who wrote none of it publishes the revision."]
    assert public_page(published) == before
    claim = Claim.objects.get(pk=published.pk)
    assert claim.state == S.RESEARCHING
    assert claim.current_publication == publication
    assert Publication.objects.filter(claim=claim).count() == 1
    verdict = Verdict.objects.get(claim=claim)
    assert (verdict.status, verdict.summary, verdict.correction_note) == (
        Verdict.Status.DRAFT, "A lone rewrite.", "Lone note.")
    assert not Correction.objects.exists()  # written when the revision is published
    panel = verdict_panel(response.content.decode())
    assert "Revision under way, written by fiona; they cannot publish it." in panel
    assert "You wrote part of it" in panel


def test_an_unchanged_save_starts_no_revision(fc_client, published):
    response = open_and_save_verdict(fc_client, published)
    assert "The verdict was saved." in messages_of(response)
    claim = Claim.objects.get(pk=published.pk)
    assert claim.state == S.PUBLISHED and not claim.contributors.exists()


# --- publishing a revision --------------------------------------------------------------


def test_an_editor_who_edited_the_revision_is_refused_clearly(
    client, published, fact_checker, editor, other_editor
):
    login(client, other_editor)
    open_and_save_verdict(client, published, rating=rows.rating("true"),
                          correction_note="The letter was misread.")
    login(client, fact_checker)
    open_and_move(client, published, S.IN_REVIEW)
    login(client, other_editor)

    html = client.get(page_url(published)).content.decode()
    button = publish_button(html)
    assert button is not None and "disabled" in button
    assert ("You wrote part of this revision (eric), so an editor who wrote none of it must "
            "publish it." in html)
    # Pressed anyway (a stale page, a crafted post): refused with the same reason.
    response = open_and_move(client, published, S.PUBLISHED)
    assert response.status_code == 200
    assert any("You wrote part of what would be published (eric)" in m
               and "another editor must approve and publish it" in m
               for m in messages_of(response))
    claim = Claim.objects.get(pk=published.pk)
    assert claim.state == S.IN_REVIEW
    assert claim.current_publication.number == 1


def test_a_correction_published_by_another_editor_shows_on_the_public_page(
    client, published, fact_checker, editor, other_editor
):
    login(client, fact_checker)
    open_and_save_verdict(client, published, rating=rows.rating("true"),
                          summary="The letter names a supplier.",
                          correction_note="We misread the letter's annex.")
    open_and_move(client, published, S.IN_REVIEW)
    assert "We misread" not in public_page(published)

    login(client, editor)
    html = client.get(page_url(published)).content.decode()
    button = publish_button(html)
    assert button is not None and "disabled" not in button and ">Publish revision<" in button
    response = open_and_move(client, published, S.PUBLISHED)

    assert "The claim is now “Published”." in messages_of(response)
    page = public_page(published)
    assert "We misread the letter&#x27;s annex." in page
    assert "rating changed from “False” to “True”" in page
    assert "The letter names a supplier." in page
    claim = Claim.objects.get(pk=published.pk)
    assert claim.current_publication.number == 2
    assert claim.current_publication.kind == Publication.Kind.CORRECTION
    correction = Correction.objects.get()
    assert (correction.publication, correction.kind, correction.created_by) == (
        claim.current_publication, Publication.Kind.CORRECTION, editor)
    # The page of the claim now says readers see version 2, and nobody has changed it since.
    panel = verdict_panel(response.content.decode())
    assert "Readers see <strong>version 2</strong> (correction)" in panel
    assert "We misread the letter&#x27;s annex." in panel  # in the panel's correction log


def test_a_revision_without_a_note_is_refused_at_publication_with_the_reason(
    client, published, fact_checker, editor
):
    login(client, fact_checker)
    open_and_save_verdict(client, published, summary="Reworded summary.")
    open_and_move(client, published, S.IN_REVIEW)
    login(client, editor)

    response = open_and_move(client, published, S.PUBLISHED)

    assert response.status_code == 200
    assert any("write the correction note readers will see" in m
               for m in messages_of(response))
    assert Claim.objects.get(pk=published.pk).current_publication.number == 1
    # The author writes the note; the editor, who wrote nothing, publishes.
    login(client, fact_checker)
    open_and_save_verdict(client, published, correction_note="Summary reworded.",
                          change_kind="clarification")
    login(client, editor)
    response = open_and_move(client, published, S.PUBLISHED)
    assert "The claim is now “Published”." in messages_of(response)
    publication = Claim.objects.get(pk=published.pk).current_publication
    assert (publication.number, publication.kind, publication.note) == (
        2, Publication.Kind.CLARIFICATION, "Summary reworded.")
    assert "Clarification: Summary reworded." in public_page(published)


def test_a_clarification_that_changes_the_rating_is_refused(
    client, published, fact_checker, editor
):
    login(client, fact_checker)
    open_and_save_verdict(client, published, rating=rows.rating("true"),
                          correction_note="Rerated.", change_kind="clarification")
    open_and_move(client, published, S.IN_REVIEW)
    login(client, editor)
    response = open_and_move(client, published, S.PUBLISHED)
    assert any("A change of rating is a correction, not a clarification" in m
               for m in messages_of(response))
    assert Claim.objects.get(pk=published.pk).current_publication.number == 1


def test_republishing_an_unchanged_claim_is_refused_as_nothing_to_publish(
    client, published, fact_checker, editor, other_editor
):
    login(client, editor)
    open_and_move(client, published, S.RESEARCHING)  # Reopen: not an edit
    login(client, fact_checker)
    open_and_move(client, published, S.IN_REVIEW)
    login(client, other_editor)
    response = open_and_move(client, published, S.PUBLISHED)
    assert response.status_code == 200
    assert any("Readers would see no difference from the last publication" in m
               for m in messages_of(response))
    assert Publication.objects.filter(claim=published).count() == 1


def test_a_fact_checker_sees_why_publish_is_off(fc_client, fact_checker, other_fact_checker):
    claim = rows.claim_with_verdict(state=S.IN_REVIEW, author=other_fact_checker)
    html = fc_client.get(page_url(claim)).content.decode()
    assert "disabled" in publish_button(html)
    assert "Only an editor publishes." in html


# --- the rating scale -------------------------------------------------------------------


@pytest.fixture
def rated(fact_checker, editor, other_editor):
    """Three published claims: two rated false (one of them corrected once, so false has
    three publications), one misleading; "true" exists, unused."""
    rows.rating("true")
    first = desk.published_claim(author=fact_checker, approver=editor, rating="false")
    desk.published_claim(author=fact_checker, approver=editor, rating="false")
    desk.published_claim(author=fact_checker, approver=editor, rating="misleading")
    desk.draft(first, fact_checker=fact_checker, rating="false", summary="Reworded.",
               correction_note="Summary reworded.")
    desk.publish(first, fact_checker=fact_checker, editor=other_editor)
    return first


def as_posted(response, **overrides):
    form = response.context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data.update(overrides, _save="Save")
    return {k: ("" if v is None else v) for k, v in data.items()}


def frozen():
    return {p.pk: (p.claim_review, p.claim_review_sha256, p.content_sha256)
            for p in Publication.objects.all()}


def test_the_rating_list_and_page_count_the_publications_using_each(
    editor_client, rated, django_assert_max_num_queries
):
    url = reverse("admin:claims_rating_changelist")
    editor_client.get(url)
    with django_assert_max_num_queries(10):  # one count for the whole list, not one a row
        html = editor_client.get(url).content.decode()
    rows_html = {name: re.search(rf">{name}</a>.*?</tr>", html, re.S).group(0)
                 for name in ("False", "Misleading", "True")}
    assert "3 publications" in rows_html["False"]
    assert "1 publication<" in rows_html["Misleading"]
    assert "0 publications" in rows_html["True"]
    page = editor_client.get(reverse("admin:claims_rating_change",
                                     args=[Rating.objects.get(slug="false").pk]))
    text = page.content.decode()
    assert "3 publications" in text
    assert "never changes what was published" in text


def test_renaming_or_retiring_a_rating_never_changes_what_was_published(
    editor_client, rated
):
    before = frozen()
    page_before = public_page(rated)
    false = Rating.objects.get(slug="false")
    url = reverse("admin:claims_rating_change", args=[false.pk])
    response = editor_client.post(url, as_posted(editor_client.get(url), name="Wrong",
                                                 colour="#000000"))
    assert response.status_code == 302
    true = Rating.objects.get(slug="true")
    url = reverse("admin:claims_rating_change", args=[true.pk])
    response = editor_client.post(url, as_posted(editor_client.get(url), is_active=False))
    assert response.status_code == 302
    assert Rating.objects.get(pk=false.pk).name == "Wrong"
    assert Rating.scale_bounds() == (-2, -1)  # retiring "true" did change the live scale

    assert frozen() == before  # byte for byte
    page = public_page(rated)
    assert page == page_before
    review = LD_JSON.search(page).group(1)
    assert '"alternateName": "False"' in review and '"bestRating": 2' in review
    # The count still counts them under the new name.
    html = editor_client.get(reverse("admin:claims_rating_changelist")).content.decode()
    assert "3 publications" in re.search(r">Wrong</a>.*?</tr>", html, re.S).group(0)


# --- the publication admin: read by every role, changed by nobody ----------------------


def roles_and_superuser(fact_checker, editor, reviewer):
    boss = get_user_model().objects.create_superuser("boss", "boss@example.org", "x")
    return [fact_checker, editor, reviewer, boss]


def test_every_role_reads_publications_and_nobody_changes_them(
    client, rated, fact_checker, editor, reviewer
):
    revision = Publication.objects.get(claim=rated, number=2)
    for user in roles_and_superuser(fact_checker, editor, reviewer):
        login(client, user)
        listing = client.get(reverse("admin:claims_publication_changelist"))
        assert listing.status_code == 200, user
        html = listing.content.decode()
        assert html.count('class="fc-badge"') >= 4  # each row's rating as published
        assert reverse("admin:claims_publication_add") not in html

        url = reverse("admin:claims_publication_change", args=[revision.pk])
        page = client.get(url)
        assert page.status_code == 200, user
        assert not page.context["has_change_permission"]
        text = page.content.decode()
        assert 'name="_save"' not in text and "<textarea" not in text
        assert "Summary reworded." in text  # the note
        assert rated.current_publication.content["claim"]["text"] in text
        assert "Reworded." in text  # the summary as published
        assert revision.claim_review_sha256 in text and revision.content_sha256 in text
        assert "ClaimReview" in text
        version = reverse("checks:version", kwargs={"slug": rated.slug, "number": 2})
        assert f'href="{version}"' in text

        assert client.post(url, {"note": "x"}).status_code == 403
        assert client.get(reverse("admin:claims_publication_add")).status_code == 403
        delete = reverse("admin:claims_publication_delete", args=[revision.pk])
        assert client.get(delete).status_code == 403
        assert client.post(delete, {"post": "yes"}).status_code == 403
        history = reverse("admin:claims_publication_history", args=[revision.pk])
        assert client.get(history).status_code == 200
        # The public page the admin links to opens.
        assert Client().get(version).status_code == 200
    assert Publication.objects.get(pk=revision.pk).note == "Summary reworded."


def test_the_publication_list_is_searchable_and_filterable(editor_client, rated):
    url = reverse("admin:claims_publication_changelist")
    assert editor_client.get(url, {"kind__exact": "correction"}).context[
        "cl"].result_count == 1
    assert editor_client.get(url, {"q": rated.current_publication.content["claim"]["text"]
                                   }).context["cl"].result_count == 2


def test_the_correction_admin_shows_its_publication_and_kind(editor_client, rated):
    correction = Correction.objects.get()
    html = editor_client.get(reverse("admin:claims_correction_changelist")).content.decode()
    link = reverse("admin:claims_publication_change", args=[correction.publication_id])
    assert f'<a href="{link}">version 2</a>' in html
    assert "Correction" in html
    page = editor_client.get(reverse("admin:claims_correction_change", args=[correction.pk]))
    assert page.status_code == 200 and f'href="{link}"' in page.content.decode()


# --- the verdict page (Verdicts in the sidebar) -----------------------------------------


def test_the_verdict_page_saves_a_revision_with_its_note_and_kind(
    fc_client, published, fact_checker
):
    verdict = Verdict.objects.get(claim=published)
    url = reverse("admin:claims_verdict_change", args=[verdict.pk])
    page = fc_client.get(url)
    form = page.context["adminform"].form
    assert {"correction_note", "change_kind"} <= set(form.fields)
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(summary="Rewritten on the verdict page.", correction_note="Rewritten.",
                change_kind="correction", version=version_of(verdict), _save="Save")
    assert fc_client.post(url, data).status_code == 302
    verdict.refresh_from_db()
    assert (verdict.summary, verdict.correction_note, verdict.status) == (
        "Rewritten on the verdict page.", "Rewritten.", Verdict.Status.DRAFT)
    assert Claim.objects.get(pk=published.pk).state == S.RESEARCHING
    assert "Rewritten" not in public_page(published)


def test_editing_a_published_claim_on_its_form_says_a_revision_started(
    client, published, fact_checker, editor
):
    from tests.services.desks import admin_client, admin_save

    before = public_page(published)
    checker = admin_client(fact_checker)
    response = admin_save(checker, page_url(published),
                          fields={"text": "The claim, reworded by the desk."})
    page = checker.get(response["Location"])
    assert ("This starts a revision: readers keep the published version until an editor "
            "who wrote none of it publishes the revision." in messages_of(page))
    assert Claim.objects.get(pk=published.pk).state == S.RESEARCHING
    assert public_page(published) == before
    # Saving the desk's own fields of a published claim says nothing of the kind.
    other = desk.published_claim(author=fact_checker, approver=editor)
    response = admin_save(checker, page_url(other), fields={"internal_note": "Desk only"})
    assert not any("revision" in m for m in messages_of(checker.get(response["Location"])))
