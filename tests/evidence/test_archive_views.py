"""Archived copies: the page of a capture and its WARC download. Readers open the captures
a publication cites (Snapshot.objects.public), the desk's roles every capture; anything
else is the same 404 as a capture that does not exist."""
import hashlib
import uuid

import pytest
from django.core.files.storage import storages
from django.urls import reverse

from claims import roles
from claims.models import PublicationSource
from evidence import archiving
from evidence.models import Snapshot, Source
from evidence.services import attach_evidence
from tests.data.desk import draft, make_claim, make_user, publish, reopen, staff
from tests.httpserver import Reply

HOSTILE = (
    "<!doctype html><html><head><title>Letter &lt;b&gt;</title></head><body><article>"
    "<h1>Letter</h1><p>The juntas wrote &lt;script&gt;alert(1)&lt;/script&gt; to the "
    "Security Council about Ukraine and the rebels in northern Mali.</p>"
    "<p>Ukraine's foreign ministry rejected the accusation outright.</p>"
    "<script>document.title = 'ran'</script>"
    "</article></body></html>"
)
VIEWS = ["evidence:capture", "evidence:capture-warc"]


@pytest.fixture
def archive(settings, tmp_path, http_server, db):
    settings.FETCH_ALLOWLIST = [http_server.host_port]
    settings.STORAGES = {
        **settings.STORAGES,
        "archives": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    http_server.route("/letter", Reply.html(HOSTILE))
    http_server.route("/old", Reply(301, headers=[("Location", "/moved")]))
    http_server.route("/moved", Reply(302, headers=[("Location", "/letter")]))
    http_server.route("/other", Reply.html("<html><body><p>Not cited by anything published."
                                           "</p></body></html>"))
    return http_server


def capture(url):
    source = Source.objects.create(url=url)
    archiving.archive_source(source.pk, fetch_id=uuid.uuid4())
    return Snapshot.objects.select_related("source").get(source=source)


@pytest.fixture
def desk(db):
    return staff(make_user("checker", roles.FACT_CHECKER)), staff(make_user("editor", roles.EDITOR))


@pytest.fixture
def cited(archive, desk):
    """A capture reached through two redirects, cited as evidence by a published check."""
    fact_checker, editor = desk
    snapshot = capture(archive.url("/old?utm_source=x"))
    claim = make_claim("letter-claim", fact_checker=fact_checker,
                       text="The juntas wrote to the Security Council.")
    attach_evidence(claim=claim, stance="supports", source=snapshot.source,
                    summary="The letter itself.", by=fact_checker)
    draft(claim, fact_checker=fact_checker)
    publish(claim, fact_checker=fact_checker, editor=editor)
    return snapshot


@pytest.fixture
def private(archive):
    """A capture nothing published cites."""
    return capture(archive.url("/other"))


def test_a_logged_out_reader_opens_a_cited_capture(client, cited, django_assert_max_num_queries):
    # The capture with its source (under the public rule), the checks citing it: however
    # long the text. The rule is not asked twice for a reader.
    with django_assert_max_num_queries(2):
        response = client.get(reverse("evidence:capture", kwargs={"pk": cited.pk}))
    assert response.status_code == 200
    html = response.content.decode()
    # What was captured: the cited URL, every hop with its status, the final URL.
    assert cited.source.url.replace("&", "&amp;") in html
    assert [hop["status"] for hop in cited.redirects] == [301, 302]
    for hop in cited.redirects:
        assert hop["url"] in html
    assert "answered 301" in html and "answered 302" in html and "answered 200" in html
    assert cited.final_url in html
    # When (UTC), what, how big, with both digests.
    assert cited.fetched_at.strftime("%Y-%m-%d %H:%M:%S") + " UTC" in html
    assert "text/html" in html
    assert f"{cited.payload_size} bytes" in html and f"{cited.warc_size} bytes" in html
    assert cited.payload_sha256 in html and cited.warc_sha256 in html
    # The text, escaped: the page's own markup and script never reach ours.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert" not in html and "document.title" not in html
    assert "Desk only" not in html
    assert reverse("evidence:capture-warc", kwargs={"pk": cited.pk}) in html
    assert reverse("checks:detail", kwargs={"slug": "letter-claim"}) in html


def test_the_warc_downloads_byte_identical_and_never_as_a_page(client, cited):
    response = client.get(reverse("evidence:capture-warc", kwargs={"pk": cited.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/warc"
    assert response["Content-Disposition"].startswith("attachment;")
    assert ".warc.gz" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert response["Cache-Control"].startswith("public")
    body = b"".join(response.streaming_content)
    with storages["archives"].open(cited.warc_path) as stored:
        assert body == stored.read()
    assert hashlib.sha256(body).hexdigest() == cited.warc_sha256
    assert len(body) == cited.warc_size


@pytest.mark.parametrize("name", VIEWS)
def test_an_uncited_capture_is_the_same_404_as_a_missing_one(client, private, name):
    hidden = client.get(reverse(name, kwargs={"pk": private.pk}))
    missing = client.get(reverse(name, kwargs={"pk": private.pk + 1000}))
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content


@pytest.mark.parametrize("name", VIEWS)
def test_an_account_without_a_role_reads_what_readers_read(client, private, cited, name):
    client.force_login(make_user("roleless", is_staff=True))
    assert client.get(reverse(name, kwargs={"pk": private.pk})).status_code == 404
    assert client.get(reverse(name, kwargs={"pk": cited.pk})).status_code == 200


@pytest.mark.parametrize("name", VIEWS)
@pytest.mark.parametrize("role", [roles.REVIEWER, roles.FACT_CHECKER, roles.EDITOR])
def test_every_desk_role_opens_every_capture(client, private, name, role):
    assert "evidence.view_snapshot" in roles.ROLE_PERMISSIONS[role]
    client.force_login(make_user("member", role, is_staff=True))
    response = client.get(reverse(name, kwargs={"pk": private.pk}))
    assert response.status_code == 200
    if name == "evidence:capture":
        assert "Desk only" in response.content.decode()
    assert "private" in response["Cache-Control"]  # never kept by a shared cache


def test_a_capture_only_a_draft_cites_stays_private(client, cited, archive, desk):
    # The published check goes back to research and its draft cites a new page: readers
    # still see the publication, which does not cite it.
    fact_checker, _ = desk
    claim = cited.evidence.get().claim
    reopen(claim, by=fact_checker)
    drafted = capture(archive.url("/other"))
    attach_evidence(claim=claim, stance="refutes", source=drafted.source, by=fact_checker)
    url = reverse("evidence:capture", kwargs={"pk": drafted.pk})
    assert client.get(url).status_code == 404
    assert client.get(reverse("evidence:capture", kwargs={"pk": cited.pk})).status_code == 200
    # The desk sees it, told which claim cites it, with the way to that claim.
    client.force_login(fact_checker)
    html = client.get(url).content.decode()
    assert "Desk only" in html
    assert reverse("admin:claims_claim_change", args=[claim.pk]) in html


def test_a_source_cited_before_its_capture_is_public_once_captured(client, archive, desk):
    fact_checker, editor = desk
    claim = make_claim("early-claim", fact_checker=fact_checker)
    evidence = attach_evidence(claim=claim, stance="supports", url=archive.url("/letter"),
                               by=fact_checker)
    draft(claim, fact_checker=fact_checker)
    publish(claim, fact_checker=fact_checker, editor=editor)
    citation = PublicationSource.objects.get(source=evidence.source)
    assert citation.snapshot is None  # published while the archive had not run
    archiving.archive_source(evidence.source_id, fetch_id=uuid.uuid4())
    snapshot = Snapshot.objects.get(source=evidence.source)
    assert client.get(reverse("evidence:capture", kwargs={"pk": snapshot.pk})).status_code == 200
    # The verdict page links it, and readers can follow the link.
    page = client.get(reverse("checks:detail", kwargs={"slug": "early-claim"})).content.decode()
    assert reverse("evidence:capture", kwargs={"pk": snapshot.pk}) in page


def test_the_verdict_page_links_the_public_copy_and_claimreview_names_it(
    client, archive, desk, settings
):
    # An appearance of the claim (where it was made) with its source archived: the
    # ClaimReview's appearance carries archivedAt, our public copy, as extruct reads it.
    import extruct

    from claims.services import add_appearance
    from tests.data.rows import claimant

    fact_checker, editor = desk
    snapshot = capture(archive.url("/letter"))
    claim = make_claim("said-claim", fact_checker=fact_checker, appearances=0)
    add_appearance(claim=claim, claimant=claimant("Junta of Mali"), by=fact_checker,
                   quote="We wrote.", medium="letter", venue="Communique",
                   source=snapshot.source)
    draft(claim, fact_checker=fact_checker)
    publish(claim, fact_checker=fact_checker, editor=editor)
    page = client.get(reverse("checks:detail", kwargs={"slug": "said-claim"})).content.decode()
    link = reverse("evidence:capture", kwargs={"pk": snapshot.pk})
    assert f'href="{link}">Our archived copy</a>' in page
    # Each copy's link names its source for screen readers (several sit on one page).
    assert f'aria-label="Our archived copy of {snapshot.source.title}"' in page
    [review] = extruct.extract(page, syntaxes=["json-ld"])["json-ld"]
    [appearance] = review["itemReviewed"]["appearance"]
    assert appearance["url"] == snapshot.source.url
    assert appearance["archivedAt"] == settings.SITE_URL.rstrip("/") + link
    assert client.get(link).status_code == 200


def test_a_capture_whose_files_are_lost_still_answers_without_a_server_error(client, cited):
    storages["archives"].delete(cited.warc_path)
    storages["archives"].delete(cited.text_path)
    page = client.get(reverse("evidence:capture", kwargs={"pk": cited.pk}))
    assert page.status_code == 200
    assert "cannot be read from our archive" in page.content.decode()
    assert cited.payload_sha256 in page.content.decode()  # what the database knows stays
    warc = client.get(reverse("evidence:capture-warc", kwargs={"pk": cited.pk}))
    assert warc.status_code == 404


def test_old_desk_addresses_lead_to_the_new_ones(client, cited):
    response = client.get(f"/archive/snapshots/{cited.pk}/text/")
    assert response.status_code == 301
    assert response["Location"] == reverse("evidence:capture", kwargs={"pk": cited.pk})


def test_one_rule_for_the_views(db):
    from evidence.views import can_read_archives

    assert can_read_archives(make_user("r", roles.REVIEWER))
    assert not can_read_archives(make_user("s", is_staff=True))
    assert not can_read_archives(make_user("x", roles.REVIEWER, is_active=False))
