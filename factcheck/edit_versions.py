"""Optimistic concurrency for every editor: the API's ETags and the admin's forms both
compare the version a person read with the row as it is now, under a lock.

Works on any model with an `updated_at` (and, for the message, `updated_by`); it imports
no app, so the API plumbing (api.concurrency) and the admin share it."""
import hashlib


class StaleEdit(Exception):
    """Someone saved the object after the editor read it; nothing was written."""

    def __init__(self, current):
        self.current = current
        who = getattr(current, "updated_by", None)
        when = f"{current.updated_at:%Y-%m-%d %H:%M} UTC" if current.updated_at else "just now"
        super().__init__(
            f"{who or 'Someone'} saved this {current._meta.verbose_name} at {when}, after you "
            "opened it, so your changes were not saved. They are still in the form: copy "
            "what you need, reload the page to see the other changes, then save again."
        )
        self.message = str(self)


def version_of(obj):
    """A token for the saved state of `obj` (strong ETag syntax), changing whenever the
    row is saved (its updated_at)."""
    stamp = obj.updated_at.isoformat() if obj.updated_at else ""
    raw = f"{obj._meta.label_lower}:{obj.pk}:{stamp}"
    return '"' + hashlib.sha256(raw.encode()).hexdigest()[:32] + '"'


def lock_unchanged(model, pk, read_version, *, matches=None):
    """Row `pk` of `model`, locked (SELECT ... FOR NO KEY UPDATE, as the services lock:
    rows that only reference it, such as a claim's new appearance, are not blocked) for
    the rest of the transaction, after checking it is still at `read_version`. Raises
    StaleEdit otherwise.

    `matches(read_version, current_version)` compares them (default: equality). Must run
    inside the transaction that writes, so the lock covers the write.
    """
    return ensure_unchanged(model.objects.select_for_update(no_key=True).get(pk=pk),
                            read_version, matches=matches)


def ensure_unchanged(obj, read_version, *, matches=None):
    """`obj`, just read under a lock, if it is still at `read_version`; raises StaleEdit
    otherwise. `matches` as for lock_unchanged."""
    same = matches or (lambda read, current: read == current)
    if not same(read_version, version_of(obj)):
        raise StaleEdit(obj)
    return obj
