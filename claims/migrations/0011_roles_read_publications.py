"""Every role reads publications (claims.view_publication): the roles synced again now that
the model exists."""
from django.contrib.auth.management import create_permissions
from django.db import migrations

from claims.roles import sync_roles


def sync_the_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_roles(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0010_first_publications"),
    ]

    operations = [migrations.RunPython(sync_the_roles, migrations.RunPython.noop)]
