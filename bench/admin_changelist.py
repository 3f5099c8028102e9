"""How fast is the claim queue with a newsroom's backlog? Times the admin changelist.

Fills its own PostgreSQL database with N claims (COPY, so 200,000 take under a minute),
worded from a Zipf-distributed vocabulary plus a few dozen words of the day's news, each
with two claimants (their names in its search text), a tag and, for a fifth of them, a
rated verdict; then loads the queue through Django's test client as a logged-in
fact-checker, with the filters and searches the desk uses, and prints p50/p95 per view.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/factcheck_admin_bench \\
        /work/main/.venv/bin/python bench/admin_changelist.py --claims 200000 --repeat 30

The database is created if missing and refilled only when it holds a different number of
claims (or with --refill). Nothing else is touched.
"""
import argparse
import io
import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/factcheck_admin_bench"

VOCABULARY = (
    "Ukraine Mali Niger Burkina Faso Wagner rebels Tuareg terrorism Africa letter Security "
    "Council military intelligence sovereignty soldiers mercenaries killed attack government "
    "minister army drone weapons supplied trained funded denied admitted sanctions election "
    "vaccine grain exports ceasefire refugees border embassy diplomats treaty oil gold"
)
WORDS = VOCABULARY.split()
SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ba", "de", "fi", "gu", "ha",
             "je", "ko", "la", "mu", "no", "pe", "qui", "ra", "se", "to", "ur"]


def vocabulary(rng, size=20_000):
    """Pseudo-words for the rest of a claim's wording, with the long tail of real text:
    the n-th most common word is n times rarer than the first (Zipf)."""
    words = sorted({"".join(rng.choices(SYLLABLES, k=rng.randint(2, 4))) for _ in range(size)})
    rng.shuffle(words)
    weights = [1 / rank for rank in range(1, len(words) + 1)]
    return words, weights


