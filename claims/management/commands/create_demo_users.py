import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from claims import roles

DEMO_USERS = [
    # username, role, is_superuser
    ("admin", None, True),
    ("editor", roles.EDITOR, False),
    ("checker", roles.FACT_CHECKER, False),
    ("reviewer", roles.REVIEWER, False),
]


class Command(BaseCommand):
    help = (
        "Create the local demo accounts (an admin and one user per role) and print their "
        "password once. Refuses to run unless DEBUG is on: never on a deployment."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo accounts are for local runs only (DEBUG=true).")
        users = get_user_model()
        if users.objects.filter(username="admin").exists():
            self.stdout.write(
                "Demo accounts exist already (their password was printed when they were "
                "created; reset one with: python manage.py changepassword admin)."
            )
            return
        password = secrets.token_urlsafe(12)
        for username, role, superuser in DEMO_USERS:
            user = users.objects.create_user(
                username=username, password=password, is_staff=True, is_superuser=superuser
            )
            if role:
                user.groups.add(roles.role_group(role))
        names = ", ".join(name for name, _, _ in DEMO_USERS)
        self.stdout.write(self.style.SUCCESS(
            "\n  Demo login (shown once): user 'admin', password " + password
            + f"\n  The same password opens the role accounts: {names}.\n"
        ))
