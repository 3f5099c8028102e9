"""Which sources each publication cites, and in which capture: what makes a capture public.

Publications made before this are read for it from their frozen content; a source or
capture deleted since is left out (it can no longer be shown)."""

import django.db.models.deletion
from django.db import migrations, models

CITING_PARTS = ("appearances", "responses", "evidence")


def cited_sources(content):
    """{source id: capture id or None} of a publication's `content`."""
    cited = {}
    for part in CITING_PARTS:
        for item in content.get(part, ()):
            source = item.get("source")
            if source and source.get("id"):
                capture = (source.get("snapshot") or {}).get("pk")
                cited[source["id"]] = cited.get(source["id"]) or capture
    return cited


def backfill(apps, schema_editor):
    Publication = apps.get_model("claims", "Publication")
    PublicationSource = apps.get_model("claims", "PublicationSource")
    Source = apps.get_model("evidence", "Source")
    Snapshot = apps.get_model("evidence", "Snapshot")
    for publication in Publication.objects.only("pk", "content").iterator():
        cited = cited_sources(publication.content)
        sources = set(Source.objects.filter(pk__in=cited).values_list("pk", flat=True))
        captures = set(
            Snapshot.objects.filter(pk__in=[c for c in cited.values() if c]).values_list(
                "pk", flat=True
            )
        )
        PublicationSource.objects.bulk_create(
            [
                PublicationSource(
                    publication_id=publication.pk,
                    source_id=source,
                    snapshot_id=capture if capture in captures else None,
                )
                for source, capture in cited.items()
                if source in sources
            ]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0013_revision_approved_by_first_author"),
        ("evidence", "0002_history_of_sources"),
    ]

    operations = [
        migrations.CreateModel(
            name="PublicationSource",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "publication",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="cited_sources",
                        to="claims.publication",
                    ),
                ),
                (
                    "snapshot",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="citations",
                        to="evidence.snapshot",
                    ),
                ),
                (
                    "source",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="citations",
                        to="evidence.source",
                    ),
                ),
            ],
            options={
                "ordering": ["publication", "source"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("publication", "source"), name="publication_source_unique"
                    )
                ],
            },
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
