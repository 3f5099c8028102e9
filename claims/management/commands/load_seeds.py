from django.core.management.base import BaseCommand

from claims.seeding import SEEDS_DIR, load_seeds


class Command(BaseCommand):
    help = "Load the seed case from seeds/ (adds what is missing; safe to run again)."

    def handle(self, *args, **options):
        for name, created in load_seeds().items():
            added = ", ".join(f"{n} {kind}" for kind, n in created.items() if n) or "nothing new"
            self.stdout.write(f"{name}: {added}")
        self.stdout.write(self.style.SUCCESS(f"Seeds loaded from {SEEDS_DIR}."))
