# The page tests' published seed claim, for tests here that need a public page to look at.
from tests.pages.conftest import published_seed_claim  # noqa: F401
