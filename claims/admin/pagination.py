"""The claim queue's paginator."""
from django.core.paginator import Paginator
from django.utils.functional import cached_property


class CappedCountPaginator(Paginator):
    """A paginator that never counts a huge table: it counts at most `cap` rows.

    COUNT(*) over hundreds of thousands of claims costs more than the page itself; nobody
    pages past the hundredth page, so past the cap the page says "10,000+" instead.
    """

    cap = 10_000

    @cached_property
    def count(self):
        return self.object_list.values("pk")[: self.cap + 1].count()

    @property
    def count_is_capped(self):
        return self.count > self.cap
