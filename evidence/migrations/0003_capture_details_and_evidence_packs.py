"""Captures keep their redirects and their WARC file's SHA-256 and size; evidence packs.

The WARC of an earlier capture is named by its SHA-256 (evidence.archiving), which is
read from the name; its size is asked of the archive storage (0 when it is not there)."""

import django.db.models.deletion
from django.core.files.storage import storages
from django.db import migrations, models


def warc_digests(apps, schema_editor):
    Snapshot = apps.get_model("evidence", "Snapshot")
    storage = storages["archives"]
    for snapshot in Snapshot.objects.filter(warc_sha256="").iterator():
        name = snapshot.warc_path.rsplit("/", 1)[-1].removesuffix(".warc.gz")
        try:
            size = storage.size(snapshot.warc_path)
        except (OSError, ValueError):
            size = 0
        Snapshot.objects.filter(pk=snapshot.pk).update(
            warc_sha256=name if len(name) == 64 else "", warc_size=size
        )


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0014_publication_sources"),
        ("evidence", "0002_history_of_sources"),
    ]

    operations = [
        migrations.AddField(
            model_name="snapshot",
            name="redirects",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="Each redirect before the final URL: [{url, status}], in order.",
            ),
        ),
        migrations.AddField(
            model_name="snapshot",
            name="warc_sha256",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddField(
            model_name="snapshot",
            name="warc_size",
            field=models.PositiveBigIntegerField(default=0),
        ),
        migrations.CreateModel(
            name="EvidencePack",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("path", models.CharField(max_length=500)),
                ("sha256", models.CharField(max_length=64)),
                ("size", models.PositiveBigIntegerField()),
                ("captures", models.PositiveIntegerField(help_text="How many captures it holds.")),
                (
                    "public_key",
                    models.TextField(
                        help_text="The signing key (base64 SPKI DER), as in the pack."
                    ),
                ),
                ("built_at", models.DateTimeField()),
                ("build_seconds", models.FloatField()),
                (
                    "publication",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="evidence_pack",
                        to="claims.publication",
                    ),
                ),
            ],
            options={
                "ordering": ["-built_at"],
            },
        ),
        migrations.RunPython(warc_digests, migrations.RunPython.noop),
    ]
