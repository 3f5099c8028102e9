"""Serializer building blocks shared by the claims and evidence APIs."""
from collections.abc import Mapping

from rest_framework import serializers


def _has_nul(value):
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, Mapping):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


class StrictSerializer(serializers.Serializer):
    """Input serializer that rejects what it would otherwise silently drop: unknown and
    read-only fields, and text with NUL characters (which PostgreSQL cannot store)."""

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            errors = {
                name: ["Unknown or read-only field."] for name in data if name not in writable
            }
            errors.update(
                {name: ["Text may not contain NUL characters."]
                 for name, value in data.items() if name in writable and _has_nul(value)}
            )
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


class StrictModelSerializer(StrictSerializer, serializers.ModelSerializer):
    """A ModelSerializer with StrictSerializer's input checks."""


class UserRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(read_only=True)
