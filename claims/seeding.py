"""Load the structured seed files in seeds/ into the database.

Loading adds what is missing and never overwrites what the desk has edited since, so
running it twice (or after work on the demo data) leaves the same rows.
"""
from datetime import date
from pathlib import Path

import yaml
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from evidence.models import Evidence
from evidence.services import refresh_evidence_status, source_for_url

from . import roles
from .models import Claim, Claimant, ClaimRelation, Rating, Tag, Verdict
from .services import refresh_search_text

SEEDS_DIR = Path(settings.BASE_DIR) / "seeds"
PRIORITIES = {p.label.lower(): p.value for p in Claim.Priority}


class SeedError(Exception):
    """A seed file refers to something it does not define, or is malformed."""


def seed_files(folder=SEEDS_DIR):
    return sorted(folder.glob("*.yaml"))


@transaction.atomic
def load_seed_file(path):
    """Load one seed file; returns a dict of how many rows of each kind were created."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    created = dict.fromkeys(
        ["sources", "ratings", "tags", "claimants", "claims", "appearances", "responses",
         "evidence", "relations", "verdicts"], 0,
    )
    sources = {}
    for item in data.get("sources", []):
        before = _count_sources()
        sources[item["key"]] = source_for_url(
            item["url"], title=item.get("title", ""), publisher=item.get("publisher", "")
        )
        created["sources"] += _count_sources() - before

    for item in data.get("ratings", []):
        _, new = Rating.objects.get_or_create(
            slug=item["slug"],
            defaults={k: item[k] for k in ("name", "value", "colour", "description") if k in item},
        )
        created["ratings"] += new

    tags = {}
    for item in data.get("tags", []):
        tags[item["slug"]], new = Tag.objects.get_or_create(
            slug=item["slug"], defaults={"name": item["name"]}
        )
        created["tags"] += new

    claimants = {c.slug: c for c in Claimant.objects.all()}
    for item in data.get("claimants", []):
        claimant, new = Claimant.objects.get_or_create(
            slug=item["slug"],
            defaults={
                "name": item["name"], "kind": item["kind"],
                "description": item.get("description", ""),
                "aliases": item.get("aliases", []), "same_as": item.get("same_as", []),
            },
        )
        claimants[claimant.slug] = claimant
        created["claimants"] += new
    for item in data.get("claimants", []):
        org = item.get("organisation")
        claimant = claimants[item["slug"]]
        if org and claimant.organisation_id is None:
            claimant.organisation = _lookup(claimants, org, "claimant")
            claimant.save(update_fields=["organisation", "updated_at"])

    claims = {c.slug: c for c in Claim.objects.all()}
    for item in data.get("claims", []):
        claim, new = Claim.objects.get_or_create(
            slug=item["slug"],
            defaults={
                "text": " ".join(item["text"].split()),
                "language": item.get("language", "en"),
                "priority": PRIORITIES[item.get("priority", "normal")],
                "state": item.get("state", Claim.State.NEW),
            },
        )
        claims[claim.slug] = claim
        created["claims"] += new
        if not new:
            continue  # the desk owns it now
        claim.tags.set([_lookup(tags, t, "tag") for t in item.get("tags", [])])
        claim.claimants.set([_lookup(claimants, c, "claimant") for c in item.get("claimants", [])])
        for a in item.get("appearances", []):
            claim.appearances.create(
                claimant=_lookup(claimants, a["claimant"], "claimant"),
                medium=a.get("medium", "other"), said_on=_date(a.get("said_on")),
                venue=a.get("venue", ""), quote=" ".join(a.get("quote", "").split()),
                source=_lookup(sources, a["source"], "source") if a.get("source") else None,
            )
            created["appearances"] += 1
        for r in item.get("responses", []):
            claim.responses.create(
                claimant=_lookup(claimants, r["claimant"], "claimant"), kind=r["kind"],
                said_on=_date(r.get("said_on")), quote=" ".join(r.get("quote", "").split()),
                summary=" ".join(r.get("summary", "").split()),
                source=_lookup(sources, r["source"], "source") if r.get("source") else None,
            )
            created["responses"] += 1
        for e in item.get("evidence", []):
            Evidence.objects.create(
                claim=claim, source=_lookup(sources, e["source"], "source"),
                stance=e["stance"], summary=" ".join(e.get("summary", "").split()),
            )
            created["evidence"] += 1
        refresh_search_text(claim)
        refresh_evidence_status([claim.pk])

    for item in data.get("relations", []):
        _, new = ClaimRelation.objects.get_or_create(
            from_claim=_lookup(claims, item["from"], "claim"),
            to_claim=_lookup(claims, item["to"], "claim"),
            kind=item["kind"], defaults={"note": item.get("note", "")},
        )
        created["relations"] += new

    ratings = {r.slug: r for r in Rating.objects.all()}
    for item in data.get("verdicts", []):
        claim = _lookup(claims, item["claim"], "claim")
        if claim.verdicts.exists():
            continue
        Verdict.objects.create(
            claim=claim, author=_seed_author(item["author"]),
            rating=_lookup(ratings, item["rating"], "rating") if item.get("rating") else None,
            headline=item.get("headline", ""), summary=" ".join(item.get("summary", "").split()),
            analysis=item.get("analysis", ""),
        )
        created["verdicts"] += 1
    return created


def load_seeds(folder=SEEDS_DIR):
    """Load every seed file in `folder`; returns {file name: created counts}."""
    return {path.name: load_seed_file(path) for path in seed_files(folder)}


def _lookup(table, key, kind):
    try:
        return table[key]
    except KeyError:
        raise SeedError(f"The seeds refer to an unknown {kind} “{key}”.") from None


def _date(value):
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _count_sources():
    from evidence.models import Source

    return Source.objects.count()


def _seed_author(username):
    """The desk account that wrote the seed drafts: a Fact-checker nobody can log in as."""
    user, new = get_user_model().objects.get_or_create(
        username=username, defaults={"first_name": "Seed", "last_name": "Desk"}
    )
    if new:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        user.groups.add(roles.role_group(roles.FACT_CHECKER))
    return user
