"""`manage.py archive_sources`: queue or, with --sync, archive in-process, with a summary."""
import itertools

import pytest
from django.core.management import CommandError, call_command

from evidence.models import Snapshot, Source
from tests.httpserver import Reply
from tests.sent_tasks import sent_tasks

ARCHIVE = "evidence.tasks.archive_source"


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
    source = Source.objects.create(url=local_site.url("/a"))
    with sent_tasks() as sent, django_capture_on_commit_callbacks(execute=True):
        call_command("archive_sources")
    assert [(task.name, task.args, task.kwargs) for task in sent] == [(ARCHIVE, (source.pk,), {})]
    assert "1 source(s): 1 queued." in capsys.readouterr().out
    assert not local_site.requests


@pytest.fixture
def changing_page(local_site):
    """A page whose text changes on each load: two fetches would make two captures."""
    loads = itertools.count(1)
    local_site.route("/live", lambda request: Reply.html(
        f"<html><body><p>Live coverage from Bamako, update number {next(loads)}.</p>"
        "</body></html>"
    ))
    return local_site.url("/live")


def test_a_new_url_is_queued_once(db, changing_page, django_capture_on_commit_callbacks):
    # Creating the source must not queue it beside the command (twice per citation).
    with sent_tasks() as sent, django_capture_on_commit_callbacks(execute=True):
        call_command("archive_sources", changing_page)
    source = Source.objects.get()
    assert [(task.name, task.args, task.kwargs) for task in sent] == [(ARCHIVE, (source.pk,), {})]


def test_a_source_named_twice_is_queued_once(
    db, changing_page, django_capture_on_commit_callbacks
):
    source = Source.objects.create(url=changing_page)
    with sent_tasks() as sent, django_capture_on_commit_callbacks(execute=True):
        call_command("archive_sources", str(source.pk), changing_page, changing_page + "#top")
    assert [(task.name, task.args) for task in sent] == [(ARCHIVE, (source.pk,))]


def test_a_new_url_rechecked_is_queued_once_as_a_recheck(
    db, changing_page, django_capture_on_commit_callbacks
):
    with sent_tasks() as sent, django_capture_on_commit_callbacks(execute=True):
        call_command("archive_sources", "--recheck", changing_page)
    assert [(task.name, task.kwargs) for task in sent] == [(ARCHIVE, {"recheck": True})]


def test_sync_fetches_a_new_url_here_once_and_queues_nothing(
    db, local_site, changing_page, capsys, django_capture_on_commit_callbacks
):
    with sent_tasks() as sent, django_capture_on_commit_callbacks(execute=True):
        call_command("archive_sources", "--sync", changing_page)
    assert sent == []
    assert "1 source(s): 1 archived." in capsys.readouterr().out
    assert Snapshot.objects.count() == 1 and len(local_site.requests) == 1


def test_bad_references_are_clear_errors(db):
    with pytest.raises(CommandError, match="No source has that id"):
        call_command("archive_sources", "424242")
    with pytest.raises(CommandError, match="http"):
        call_command("archive_sources", "ftp://example.org/file")
