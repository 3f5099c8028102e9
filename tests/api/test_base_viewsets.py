"""The base viewsets (api.views) parse and answer; each resource writes through its own
service, and one that does not say how refuses to write instead of saving a serializer."""
import pytest

from api.views import Create, Destroy, ListRetrieve, Update

from .discovery import viewsets

WRITES = ((Create, "perform_create"), (Update, "perform_update"),
          (Destroy, "perform_destroy"))


def test_every_resource_writes_through_its_own_perform_methods():
    for prefix, viewset in viewsets():
        for mixin, method in WRITES:
            if issubclass(viewset, mixin):
                assert getattr(viewset, method) is not getattr(mixin, method), (prefix, method)


@pytest.mark.parametrize(("mixin", "method"), WRITES)
def test_a_resource_without_its_own_write_refuses_it(mixin, method):
    class Forgetful(mixin, ListRetrieve):
        pass

    with pytest.raises(NotImplementedError, match=f"Forgetful must define {method}"):
        getattr(Forgetful(), method)(object())
