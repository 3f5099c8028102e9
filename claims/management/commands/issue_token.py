"""Issue (or revoke) the API token of a user, for scripts: `Authorization: Token <key>`."""
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from rest_framework.authtoken.models import Token


class Command(BaseCommand):
    help = "Print USERNAME's API token, creating it if needed; --revoke deletes it."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--revoke", action="store_true", help="Delete the user's token: scripts using it "
            "are refused from now on.")

    def handle(self, *args, username, revoke, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user named {username!r}.")
        if revoke:
            deleted, _ = Token.objects.filter(user=user).delete()
            self.stdout.write(
                f"Revoked the token of {username}." if deleted else f"{username} had no token.")
            return
        if not user.is_active:
            raise CommandError(f"{username} is inactive: activate the account first.")
        token, _ = Token.objects.get_or_create(user=user)
        self.stdout.write(token.key)
