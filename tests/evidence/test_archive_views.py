"""Archived copies: the text page and the WARC download, for users whose role may read
snapshots (evidence.view_snapshot), the same rule as the API."""
import uuid

import pytest
from django.core.files.storage import storages
from django.urls import reverse

from claims import roles
from evidence import archiving
from evidence.models import Snapshot, Source
from tests.data.desk import make_user
from tests.httpserver import Reply

HOSTILE = (
    "<!doctype html><html><head><title>Letter &lt;b&gt;</title></head><body><article>"
    "<h1>Letter</h1><p>The juntas wrote &lt;script&gt;alert(1)&lt;/script&gt; to the "
    "Security Council about Ukraine and the rebels in northern Mali.</p>"
    "<p>Ukraine's foreign ministry rejected the accusation outright.</p>"
    "</article></body></html>"
)


@pytest.fixture
def snapshot(settings, tmp_path, http_server, db):
    settings.FETCH_ALLOWLIST = [http_server.host_port]
    settings.STORAGES = {
        **settings.STORAGES,
        "archives": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    http_server.route("/letter", Reply.html(HOSTILE))
    source = Source.objects.create(url=http_server.url("/letter?utm_source=x"))
    archiving.archive_source(source.pk, fetch_id=uuid.uuid4())
    return Snapshot.objects.select_related("source").get()


@pytest.mark.parametrize("name", ["evidence:snapshot-text", "evidence:snapshot-warc"])
def test_anonymous_users_are_sent_to_sign_in(client, snapshot, name):
    url = reverse(name, kwargs={"pk": snapshot.pk})
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert "next=" in response["Location"]


def test_the_text_page_shows_origin_capture_time_and_escaped_text(
    client, snapshot, django_assert_max_num_queries
):
    client.force_login(make_user("reader", roles.REVIEWER))
    # The session, the user, their permissions (own and by role), the capture with its
    # source: however long the text.
    with django_assert_max_num_queries(5):
        response = client.get(reverse("evidence:snapshot-text", kwargs={"pk": snapshot.pk}))
    assert response.status_code == 200
    html = response.content.decode()
    assert snapshot.source.url.replace("&", "&amp;") in html
    assert snapshot.fetched_at.strftime("%Y-%m-%dT%H:%M:%S") in html
    assert snapshot.payload_sha256 in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert" not in html
    assert reverse("evidence:snapshot-warc", kwargs={"pk": snapshot.pk}) in html


def test_the_warc_downloads_as_an_attachment(client, snapshot):
    client.force_login(make_user("reader", roles.REVIEWER))
    response = client.get(reverse("evidence:snapshot-warc", kwargs={"pk": snapshot.pk}))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert ".warc.gz" in response["Content-Disposition"]
    body = b"".join(response.streaming_content)
    with storages["archives"].open(snapshot.warc_path) as stored:
        assert body == stored.read()


def test_an_unknown_snapshot_is_404(client, db):
    client.force_login(make_user("reader", roles.REVIEWER))
    response = client.get(reverse("evidence:snapshot-text", kwargs={"pk": 999}))
    assert response.status_code == 404


VIEWS = ["evidence:snapshot-text", "evidence:snapshot-warc"]


@pytest.mark.parametrize("name", VIEWS)
def test_staff_without_a_role_may_not_read_archives(client, snapshot, name):
    client.force_login(make_user("roleless", is_staff=True))
    response = client.get(reverse(name, kwargs={"pk": snapshot.pk}))
    assert response.status_code == 403


@pytest.mark.parametrize("name", VIEWS)
@pytest.mark.parametrize("role", [roles.REVIEWER, roles.FACT_CHECKER, roles.EDITOR])
def test_every_desk_role_reads_archives(client, snapshot, name, role):
    assert "evidence.view_snapshot" in roles.ROLE_PERMISSIONS[role]
    client.force_login(make_user("member", role, is_staff=True))
    assert client.get(reverse(name, kwargs={"pk": snapshot.pk})).status_code == 200


@pytest.mark.parametrize("name", VIEWS)
def test_the_permission_alone_is_enough(client, snapshot, name):
    from django.contrib.auth.models import Permission

    user = make_user("researcher")
    user.user_permissions.add(Permission.objects.get(
        content_type__app_label="evidence", codename="view_snapshot"))
    client.force_login(user)
    assert client.get(reverse(name, kwargs={"pk": snapshot.pk})).status_code == 200


def test_an_unknown_snapshot_is_403_without_the_permission(client, db):
    # Whether a capture exists is itself not for accounts without the permission.
    client.force_login(make_user("roleless", is_staff=True))
    assert client.get(reverse("evidence:snapshot-text", kwargs={"pk": 999})).status_code == 403


def test_one_rule_for_the_views(db):
    from evidence.views import can_read_archives

    assert can_read_archives(make_user("r", roles.REVIEWER))
    assert not can_read_archives(make_user("s", is_staff=True))
    assert not can_read_archives(make_user("x", roles.REVIEWER, is_active=False))
