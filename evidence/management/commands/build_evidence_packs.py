"""Build evidence packs now (evidence/packs.py), in this process: no worker needed."""
from collections import Counter

from django.core.management.base import BaseCommand

from evidence import packs


class Command(BaseCommand):
    help = (
        "Build the evidence packs that are missing or lack a capture that has landed since "
        "(what beat's sweep does), or those of the given publication ids. A pack holding "
        "every capture there is stays as it is."
    )

    def add_arguments(self, parser):
        parser.add_argument("publications", nargs="*", type=int, metavar="PUBLICATION_ID")

    def handle(self, *args, publications, **options):
        if publications:
            outcomes = Counter(str(packs.build_pack(pk)) for pk in publications)
        else:
            outcomes = Counter(packs.build_missing_packs())
        summary = ", ".join(f"{count} {name}" for name, count in sorted(outcomes.items()))
        self.stdout.write(f"Evidence packs: {summary or 'nothing to do'}.")
        if outcomes[packs.PackOutcome.FAILED]:
            self.stderr.write("Some captures could not be read: see the log for which.")
