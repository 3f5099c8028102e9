"""Celery tasks: thin wrappers, each calling one service in evidence/archiving.py.

Tasks are acknowledged late (settings: CELERY_TASK_ACKS_LATE), so a worker that dies
mid-task leaves the message to be redelivered; every task here is idempotent. A task that
raises is acknowledged all the same, so archive_source retries what may pass (a
transient fetch failure, a full disk, a database error) rather than raise it.
"""
from celery import shared_task
from django.conf import settings
from django.db import DatabaseError, connection

from . import archiving


@shared_task(bind=True, name="evidence.tasks.archive_source", max_retries=None)
def archive_source(self, source_id, recheck=False):
    """Fetch and archive source ``source_id`` (re-check it with ``recheck``).

    Idempotent: the task id is the snapshot's fetch_id, so a redelivered task that
    already succeeded does nothing, and an archived source is only fetched again on a
    re-check. Transient failures, writes the archive storage refuses and database errors
    are retried with backoff up to ARCHIVE_MAX_RETRIES times in all; a database error
    still there after them fails the task, and the source waits for the sweep.
    """
    try:
        return str(archiving.archive_source(
            source_id, fetch_id=self.request.id, recheck=recheck,
            retries_done=self.request.retries, max_retries=settings.ARCHIVE_MAX_RETRIES,
        ))
    except archiving.RetryLater as exc:
        raise self.retry(countdown=exc.countdown, exc=exc) from exc
    except DatabaseError as exc:
        # Raised, the task would be acknowledged and the source left pending or fetching
        # until the sweep (ARCHIVE_LEASE_SECONDS). The connection may be what broke (a
        # restarted server, a dropped link): the retry opens a fresh one.
        connection.close()
        if self.request.retries >= settings.ARCHIVE_MAX_RETRIES:
            raise
        raise self.retry(
            countdown=archiving.retry_countdown(self.request.retries), exc=exc
        ) from exc


@shared_task(name="evidence.tasks.queue_pending_sources")
def queue_pending_sources():
    """Queue every source whose archive task was lost (beat). Idempotent: a source
    queued twice is archived once."""
    return archiving.queue_pending_sources()


@shared_task(name="evidence.tasks.recheck_sources")
def recheck_sources():
    """Queue re-checks of sources due for one, spaced per host (beat). Idempotent: a
    re-check finding the same payload only updates last_checked_at."""
    return archiving.recheck_sources()


@shared_task(name="evidence.tasks.build_evidence_pack")
def build_evidence_pack(publication_id):
    """Build (or rebuild) the signed evidence pack of one publication. Idempotent: a pack
    that already holds every capture the publication cites is left as it is."""
    from . import packs

    return packs.build_pack(publication_id)


@shared_task(name="evidence.tasks.build_missing_evidence_packs")
def build_missing_evidence_packs():
    """Build the packs publishing could not queue, and rebuild those whose waited-for
    captures have landed since (beat). Idempotent, like build_evidence_pack."""
    from . import packs

    return packs.build_missing_packs()
