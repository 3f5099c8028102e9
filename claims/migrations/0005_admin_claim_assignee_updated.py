# The queue filters by assignee and sorts by last update: one index serves both.

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('claims', '0004_roles'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='claim',
            index=models.Index(fields=['assignee', '-updated_at'], name='claim_assignee_updated'),
        ),
    ]
