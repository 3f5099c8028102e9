"""OpenAPI generation: every operation documents its success body and its errors."""
from drf_spectacular.openapi import AutoSchema

from .errors import PROBLEM_CONTENT_TYPE

WRITE_ACTIONS = ("create", "update", "partial_update")


class ApiAutoSchema(AutoSchema):
    """drf-spectacular's AutoSchema, plus: writes answer with the detail serializer, and
    each operation lists the problem+json errors it can return."""

    def get_request_serializer(self):
        from .views import serializer_for

        classes = getattr(self.view, "serializer_classes", None)
        if classes and getattr(self.view, "action", None) in WRITE_ACTIONS:
            return serializer_for(classes, self.view.action)
        return super().get_request_serializer()

    def get_response_serializers(self):
        classes = getattr(self.view, "serializer_classes", None)
        if classes and getattr(self.view, "action", None) in WRITE_ACTIONS:
            return classes["detail"]
        return super().get_response_serializers()

    def _get_response_bodies(self, direction="response"):
        from .serializers import ProblemSerializer

        responses = super()._get_response_bodies(direction)
        for code in self._error_codes():
            responses.setdefault(str(code), self._get_response_for_code(
                ProblemSerializer, str(code), media_types=[PROBLEM_CONTENT_TYPE]))
        return responses

    def _error_codes(self):
        codes = [400, 401, 403, 429]
        if "{" in self.path:
            codes.append(404)
        if self.method in ("POST", "PUT", "PATCH"):
            codes += [409, 413, 415]
        if self.method in ("PUT", "PATCH"):
            codes += [412, 428]
        return codes
