"""Load the structured seed files in seeds/ into the database.

Loading adds what is missing and never overwrites what the desk has edited since, so
running it twice (or after work on the demo data) leaves the same rows. Rows are written
by the same services as the desk's (claims.services, claims.workflow, evidence.services),
so seeded claims come with their claimants, search text and evidence status.
"""
from datetime import date
from pathlib import Path

import yaml
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from evidence.services import attach_evidence, source_for_url

from . import roles, services, workflow
from .models import Claim, Claimant, ClaimRelation, Rating, Tag

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

    known_ratings = set(Rating.objects.values_list("slug", flat=True))
    for item in data.get("ratings", []):
        if item["slug"] not in known_ratings:
            services.create_rating(slug=item["slug"], **{
                k: item[k] for k in ("name", "value", "colour", "description") if k in item})
            created["ratings"] += 1

    tags = {t.slug: t for t in Tag.objects.all()}
    for item in data.get("tags", []):
        if item["slug"] not in tags:
            tags[item["slug"]] = services.create_tag(slug=item["slug"], name=item["name"])
            created["tags"] += 1

    claimants = {c.slug: c for c in Claimant.objects.all()}
    for item in data.get("claimants", []):
        if item["slug"] not in claimants:
            claimants[item["slug"]] = services.create_claimant(
                slug=item["slug"], name=item["name"], kind=item["kind"],
                description=item.get("description", ""),
                aliases=item.get("aliases", []), same_as=item.get("same_as", []),
            )
            created["claimants"] += 1
    for item in data.get("claimants", []):
        org = item.get("organisation")
        claimant = claimants[item["slug"]]
        if org and claimant.organisation_id is None:
            claimants[item["slug"]] = services.update_claimant(
                claimant, organisation=_lookup(claimants, org, "claimant"))

    claims = {c.slug: c for c in Claim.objects.all()}
    for item in data.get("claims", []):
        if item["slug"] in claims:
            continue  # the desk owns it now
        claim = claims[item["slug"]] = services.create_claim(
            slug=item["slug"], text=" ".join(item["text"].split()),
            language=item.get("language", "en"),
            priority=PRIORITIES[item.get("priority", "normal")],
            state=item.get("state", Claim.State.NEW),
            tags=[_lookup(tags, t, "tag") for t in item.get("tags", [])],
            claimants=[_lookup(claimants, c, "claimant") for c in item.get("claimants", [])],
        )
        created["claims"] += 1
        for a in item.get("appearances", []):
            services.add_appearance(
                claim=claim, claimant=_lookup(claimants, a["claimant"], "claimant"),
                medium=a.get("medium", "other"), said_on=_date(a.get("said_on")),
                venue=a.get("venue", ""), quote=" ".join(a.get("quote", "").split()),
                source=_lookup(sources, a["source"], "source") if a.get("source") else None,
            )
            created["appearances"] += 1
        for r in item.get("responses", []):
            services.add_response(
                claim=claim, claimant=_lookup(claimants, r["claimant"], "claimant"),
                kind=r["kind"], said_on=_date(r.get("said_on")),
                quote=" ".join(r.get("quote", "").split()),
                summary=" ".join(r.get("summary", "").split()),
                source=_lookup(sources, r["source"], "source") if r.get("source") else None,
            )
            created["responses"] += 1
        for e in item.get("evidence", []):
            attach_evidence(
                claim=claim, source=_lookup(sources, e["source"], "source"),
                stance=e["stance"], summary=" ".join(e.get("summary", "").split()),
            )
            created["evidence"] += 1

    for item in data.get("relations", []):
        from_claim = _lookup(claims, item["from"], "claim")
        to_claim = _lookup(claims, item["to"], "claim")
        if not ClaimRelation.objects.filter(
            from_claim=from_claim, to_claim=to_claim, kind=item["kind"]
        ).exists():
            services.add_relation(from_claim=from_claim, to_claim=to_claim,
                                  kind=item["kind"], note=item.get("note", ""))
            created["relations"] += 1

    ratings = {r.slug: r for r in Rating.objects.all()}
    for item in data.get("verdicts", []):
        claim = _lookup(claims, item["claim"], "claim")
        if claim.verdicts.exists():
            continue
        workflow.save_verdict(
            claim=claim, by=_seed_author(item["author"]),
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
