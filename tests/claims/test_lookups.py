"""The lookups the claims app adds to its models are there wherever the models are used."""
import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Django set up with the admin that discovers no admin modules (SimpleAdminConfig), so
# nothing imports claims.admin; the queue's search lookup must work all the same.
WITHOUT_THE_ADMIN = textwrap.dedent("""
    import sys

    import django
    from django.conf import settings

    settings.INSTALLED_APPS = [
        "django.contrib.admin.apps.SimpleAdminConfig" if app == "django.contrib.admin"
        else app for app in settings.INSTALLED_APPS
    ]
    django.setup()

    from claims.models import Claim

    sql = str(Claim.objects.filter(search_text__ilike_contains="Wagner").query)
    assert "claims.admin" not in sys.modules, "the admin was imported"
    print(sql)
""")


def test_the_search_lookup_works_without_the_admin():
    result = subprocess.run(
        [sys.executable, "-c", WITHOUT_THE_ADMIN], cwd=ROOT, capture_output=True, text=True,
        timeout=120, env={**os.environ, "DJANGO_SETTINGS_MODULE": "factcheck.test_settings"},
    )
    assert result.returncode == 0, result.stderr
    assert '"search_text" ILIKE %Wagner%' in result.stdout, result.stdout
