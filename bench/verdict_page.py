"""Latency of the public verdict page, rendered in full (cold) and revalidated (304).

Builds a throw-away test database (prefix test_), loads the seed case, publishes claim 1
through the workflow, and times the page through Django's test client (no network) for
the seed claim and for a claim with 50 appearances, 50 responses and 50 evidence items.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/factcheck_pages \
    REDIS_URL=redis://127.0.0.1:6379/3 /work/main/.venv/bin/python bench/verdict_page.py
"""
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.test_settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "200"))


def user(name, role):
    account = get_user_model().objects.create_user(username=name)  # no password: no login
    account.groups.add(Group.objects.get(name=role))
    return account


def publish(claim, fact_checker, editor):
    from claims import workflow

    workflow.transition_claim(claim=claim, to_state="in_review", by=fact_checker)
    workflow.transition_claim(claim=claim, to_state="published", by=editor)


def build():
    from claims import roles, workflow
    from claims.models import Claim, Claimant, Rating
    from claims.seeding import load_seeds
    from claims.services import add_appearance
    from evidence.services import attach_evidence

    load_seeds()
    fact_checker, editor = user("bench-fc", roles.FACT_CHECKER), user("bench-ed", roles.EDITOR)
    seed = Claim.objects.get(slug="ukraine-supports-terrorism-in-africa")
    publish(seed, fact_checker, editor)

    big = Claim.objects.create(slug="bench-large", text="A claim made in many places.")
    mali = Claimant.objects.get(slug="government-of-mali")
    for n in range(50):
        add_appearance(claim=big, claimant=mali, by=fact_checker, quote=f"Quote {n}",
                       medium="tv", venue=f"Programme {n}")
        big.responses.create(claimant=mali, kind="denies", quote=f"Denial {n}")
        attach_evidence(claim=big, url=f"https://example.org/bench/{n}", stance="refutes",
                        summary=f"Evidence item {n}", by=fact_checker)
    for state in ("triaged", "researching"):
        workflow.transition_claim(claim=big, to_state=state, by=fact_checker)
    workflow.save_verdict(claim=big, by=fact_checker, rating=Rating.objects.get(slug="false"),
                          summary="False.", analysis="## Why\n\nBecause." * 20)
    publish(big, fact_checker, editor)
    return [seed.get_absolute_url(), big.get_absolute_url()]


def timed(client, url, **headers):
    samples = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        response = client.get(url, **headers)
        samples.append((time.perf_counter() - start) * 1000)
    return response, samples


def summary(samples):
    samples = sorted(samples)
    p95 = samples[int(len(samples) * 0.95) - 1]
    return f"median {statistics.median(samples):6.2f} ms   p95 {p95:6.2f} ms"


def main():
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        urls = build()
        client = Client()
        print(f"Verdict page latency, {ROUNDS} requests each, Django test client, "
              f"PostgreSQL {connection.pg_version // 10000}")
        for url in urls:
            cold, cold_samples = timed(client, url)
            assert cold.status_code == 200, cold.status_code
            cached, cached_samples = timed(client, url, HTTP_IF_NONE_MATCH=cold["ETag"])
            assert cached.status_code == 304, cached.status_code
            print(f"{url}  ({len(cold.content) // 1024} KiB)")
            print(f"  full render (200): {summary(cold_samples)}")
            print(f"  revalidated (304): {summary(cached_samples)}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print("Command: DATABASE_URL=postgres://postgres@127.0.0.1:5432/factcheck_pages "
          "REDIS_URL=redis://127.0.0.1:6379/3 /work/main/.venv/bin/python bench/verdict_page.py")


if __name__ == "__main__":
    main()
