"""Create the key that signs evidence packs (evidence/signing.py)."""
from django.core.management.base import BaseCommand, CommandError

from evidence import signing


class Command(BaseCommand):
    help = (
        "Create the ECDSA P-384 key that signs evidence packs, at "
        "EVIDENCE_PACK_SIGNING_KEY_FILE (mode 0600). Refuses to replace an existing key "
        "unless --rotate, which keeps the old one beside it, named by its fingerprint."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--rotate", action="store_true",
            help="Replace an existing key; the old one stays beside it, so the packs it "
                 "signed remain verifiable (its public key stays published).",
        )
        parser.add_argument(
            "--if-missing", action="store_true",
            help="Do nothing (and succeed) when the key exists: for start-up scripts.",
        )

    def handle(self, *args, rotate, if_missing, **options):
        path = signing.key_file()
        if rotate and if_missing:
            raise CommandError("--rotate and --if-missing contradict each other.")
        try:
            public_key, retired = signing.create_key(path, rotate=rotate)
        except FileExistsError:
            fingerprint = signing.public_key_of(signing.load_private_key(path)).fingerprint
            if if_missing:
                self.stdout.write(f"Signing key {path} exists (fingerprint {fingerprint}).")
                return
            raise CommandError(
                f"A signing key already exists at {path} (fingerprint {fingerprint}). "
                "Use --rotate to replace it; the old key is kept beside it."
            ) from None
        if retired:
            self.stdout.write(f"Retired the previous key to {retired}.")
        self.stdout.write(self.style.SUCCESS(
            f"Created the evidence-pack signing key {path} (mode 0600).\n"
            f"Fingerprint (SHA-256 of the public key): {public_key.fingerprint}\n"
            "Readers fetch its public key at /.well-known/evidence-pack-key.pem. Keep the "
            "file secret and backed up."
        ))
