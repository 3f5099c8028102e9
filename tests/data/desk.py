"""Objects made the way the desk makes them: through the services and the workflow.

Users with roles, claims researched, drafted, submitted, published by an editor who did not
write the verdict, and reopened; the seed case's published claim; the API desk with its
internal markers; API tokens. Every published claim in the tests comes from here, and is
published by `claims.workflow.transition_claim`, never by setting publication fields.
"""
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token

from claims import roles, workflow
from claims.models import Claim, Claimant, Review
from claims.services import add_appearance, create_claim, update_claim
from evidence.services import attach_evidence

from . import rows

State = Claim.State
PASSWORD = "correct horse battery staple"

# The seed case (seeds/sahel-letter-2024.yaml, loaded by the `seeded` fixture): its claim 1
# has a complete draft verdict, its claim 2 a draft too.
SEED_CLAIM = "ukraine-supports-terrorism-in-africa"
SEED_SECOND_CLAIM = "yusov-rebels-received-necessary-information"

# Markers `build_desk` plants in internal fields: none may ever reach an anonymous client.
SECRET_NOTE = "INTERNAL-NOTE-zq81"
SECRET_REVIEW = "REVIEW-BODY-zq82"
SECRET_DRAFT = "DRAFT-HEADLINE-zq83"


# ---------------------------------------------------------------- people


def make_user(username, role=None, **extra):
    """A user who signs in with PASSWORD, in the group of `role` (one of claims.roles)."""
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, **extra)
    if role:
        user.groups.add(roles.role_group(role))
    return user


def staff(user):
    """`user`, allowed into the admin: role users work there, which also needs is_staff."""
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


def token_for(user):
    """The key of `user`'s API token (made on first use)."""
    return Token.objects.get_or_create(user=user)[0].key


# ---------------------------------------------------------------- claims through the workflow


def research(claim, *, by):
    """Triage `claim` and start researching it, as `by`; returns the claim as saved."""
    workflow.transition_claim(claim=claim, to_state=State.TRIAGED, by=by)
    return workflow.transition_claim(claim=claim, to_state=State.RESEARCHING, by=by)


def make_claim(slug, *, fact_checker, text=None, claimant=None, tags=(), appearances=1,
               evidence=0):
    """A claim researched by `fact_checker`, with its appearances and evidence, up to the
    point where a verdict can be drafted."""
    claim = create_claim(slug=slug, text=text or f"Claim {slug} is made here.", tags=tags,
                         by=fact_checker)
    claimant = claimant or Claimant.objects.get_or_create(
        slug=f"claimant-{slug}", defaults={"name": f"Claimant of {slug}", "kind": "person"}
    )[0]
    for n in range(appearances):
        add_appearance(claim=claim, claimant=claimant, by=fact_checker, quote=f"Quote {n}",
                       medium="tv", venue=f"Show {n}")
    for n in range(evidence):
        attach_evidence(claim=claim, url=f"https://example.org/{slug}/source-{n}",
                        stance="refutes" if n % 2 else "supports", summary=f"Item {n}",
                        by=fact_checker)
    research(claim, by=fact_checker)
    return Claim.objects.get(pk=claim.pk)


def draft(claim, *, fact_checker, rating="false", **fields):
    """Save `claim`'s verdict as `fact_checker`: rated `rating` (a slug or a Rating), with
    a summary unless one is given; returns the verdict."""
    fields.setdefault("summary", f"Summary of the verdict on {claim.slug}.")
    if isinstance(rating, str):
        rating = rows.rating(rating)
    return workflow.save_verdict(claim=claim, by=fact_checker, rating=rating, **fields)


def publish(claim, *, fact_checker, editor):
    """Submit the claim's draft verdict for review as `fact_checker` and publish it as
    `editor` (who must not have written it); returns the claim as saved."""
    workflow.transition_claim(claim=claim, to_state=State.IN_REVIEW, by=fact_checker)
    return workflow.transition_claim(claim=claim, to_state=State.PUBLISHED, by=editor)


def reopen(claim, *, by):
    """Send a published claim back to research as `by`, starting a revision: readers keep
    its last publication."""
    return workflow.transition_claim(claim=claim, to_state=State.RESEARCHING, by=by)


def published_claim(*, author, approver, rating="false", summary="No evidence was offered.",
                    **claim_fields):
    """A new claim whose verdict `author` drafted (`rating`, `summary`) and `approver` (an
    editor) published; returns the claim as saved."""
    n = next(rows.serial)
    claim_fields.setdefault("text", f"Claim number {n} about the Sahel")
    claim_fields.setdefault("slug", f"claim-{n}")
    claim = create_claim(by=author, **claim_fields)
    research(claim, by=author)
    draft(claim, fact_checker=author, rating=rating, summary=summary)
    return publish(claim, fact_checker=author, editor=approver)


# ---------------------------------------------------------------- the seed case


def published_seed_claim(*, fact_checker, editor):
    """The seed case's claim 1, its seeded draft submitted and published by `editor`."""
    claim = Claim.objects.get(slug=SEED_CLAIM)
    publish(claim, fact_checker=fact_checker, editor=editor)
    return Claim.objects.get(pk=claim.pk)


def build_desk(fact_checker, editor, reviewer):
    """On top of the loaded seed case: claim 1 submitted, commented on by `reviewer`,
    published by `editor`, then given an internal note and an assignee; claim 2 with a
    draft verdict whose headline is a marker. Returns {"published", "verdict", "draft"}."""
    published = Claim.objects.get(slug=SEED_CLAIM)
    workflow.transition_claim(claim=published, to_state=State.IN_REVIEW, by=fact_checker)
    verdict = workflow.current_verdict(published)
    workflow.add_review(verdict=verdict, by=reviewer, kind=Review.Kind.COMMENT,
                        body=SECRET_REVIEW)
    published = workflow.transition_claim(claim=published, to_state=State.PUBLISHED, by=editor)
    update_claim(published, by=editor, internal_note=SECRET_NOTE)
    workflow.assign_claim(claim=published, assignee=fact_checker, by=editor)

    draft_claim = Claim.objects.get(slug=SEED_SECOND_CLAIM)
    workflow.save_verdict(claim=draft_claim, by=fact_checker, headline=SECRET_DRAFT,
                          summary="Draft summary")
    return {"published": Claim.objects.get(pk=published.pk), "verdict": verdict,
            "draft": draft_claim}
