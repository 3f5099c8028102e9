"""The API root (/api/v1/): where everything is."""
from django.urls import URLResolver, get_resolver, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.response import Response


def _app_urlconfs(namespace, urlconf=None):
    """The URL modules included under the URL namespace `namespace` (api/urls.py)."""
    _prefix, resolver = get_resolver(urlconf).namespace_dict[namespace]
    return [pattern.urlconf_module for pattern in resolver.url_patterns
            if isinstance(pattern, URLResolver)]


@extend_schema(tags=["root"], responses={200: OpenApiTypes.OBJECT})
class ApiRoot(generics.GenericAPIView):
    """Where everything is: each resource's list, the ClaimReview feed and the contract."""

    # Each app's API URL module, included by api/urls.py, declares what the root lists:
    # the resources registered on its `router`, and the links named in its `root_links`
    # (key in the answer -> URL name). The docstring above is the schema's description.

    permission_classes = []

    def get(self, request):
        namespace = request.resolver_match.namespace

        def link(name):
            return request.build_absolute_uri(reverse(f"{namespace}:{name}"))

        urlconfs = _app_urlconfs(namespace, getattr(request, "urlconf", None))
        resources = {prefix: link(f"{basename}-list")
                     for urlconf in urlconfs
                     for prefix, _viewset, basename in urlconf.router.registry}
        others = {key: link(name) for urlconf in urlconfs
                  for key, name in getattr(urlconf, "root_links", {}).items()}
        return Response({
            "resources": resources, **others,
            "schema": link("schema"), "docs": link("docs"),
        })
