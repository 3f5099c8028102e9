"""Optimistic concurrency: ETags on detail responses, If-Match required on updates."""
from factcheck.edit_versions import StaleEdit, lock_unchanged, version_of

from .errors import PreconditionFailed, PreconditionRequired

# The API names a version by its HTTP name.
etag_for = version_of


def _matches(if_match, etag):
    if if_match.strip() == "*":
        return True
    candidates = [tag.strip() for tag in if_match.split(",")]
    # A weak comparison is enough here: our tags are never weak, but proxies may mark them.
    return any(tag.removeprefix("W/") == etag for tag in candidates)


def lock_if_match(model, pk, if_match, *, lock_first=None):
    """The row `pk` of `model`, locked (factcheck.edit_versions.lock_unchanged) until the
    transaction ends, after checking that its ETag still equals the client's If-Match
    header.

    `lock_first` is a callable that locks rows which the service about to run will lock
    too (a verdict's claim), so that locks are always taken in the same order.
    Raises PreconditionRequired (428) without If-Match, PreconditionFailed (412) when the
    row changed since the client read it. It must run inside the transaction of the update
    (Django refuses SELECT ... FOR UPDATE outside one), so the lock covers the write.
    """
    if not if_match:
        raise PreconditionRequired()
    if lock_first is not None:
        lock_first()
    try:
        return lock_unchanged(model, pk, if_match, matches=_matches)
    except StaleEdit:
        raise PreconditionFailed() from None
