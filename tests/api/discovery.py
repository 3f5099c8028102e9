"""What the API offers, found from its own code (routers, filter sets, the OpenAPI schema),
so that tests sweeping every list filter and every writable field cover new ones unasked."""
from claims.api import urls as claims_api_urls
from evidence.api import urls as evidence_api_urls


def viewsets():
    """(URL prefix, viewset class) of every resource under /api/v1/."""
    for router in (claims_api_urls.router, evidence_api_urls.router):
        for prefix, viewset, _basename in router.registry:
            yield prefix, viewset


def list_filtersets():
    """(list URL, filter set class, anonymous?) of every filtered API list."""
    for prefix, viewset in viewsets():
        staff = getattr(viewset, "staff_filterset", None)
        public = getattr(viewset, "public_filterset_class", None)
        if staff is not None:
            yield f"/api/v1/{prefix}/", staff, False
        if public is not None:
            yield f"/api/v1/{prefix}/", public, True


def filters_of(filterset_class, *kinds):
    """{name: filter} of `filterset_class`'s filters that are instances of `kinds`."""
    return {name: f for name, f in filterset_class.base_filters.items()
            if not kinds or isinstance(f, kinds)}
