"""The desk's admin for claims: the claim queue, the claim page and its workflow,
verdicts, claimants, tags and ratings. Django's admin autodiscovery imports this package,
which imports the modules that register their ModelAdmins.

- claim.py: the queue and the claim page (ClaimAdmin), with its move, verdict and review
  views;
- filters.py, actions.py, inlines.py, pagination.py: the queue's filters, its bulk
  actions, the claim page's inline rows, the queue's paginator;
- verdict.py: verdicts and the notes of their published revisions (corrections);
- publication.py: publications, what readers were shown (read only);
- reference.py: claimants, tags and the rating scale.

Their forms are in claims/forms.py; the base they share with the evidence admin (history
pages, reverts, the save path) in factcheck/history_admin.py; badges in
evidence/badges.py and factcheck/badges.py.

Every write goes through one service call per row written: `claims.services` (claims,
claimants, appearances, responses, relations, tags, ratings), `claims.workflow` (moves,
verdicts, reviews, assignment and priority) and `evidence.services` (evidence, sources).
The admin only parses forms and reports.
"""
from django.contrib import admin

# Each module registers its ModelAdmins.
from . import claim, publication, reference, verdict  # noqa: F401

# The admin's "View site" link: the public list of published verdicts (there is no page
# at /).
admin.site.site_url = "/checks/"