def wording(rng, words, weights):
    """A claim of 7 to 16 words, a third of them from the news of the day (WORDS)."""
    count = rng.randint(7, 16)
    topical = rng.sample(WORDS, count // 3)
    return " ".join(topical + rng.choices(words, weights, k=count - len(topical)))


STATES = ["new"] * 5 + ["triaged"] * 2 + ["researching"] * 2 + ["in_review", "published",
                                                                  "rejected"]
EVIDENCE = ["none_offered"] * 4 + ["pending_archive", "supported", "refuted", "mixed",
                                   "inconclusive"]


def ensure_database(url):
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin_url = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def setup_django(url):
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
    # The test settings: the production ones with static files served without a manifest.
    os.environ["DJANGO_SETTINGS_MODULE"] = "factcheck.test_settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def fill(n, seed=7):
    """Replace every claim with `n` generated ones; returns the seconds it took."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from claims.models import Claimant, Rating, Tag

    rng = random.Random(seed)
    started = time.perf_counter()
    words, weights = vocabulary(rng)
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE claims_claim, claims_claim_claimants, claims_claim_tags, claims_verdict, "
            "claims_appearance, claims_response, claims_claimrelation, evidence_evidence "
            "RESTART IDENTITY CASCADE"
        )
    User = get_user_model()
    desk = [User.objects.get_or_create(username=f"desk{i}")[0] for i in range(12)]
    claimants = [
        Claimant.objects.get_or_create(
            slug=f"claimant-{i}", defaults={"name": f"{rng.choice(WORDS)} claimant {i}",
                                            "kind": "person"})[0]
        for i in range(2000)
    ]
    tags = [Tag.objects.get_or_create(slug=w.lower(), defaults={"name": w})[0] for w in WORDS[:20]]
    ratings = list(Rating.objects.all()) or [
        Rating.objects.create(name=name, slug=name.lower(), value=v)
        for v, name in enumerate(["False", "Misleading", "Mixed", "True"], start=1)
    ]

    raw = connection.connection  # psycopg 3: COPY straight into the tables
    with raw.cursor() as cur:
        with cur.copy(
            "COPY claims_claim (created_at, updated_at, text, slug, language, priority, state, "
            "evidence_status, assignee_id, internal_note, search_text) FROM STDIN"
        ) as copy:
            for i in range(n):
                text = wording(rng, words, weights)
                who = claimants[rng.randrange(len(claimants))].name
                stamp = f"2024-{1 + i % 12:02d}-{1 + i % 28:02d} {i % 24:02d}:{i % 60:02d}:00+00"
                assignee = desk[i % len(desk)].pk if i % 3 else None
                copy.write_row((
                    stamp, stamp, text, f"bench-{i}", "en", 1 + i % 4, rng.choice(STATES),
                    rng.choice(EVIDENCE), assignee, "", f"{text}\n{who}",
                ))
        cur.execute("SELECT min(id) FROM claims_claim")
        first = cur.fetchone()[0]
        ids = range(first, first + n)
        buffer = io.StringIO()
        for pk in ids:
            for c in rng.sample(claimants, 2):
                buffer.write(f"{pk}\t{c.pk}\n")
        with cur.copy("COPY claims_claim_claimants (claim_id, claimant_id) FROM STDIN") as copy:
            copy.write(buffer.getvalue())
        with cur.copy("COPY claims_claim_tags (claim_id, tag_id) FROM STDIN") as copy:
            for pk in ids:
                copy.write_row((pk, tags[pk % len(tags)].pk))
        with cur.copy(
            "COPY claims_verdict (created_at, updated_at, claim_id, is_current, status, "
            "rating_id, headline, summary, analysis, author_id) FROM STDIN"
        ) as copy:
            for pk in ids[::5]:
                copy.write_row(("2024-06-01 00:00:00+00", "2024-06-01 00:00:00+00", pk, True,
                                "draft", rng.choice(ratings).pk, "", "Summary", "",
                                desk[pk % len(desk)].pk))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return time.perf_counter() - started


def time_views(repeat):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from claims import roles
    from claims.models import Claim, Claimant, Rating

    User = get_user_model()
    user, _ = User.objects.get_or_create(username="bench-fact-checker",
                                         defaults={"is_staff": True})
    user.groups.add(Group.objects.get(name=roles.FACT_CHECKER))
    desk_user = User.objects.get(username="desk1")
    claimant = Claimant.objects.order_by("pk").first()
    rating = Rating.objects.order_by("pk").first()
    some_claim = Claim.objects.order_by("pk")[1000]
    client = Client()
    client.force_login(user)
    base = "/admin/claims/claim/"
    views = [
        ("queue, newest first", base),
        ("state = new", f"{base}?state__exact=new"),
        ("unassigned, new", f"{base}?assignee=none&state__exact=new"),
        ("a colleague's claims", f"{base}?assignee={desk_user.pk}"),
        ("evidence = refuted", f"{base}?evidence_status__exact=refuted"),
        ("urgent first", f"{base}?o=-4"),
        ("page 40", f"{base}?p=40"),
        ("rating filter", f"{base}?rating={rating.pk}"),
        ("claimant filter", f"{base}?claimant={claimant.pk}"),
        ("claimant by name", f"{base}?claimant=claimant+1999"),
        ("search 'Wagner mercenaries'", f"{base}?q=Wagner+mercenaries"),
        ("claim page (with similar claims)", f"/admin/claims/claim/{some_claim.pk}/change/"),
    ]
    results = []
    for label, url in views:
        client.get(url)  # warm caches and the connection
        timings = []
        for _ in range(repeat):
            reset_queries()
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        timings.sort()
        p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
        results.append((label, statistics.median(timings), p95, len(queries), timings))
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--refill", action="store_true", help="regenerate the claims")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    if not url.rstrip("/").endswith("_bench"):
        sys.exit("Refusing to fill a database whose name does not end in _bench: " + url)
    ensure_database(url)
    setup_django(url)
    from claims.models import Claim

    if args.refill or Claim.objects.count() != args.claims:
        print(f"Filling {args.claims:,} claims…", flush=True)
        print(f"  filled in {fill(args.claims):.1f} s", flush=True)
    results = time_views(args.repeat)
    everything = sorted(t for r in results[:-1] for t in r[4])
    print(f"\nAdmin claim queue, {args.claims:,} claims, {args.repeat} loads per view "
          "(Django test client, PostgreSQL):")
    print(f"{'view':36} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    for label, p50, p95, queries, _ in results:
        print(f"{label:36} {p50:8.1f} {p95:8.1f} {queries:8d}")
    print(f"{'all queue views':36} {statistics.median(everything):8.1f} "
          f"{everything[round(0.95 * (len(everything) - 1))]:8.1f}")
    print(f"\nCommand: DATABASE_URL={url} {sys.executable} bench/admin_changelist.py "
          f"--claims {args.claims} --repeat {args.repeat}")


if __name__ == "__main__":
    main()
