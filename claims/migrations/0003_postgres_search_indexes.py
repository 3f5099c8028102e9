"""Search indexes that only PostgreSQL has; on SQLite the app falls back to plain scans.

- trigram (pg_trgm) on the claim text: "possibly the same claim" by similarity;
- trigram on search_text: substring search in the admin (ILIKE uses it);
- full-text (tsvector, 'simple' configuration: claims come in many languages) on
  search_text, for ranked search in the API.
"""
from django.db import migrations

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS claim_text_trgm ON claims_claim USING gin (text gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS claim_search_trgm "
    "ON claims_claim USING gin (search_text gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS claim_search_fts "
    "ON claims_claim USING gin (to_tsvector('simple'::regconfig, search_text))",
]
DROP = [
    "DROP INDEX IF EXISTS claim_search_fts",
    "DROP INDEX IF EXISTS claim_search_trgm",
    "DROP INDEX IF EXISTS claim_text_trgm",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("claims", "0002_initial")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]
