"""OpenAPI generation: every operation documents what it answers, as the code answers it.

drf-spectacular's AutoSchema, plus:
- writes answer with the detail serializer;
- resources anonymous clients may read answer with the desk's or the public shape
  (`<Name>OrPublic`, anyOf), and their security requirement includes "none";
- updates require an If-Match header, and detail answers carry an ETag
  (api/concurrency.py);
- each operation lists the problem+json errors it can return (api/errors.py),
  including 404 for a page or cursor that does not exist.
"""
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS

from .errors import PROBLEM_CONTENT_TYPE
from .permissions import PublicReadOrRole
from .views import WRITE_ACTIONS, serializer_for

READ_ACTIONS = ("list", "retrieve")
BODY_METHODS = ("POST", "PUT", "PATCH")
# Components that are "the desk's shape or the public one": anyOf, since a desk object
# has every field of the public one (oneOf would reject it for matching both).
AUDIENCE_SUFFIX = "OrPublic"


class ProblemSerializer(serializers.Serializer):
    """The body of every error (RFC 7807 problem details)."""

    type = serializers.CharField(default="about:blank")
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    errors = serializers.DictField(
        required=False, help_text="Field name to a list of messages, for invalid input."
    )
    rule = serializers.CharField(
        required=False, help_text="The workflow rule that refused the move (409)."
    )


IF_MATCH = OpenApiParameter(
    "If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, required=True,
    description="The ETag of the object as you read it. Without it the answer is 428; if "
    "the object changed since, 412 and nothing is written.",
)


def _etag(codes):
    return OpenApiParameter(
        "ETag", OpenApiTypes.STR, OpenApiParameter.HEADER, required=True, response=codes,
        description="The object's version: send it back as If-Match to edit it.",
    )


class ApiAutoSchema(AutoSchema):
    def _serializer_classes(self):
        return getattr(self.view, "serializer_classes", None) or {}

    def _action(self):
        return getattr(self.view, "action", None)

    def get_request_serializer(self):
        classes = self._serializer_classes()
        if classes and self._action() in WRITE_ACTIONS:
            return serializer_for(classes, self._action())
        return super().get_request_serializer()

    def get_response_serializers(self):
        classes, action = self._serializer_classes(), self._action()
        if classes and action in WRITE_ACTIONS:
            return classes["detail"]
        if action in READ_ACTIONS and any(key.startswith("public") for key in classes):
            staff = serializer_for(classes, action)
            public = serializer_for(classes, action, public=True)
            return PolymorphicProxySerializer(
                component_name=self._component_name(staff) + AUDIENCE_SUFFIX,
                serializers=[staff, public], resource_type_field_name=None,
                many=action == "list",
            )
        return super().get_response_serializers()

    @staticmethod
    def _component_name(serializer_class):
        return serializer_class.__name__.removesuffix("Serializer")

    # ------------------------------------------------------------ who may call it

    def anonymous_allowed(self):
        """True when an anonymous client may call this operation (public reads)."""
        permissions = self.view.get_permissions()
        if not permissions:
            return True
        return self.method in SAFE_METHODS and all(
            isinstance(p, PublicReadOrRole) for p in permissions)

    def get_auth(self):
        auth = super().get_auth()
        if self.anonymous_allowed() and {} not in auth:
            auth.append({})  # credentials are optional: anonymous clients see public data
        return auth

    # ------------------------------------------------------------ headers

    def _has_etag(self):
        """Detail answers carry an ETag when the object has an `updated_at`
        (api.views.ApiViewSet.detail_response)."""
        queryset = self.view.get_queryset()  # lazy: the schema never queries
        return any(field.name == "updated_at" for field in queryset.model._meta.get_fields())

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        action = self._action()
        if action in ("update", "partial_update"):
            parameters.append(IF_MATCH)
        if action in ("retrieve", *WRITE_ACTIONS) and self._has_etag():
            parameters.append(_etag([201] if action == "create" else [200]))
        return parameters

    # ------------------------------------------------------------ errors

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self._error_codes():
            responses.setdefault(str(code), self._get_response_for_code(
                ProblemSerializer, str(code), media_types=[PROBLEM_CONTENT_TYPE]))
        return responses

    def _paginated(self):
        return self._action() == "list" or (
            self._action() is None and getattr(self.view, "pagination_class", None)
            and self.method == "GET")

    def _error_codes(self):
        codes = [400, 401, 403, 429]
        if "{" in self.path or self._paginated():
            codes.append(404)  # no such object; no such page or cursor
        if self.method in (*BODY_METHODS, "DELETE"):
            codes.append(409)
        if self.method in BODY_METHODS:
            codes += [413, 415]
        if self.method in ("PUT", "PATCH"):
            codes += [412, 428]
        return codes


def anyof_for_audiences(result, generator, request, public):
    """Postprocessing hook: the `<Name>OrPublic` components are anyOf (see
    AUDIENCE_SUFFIX), not drf-spectacular's oneOf."""
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name.endswith(AUDIENCE_SUFFIX) and "oneOf" in component:
            component["anyOf"] = component.pop("oneOf")
    return result


# Text in a request body never holds NUL (api.fields.StrictSerializer refuses it, 400:
# PostgreSQL cannot store it), and text that may not be blank holds something besides
# whitespace (it is trimmed: "  " is blank). JSON Schema patterns are ECMA-262 regular
# expressions: \s is JavaScript's whitespace, which is what the server trims.
TEXT_PATTERN = r"^[^\u0000]*$"
NOT_BLANK_TEXT_PATTERN = r"^[^\u0000]*[^\s\u0000][^\u0000]*$"


def strict_request_bodies(result, generator, request, public):
    """Postprocessing hook: request bodies take exactly the fields they list
    (api.fields.StrictSerializer refuses any other, 400), and their free text says what
    it may hold (TEXT_PATTERN, NOT_BLANK_TEXT_PATTERN)."""
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if not name.endswith("Request") or component.get("type") != "object":
            continue
        component["additionalProperties"] = False
        for prop in component.get("properties", {}).values():
            for schema in (prop, prop.get("items") or {}):
                if (schema.get("type") == "string"
                        and not {"pattern", "format", "enum"} & set(schema)):
                    schema["pattern"] = (NOT_BLANK_TEXT_PATTERN if schema.get("minLength", 0)
                                         >= 1 else TEXT_PATTERN)
    return result
