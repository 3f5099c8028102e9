"""How much text the API takes in each field.

Far more than the desk ever writes in one field, far less than what strains the database or
the search index: an absurd value is a clear 400 naming the field, never a database error.
The request body as a whole is bounded by settings.API_MAX_BODY_BYTES (413).
"""

# A claim is one checkable statement, in neutral wording.
CLAIM_TEXT = 2_000
# Summaries: of a source's bearing on a claim, of a response, of a verdict.
SUMMARY = 5_000
DESCRIPTION = 5_000
CORRECTION_NOTE = 5_000
# A verdict's analysis is the long-form article (Markdown).
ANALYSIS = 100_000
# Anything else the desk types: internal notes, review comments.
DEFAULT_TEXT = 20_000

# A claimant's other names and sameAs links.
MAX_ALIASES = 50
ALIAS_LENGTH = 200
MAX_SAME_AS = 50
URL_LENGTH = 2_000
