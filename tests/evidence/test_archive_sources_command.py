"""`manage.py archive_sources`: queue or, with --sync, archive in-process, with a summary."""
import pytest
from django.core.management import CommandError, call_command

from evidence.models import Source
from tests.httpserver import Reply


@pytest.fixture
def local_site(settings, tmp_path, http_server):
    settings.FETCH_ALLOWLIST = [http_server.host_port]
    settings.STORAGES = {
        **settings.STORAGES,
        "archives": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    http_server.route("/a", Reply.html("<html><body><p>First page about Mali.</p></body></html>"))
    http_server.route("/b", Reply.html("<html><body><p>Second page about Niger.</p></body></html>"))
    http_server.route("/gone", Reply.text("gone", status=404))
    return http_server


def test_sync_archives_every_pending_source_and_summarises(local_site, db, capsys):
    for path in ("/a", "/b", "/gone"):
        Source.objects.create(url=local_site.url(path))
    Source.objects.create(url="https://example.org/done", status=Source.Status.ARCHIVED)

    call_command("archive_sources", "--sync")

    out, err = capsys.readouterr()
    assert "3 source(s): 2 archived, 1 failed." in out
    assert "the server answered 404" in out
    assert "3/3" in err  # the progress bar
    assert Source.objects.filter(status=Source.Status.ARCHIVED).count() == 3
    assert len(local_site.requests) == 3


def test_sync_takes_urls_and_ids(local_site, db, capsys):
    known = Source.objects.create(url=local_site.url("/a"))

    call_command("archive_sources", "--sync", str(known.pk), local_site.url("/b"))

    assert "2 source(s): 2 archived." in capsys.readouterr().out
    assert Source.objects.filter(status=Source.Status.ARCHIVED).count() == 2


def test_without_sync_sources_are_queued(
    local_site, db, capsys, django_capture_on_commit_callbacks
):
    from factcheck.celery import app

    Source.objects.create(url=local_site.url("/a"))
    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge("factcheck")
        with django_capture_on_commit_callbacks(execute=True):
            call_command("archive_sources")
        assert conn.default_channel.client.llen("factcheck") == 1
        conn.default_channel.queue_purge("factcheck")
    assert "1 source(s): 1 queued." in capsys.readouterr().out
    assert not local_site.requests


def test_bad_references_are_clear_errors(db):
    with pytest.raises(CommandError, match="No source has that id"):
        call_command("archive_sources", "424242")
    with pytest.raises(CommandError, match="http"):
        call_command("archive_sources", "ftp://example.org/file")
