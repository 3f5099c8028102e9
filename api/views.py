"""The base of every API resource.

A resource is an ApiViewSet with the mixins of the actions it offers (ListRetrieve,
Create, Update, Destroy). The mixins parse and answer; the resource's `perform_create`,
`perform_update` and `perform_destroy` call the one service that does the write.

Nothing here may be decorated with drf-spectacular's extend_schema: the decorator loads
the schema class (api.schema), which imports this module.
"""
from django.db import transaction
from django.utils.cache import patch_vary_headers
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import MethodNotAllowed
from rest_framework.response import Response

from .concurrency import etag_for, lock_if_match
from .pagination import PagePagination
from .permissions import RoleOnly, is_staff_reader

# The actions that take a request body, answered with the detail serializer.
WRITE_ACTIONS = ("create", "update", "partial_update")


def serializer_for(classes, action, *, public=False):
    """The serializer class of `classes` (see ApiViewSet) for `action`."""
    if public:
        keys = ["public_list", "public_detail"] if action == "list" else ["public_detail"]
    elif action == "list":
        keys = ["list", "detail"]
    elif action in ("update", "partial_update"):
        keys = ["update", "write", "detail"]
    elif action == "create":
        keys = ["write", "detail"]
    else:
        keys = ["detail"]
    return next(classes[key] for key in keys if key in classes)


class ApiViewSet(viewsets.GenericViewSet):
    """Base of every API resource.

    `serializer_classes` names the serializer per use: "list", "detail" (also the body of
    write responses), "write" (the input of create, and of updates unless "update" is
    given), and "public_list" / "public_detail" for anonymous clients on resources they
    may read (without them, anonymous clients are refused by the permissions).
    """

    permission_classes = [RoleOnly]
    pagination_class = PagePagination
    filter_backends = [DjangoFilterBackend]
    lookup_value_regex = r"\d+"
    serializer_classes = {}
    public_filterset_class = None
    # Resources readers may read name the model whose view permission shows the desk's
    # side of them; everyone without it (anonymous, or signed in with no role) reads what
    # readers read.
    desk_model = None

    @property
    def is_public_request(self):
        """True for clients who get public querysets and serializers only: anonymous ones,
        and signed-in ones whose role may not read the desk's view of this resource."""
        if getattr(self, "swagger_fake_view", False):
            return False
        if not self.request.user.is_authenticated:
            return True
        return self.desk_model is not None and not is_staff_reader(self.request,
                                                                    self.desk_model)

    @property
    def filterset_class(self):
        return self.public_filterset_class if self.is_public_request else self.staff_filterset

    staff_filterset = None

    def filter_queryset(self, queryset):
        # Anonymous clients' desk-only filters are ignored (readers cannot filter by
        # anything internal), but their values are checked as the desk's are: the schema
        # lists one set of parameters, and an invalid value is a 400 for everyone.
        if self.is_public_request and self.staff_filterset is not None:
            desk = self.staff_filterset(self.request.GET, queryset=queryset.none(),
                                        request=self.request)
            if not desk.is_valid():
                raise translate_validation(desk.errors)
        return super().filter_queryset(queryset)

    def initial(self, request, *args, **kwargs):
        # A method this resource lacks is 405, before permissions could answer 403.
        if not hasattr(self, request.method.lower()):
            raise MethodNotAllowed(request.method)
        super().initial(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        # Answers differ by credentials: a shared cache must never hand a desk response
        # to an anonymous client.
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ["Authorization", "Cookie"])
        return response

    def get_serializer_class(self):
        return serializer_for(self.serializer_classes, self.action, public=self.is_public_request)

    def detail_response(self, instance, status_code=status.HTTP_200_OK):
        """The detail representation of `instance`, read back with the detail queryset so
        that it costs a fixed number of queries, with its ETag."""
        instance = self.get_queryset().get(pk=instance.pk)
        serializer = self.serializer_classes["detail"](
            instance, context=self.get_serializer_context())
        headers = {"ETag": etag_for(instance)} if hasattr(instance, "updated_at") else {}
        return Response(serializer.data, status=status_code, headers=headers)


class ListRetrieve(mixins.ListModelMixin, ApiViewSet):
    """Read access; retrieve answers with an ETag when the object has one."""

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        headers = {"ETag": etag_for(instance)} if hasattr(instance, "updated_at") else {}
        return Response(self.get_serializer(instance).data, headers=headers)


# No docstring: drf-spectacular describes a resource without one of its own by the first
# docstring in its MRO, and the published descriptions stay as they are.
class Create:
    def create(self, request, *args, **kwargs):
        write = self.get_serializer(data=request.data)
        write.is_valid(raise_exception=True)
        with transaction.atomic():
            instance = self.perform_create(write)
        return self.detail_response(instance, status.HTTP_201_CREATED)

    def perform_create(self, write):
        """The object made from the valid serializer `write`, by the resource's service."""
        raise NotImplementedError(
            f"{type(self).__name__} must define perform_create, calling its service: "
            "the API never saves a serializer itself.")


class Update:
    """PUT and PATCH with optimistic concurrency: If-Match is required (428) and must
    equal the current ETag (412); the row is locked while it is compared and written."""

    def update(self, request, *args, partial=False, **kwargs):
        current = self.get_object()
        with transaction.atomic():
            locked = self.lock_for_update(current, request.headers.get("If-Match"))
            write = self.get_serializer(locked, data=request.data, partial=partial)
            write.is_valid(raise_exception=True)
            instance = self.perform_update(write)
        return self.detail_response(instance)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    # What the resource's service locks before the row itself (the one lock order: a
    # claim before its parts), as a function of the row: taken first here too, so that the
    # If-Match check never holds the row while waiting for it. None: the row alone.
    lock_first = None

    def lock_for_update(self, current, if_match):
        before = None if self.lock_first is None else (lambda: self.lock_first(current))
        return lock_if_match(type(current), current.pk, if_match, lock_first=before)

    def perform_update(self, write):
        """`write.instance` changed as the valid serializer `write` says, by the
        resource's service."""
        raise NotImplementedError(
            f"{type(self).__name__} must define perform_update, calling its service: "
            "the API never saves a serializer itself.")


class Destroy(mixins.DestroyModelMixin):
    """DELETE: the resource's `perform_destroy(instance)` removes it through its service."""

    def perform_destroy(self, instance):
        raise NotImplementedError(
            f"{type(self).__name__} must define perform_destroy, calling its service: "
            "the API never deletes a row itself.")
