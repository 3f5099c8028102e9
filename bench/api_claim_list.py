"""Benchmark: the API's claim list (a page of 50) against 200,000 claims in PostgreSQL.

Prints p50/p95 of GET /api/v1/claims/?page_size=50 (full stack in-process: middleware,
token auth, role permissions, filters, cursor pagination, serializers, JSON) and, in the
same run, of the floor: the same page from one bare SQL query plus json.dumps.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/factcheck_api_bench \\
        /work/main/.venv/bin/python bench/api_claim_list.py [--claims 200000] [--runs 200]

The database is created, migrated and filled on first use (bulk SQL, about a minute).
"""
import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group, User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

from claims import roles  # noqa: E402

FILL = """
INSERT INTO claims_tag (name, slug)
  SELECT 'Tag ' || i, 'tag-' || i FROM generate_series(1, 50) i ON CONFLICT DO NOTHING;
INSERT INTO claims_claimant (created_at, updated_at, name, slug, kind, description, aliases,
                             same_as)
  SELECT now(), now(), 'Claimant ' || i, 'claimant-' || i, 'person', '', '[]', '[]'
  FROM generate_series(1, 1000) i ON CONFLICT DO NOTHING;
INSERT INTO claims_rating (name, slug, value, colour, description, is_active)
  VALUES ('False', 'bench-false', -100, '#b3261e', '', true) ON CONFLICT DO NOTHING;
INSERT INTO claims_claim (created_at, updated_at, text, slug, language, priority, state,
                          evidence_status, internal_note, search_text)
  SELECT now() - i * interval '1 minute', now() - i * interval '1 minute',
         'Bench claim ' || i || ': the minister said unemployment fell by ' || (i % 90) || '%',
         'bench-claim-' || i, 'en', 1 + i % 4,
         (ARRAY['new','triaged','researching','in_review','published'])[1 + i % 5],
         'none_offered', '',
         'bench claim ' || i || ' minister unemployment claimant ' || (i % 1000)
  FROM generate_series(1, {claims}) i;
INSERT INTO claims_claim_claimants (claim_id, claimant_id)
  SELECT c.id, m.id FROM claims_claim c
  JOIN claims_claimant m ON m.slug IN ('claimant-' || (1 + c.id % 1000),
                                       'claimant-' || (1 + (c.id + 7) % 1000))
  WHERE c.slug LIKE 'bench-claim-%';
INSERT INTO claims_claim_tags (claim_id, tag_id)
  SELECT c.id, t.id FROM claims_claim c
  JOIN claims_tag t ON t.slug IN ('tag-' || (1 + c.id % 50), 'tag-' || (1 + (c.id + 3) % 50))
  WHERE c.slug LIKE 'bench-claim-%';
INSERT INTO claims_verdict (created_at, updated_at, claim_id, is_current, status, rating_id,
                            headline, summary, analysis, published_at, last_published_at)
  SELECT c.updated_at, c.updated_at, c.id, true, 'published',
         (SELECT id FROM claims_rating WHERE slug = 'bench-false'),
         'Headline ' || c.id, 'Summary ' || c.id, '', c.updated_at, c.updated_at
  FROM claims_claim c WHERE c.slug LIKE 'bench-claim-%' AND c.state = 'published';
ANALYZE;
"""

# The floor: the same page (newest 50 claims with assignee, tags, claimants, current
# verdict and rating) from one query, encoded with json.dumps.
FLOOR = """
SELECT c.id, c.slug, c.text, c.language, c.state, c.evidence_status, c.priority,
       CASE WHEN u.id IS NULL THEN NULL ELSE json_build_object('id', u.id, 'username',
            u.username) END,
       COALESCE((SELECT json_agg(t.slug ORDER BY t.name) FROM claims_claim_tags ct
                 JOIN claims_tag t ON t.id = ct.tag_id WHERE ct.claim_id = c.id), '[]'),
       COALESCE((SELECT json_agg(json_build_object('id', m.id, 'slug', m.slug, 'name', m.name,
                                                   'kind', m.kind) ORDER BY m.name)
                 FROM claims_claim_claimants cm JOIN claims_claimant m ON m.id = cm.claimant_id
                 WHERE cm.claim_id = c.id), '[]'),
       (SELECT json_build_object('id', v.id, 'status', v.status, 'headline', v.headline,
               'published_at', v.published_at, 'rating', CASE WHEN r.id IS NULL THEN NULL
               ELSE json_build_object('id', r.id, 'slug', r.slug, 'name', r.name,
                                      'value', r.value, 'colour', r.colour) END)
        FROM claims_verdict v LEFT JOIN claims_rating r ON r.id = v.rating_id
        WHERE v.claim_id = c.id AND v.is_current),
       c.created_at, c.updated_at
FROM claims_claim c LEFT JOIN auth_user u ON u.id = c.assignee_id
ORDER BY c.updated_at DESC, c.id DESC LIMIT 50
"""
FLOOR_KEYS = ["id", "slug", "text", "language", "state", "evidence_status", "priority",
              "assignee", "tags", "claimants", "verdict", "created_at", "updated_at"]


def prepare(claims):
    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM claims_claim WHERE slug LIKE 'bench-claim-%'")
        have = cursor.fetchone()[0]
        if have < claims:
            cursor.execute("DELETE FROM claims_claim WHERE slug LIKE 'bench-claim-%'")
            cursor.execute(FILL.replace("{claims}", str(int(claims))))
    user, _ = User.objects.get_or_create(username="bench-editor")
    user.groups.add(Group.objects.get(name=roles.EDITOR))
    return Token.objects.get_or_create(user=user)[0].key


def timed(fn, runs):
    for _ in range(10):  # warm caches and connections
        fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    key = prepare(args.claims)
    client = Client(HTTP_AUTHORIZATION=f"Token {key}")

    def api():
        response = client.get("/api/v1/claims/", {"page_size": 50})
        assert response.status_code == 200 and len(response.json()["results"]) == 50

    def api_filtered():
        response = client.get("/api/v1/claims/", {"page_size": 50, "state": "researching",
                                                  "tag": "tag-11"})
        assert response.status_code == 200 and len(response.json()["results"]) == 50

    def api_search():
        response = client.get("/api/v1/claims/", {"page_size": 50, "q": "claimant 42"})
        assert response.status_code == 200

    def floor():
        with connection.cursor() as cursor:
            cursor.execute(FLOOR)
            rows = [dict(zip(FLOOR_KEYS, row, strict=True)) for row in cursor.fetchall()]
        assert len(rows) == 50
        json.dumps({"next": None, "previous": None, "results": rows}, default=str)

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM claims_claim")
        total = cursor.fetchone()[0]
    print(f"claims in database: {total}; runs per measure: {args.runs}")
    for name, fn in [("API claim list, page of 50", api),
                     ("API claim list, state+tag filter", api_filtered),
                     ("API claim list, ?q= full-text search", api_search),
                     ("floor: one SQL query + json.dumps", floor)]:
        p50, p95 = timed(fn, args.runs)
        print(f"{name:40s} p50 {p50:7.2f} ms   p95 {p95:7.2f} ms")
    print("command: DATABASE_URL=postgres://postgres@127.0.0.1:5432/factcheck_api_bench "
          f"/work/main/.venv/bin/python bench/api_claim_list.py --claims {args.claims} "
          f"--runs {args.runs}")


if __name__ == "__main__":
    main()
