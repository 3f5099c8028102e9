"""Archive sources now: every pending one, or the given ids or URLs.

Each source named is queued once, or with --sync fetched here and queued nothing: a new
URL is not also queued by its creation (evidence.archiving.sources_to_archive), so a page
that changes on each load gets one capture from one request, not two.
"""
import uuid
from collections import Counter

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from evidence import archiving
from evidence.models import Source
from evidence.services import request_archive
from evidence.urls_canonical import InvalidURL
from factcheck.celery import app


class Command(BaseCommand):
    help = (
        "Archive sources: all pending ones, or the given source ids or URLs. Queues each "
        "once for the workers, or with --sync fetches them here, one attempt each, and "
        "queues nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("refs", nargs="*", metavar="ID_OR_URL")
        parser.add_argument(
            "--sync", action="store_true",
            help="Fetch in this process instead of queueing (no worker needed).",
        )
        parser.add_argument(
            "--failed", action="store_true", help="Without ids or URLs, retry failed ones too."
        )
        parser.add_argument(
            "--recheck", action="store_true",
            help="Fetch archived sources again too (a new snapshot only if they changed).",
        )

    def handle(self, *args, refs, sync, failed, recheck, **options):
        try:
            sources = archiving.sources_to_archive(refs=refs, include_failed=failed)
        except Source.DoesNotExist as exc:
            raise CommandError(f"No source has that id: {exc}") from exc
        except InvalidURL as exc:
            raise CommandError(str(exc)) from exc
        outcomes = Counter()
        bar = tqdm(sources, unit="source", disable=not sources, file=self.stderr._out)
        for source in bar:
            bar.set_postfix_str(source.canonical_url[-40:], refresh=False)
            if sync:
                outcome = archiving.archive_source(
                    source.pk, fetch_id=uuid.uuid4(), recheck=recheck
                )
            elif recheck:
                app.send_task(
                    "evidence.tasks.archive_source", args=[source.pk], kwargs={"recheck": True}
                )
                outcome = "queued"
            else:
                request_archive(source)
                outcome = "queued"
            outcomes[str(outcome)] += 1
        summary = ", ".join(f"{count} {name}" for name, count in sorted(outcomes.items()))
        self.stdout.write(f"{len(sources)} source(s): {summary or 'nothing to do'}.")
        if sync and (outcomes["failed"] or outcomes["dead"]):
            unfetched = Source.objects.filter(
                pk__in=[s.pk for s in sources],
                status__in=[Source.Status.FAILED, Source.Status.DEAD],
            )
            for source in unfetched:
                self.stdout.write(f"  {source.status}: {source.url}: {source.last_error}")
