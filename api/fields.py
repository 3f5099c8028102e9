"""Serializer building blocks shared by every resource of the API."""
from collections.abc import Mapping

from django.core.validators import MaxLengthValidator, RegexValidator
from rest_framework import relations, serializers

from . import limits


def _has_nul(value):
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, Mapping):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _choice_check(field):
    # Integer choices (a claim's priority) take JSON numbers; the others JSON strings.
    if field.choices and all(_is_int(key) for key in field.choices):
        return _is_int, "an integer"
    return (lambda value: isinstance(value, str)), "a string"


def json_type_check(field):
    """(predicate, description) of the JSON type `field` takes, or None when any type may
    be given (JSON fields, which validate themselves).

    DRF coerces liberally ("1" for 1, {} for a list, 5 for "5"); a client sending the
    wrong type has a bug we would rather tell them about.
    """
    if isinstance(field, relations.ManyRelatedField | serializers.ListField
                  | serializers.MultipleChoiceField | serializers.ListSerializer):
        return (lambda value: isinstance(value, list)), "a list"
    if isinstance(field, serializers.Serializer):
        return (lambda value: isinstance(value, Mapping)), "an object"
    if isinstance(field, serializers.BooleanField):
        return (lambda value: isinstance(value, bool)), "true or false"
    if isinstance(field, serializers.ChoiceField):
        return _choice_check(field)
    if isinstance(field, serializers.IntegerField | relations.PrimaryKeyRelatedField):
        return _is_int, "an integer"
    if isinstance(field, serializers.FloatField | serializers.DecimalField):
        return (lambda value: _is_int(value) or isinstance(value, float)), "a number"
    if isinstance(field, serializers.CharField | relations.SlugRelatedField
                  | serializers.DateField | serializers.DateTimeField):
        return (lambda value: isinstance(value, str)), "a string"
    return None


def _item_check(field):
    """The JSON type check of the items of the list field `field`, or None."""
    if isinstance(field, serializers.MultipleChoiceField):
        return _choice_check(field)
    items = getattr(field, "child_relation", None) or getattr(field, "child", None)
    return json_type_check(items) if items is not None else None


def type_error(field, value):
    """The message for `value` not being of `field`'s JSON type, or None."""
    if value is None:
        return None  # the field itself says whether null is allowed
    check = json_type_check(field)
    if check and not check[0](value):
        return f"Expected {check[1]}."
    item_check = _item_check(field) if isinstance(value, list) else None
    if item_check and not all(item is not None and item_check[0](item) for item in value):
        return f"Expected a list of which every item is {item_check[1]}."
    return None


# JavaScript's whitespace, which is what JSON Schema's "\S" (the schema's "not blank") means,
# and what text fields trim. Python's str.strip() would also take the control characters
# \x1c-\x1f and \x85, making "\x1e" blank here but not by the schema.
WHITESPACE = ("\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
              "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff")


def _text_fields(field):
    """The CharFields `field` is made of: itself, or the items of a list of text."""
    if isinstance(field, serializers.CharField):
        return [field]
    if isinstance(field, serializers.ListField) and isinstance(field.child, serializers.CharField):
        return [field.child]
    return []


def _trimmed(value):
    if isinstance(value, str):
        return value.strip(WHITESPACE)
    if isinstance(value, list):
        return [item.strip(WHITESPACE) if isinstance(item, str) else item for item in value]
    return value


def limit_length(field, max_length):
    """Give the CharField `field` a maximum length (validated, and shown in the schema)."""
    field.max_length = max_length
    field.validators.append(MaxLengthValidator(
        max_length, message=f"Ensure this field has no more than {max_length} characters."))


# A web address as the schema documents it (drf-spectacular publishes the pattern): http or
# https, a host name with a real top-level domain, then only characters RFC 3986 allows in
# a URL, or percent escapes. Django's URLValidator alone takes more (a raw `{` or `"`),
# which no client could know from the schema. One character class for the path, no
# alternation: a schema-driven generator builds long values from it quickly.
WEB_URL_PATTERN = (
    r"^https?://([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
    r"(/[A-Za-z0-9._~!$&'()*+,;=:@/?#%-]*)?$"
)


class WebURLField(serializers.CharField):
    """An http or https address, exactly as WEB_URL_PATTERN says and the schema documents
    (a string with that pattern: "format: uri" would be any scheme, and strict about the
    percent escapes the web is lax about). Everything the pattern takes, Django's
    URLValidator takes too; DRF's URLField takes more (ftp, raw quotes and braces)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators.append(RegexValidator(
            WEB_URL_PATTERN,
            message="Enter a valid http(s) URL (percent-encode characters such as spaces)."))


class StrictSerializer(serializers.Serializer):
    """Input serializer that rejects what it would otherwise silently drop or coerce:
    unknown and read-only fields, values of the wrong JSON type, text with NUL characters
    (which PostgreSQL cannot store); that bounds every text field's length (by
    limits.DEFAULT_TEXT unless the field has its own limit); and that trims text of
    WHITESPACE, so that "blank" means what the schema says."""

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            if field.read_only:
                continue
            for text in _text_fields(field):
                text.trim_whitespace = False  # trimmed in to_internal_value, by WHITESPACE
                if text.max_length is None and text is field:
                    limit_length(field, limits.DEFAULT_TEXT)
        return fields

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            writable = {name: field for name, field in self.fields.items()
                        if not field.read_only}
            errors = {
                name: ["Unknown or read-only field."] for name in data if name not in writable
            }
            errors.update(
                {name: ["Text may not contain NUL characters."]
                 for name, value in data.items() if name in writable and _has_nul(value)}
            )
            errors.update(
                {name: [message] for name, value in data.items()
                 if name in writable and name not in errors
                 and (message := type_error(writable[name], value))}
            )
            if errors:
                raise serializers.ValidationError(errors)
            data = {name: _trimmed(value) if _text_fields(writable[name]) else value
                    for name, value in data.items()}
        return super().to_internal_value(data)


class StrictModelSerializer(StrictSerializer, serializers.ModelSerializer):
    """A ModelSerializer with StrictSerializer's input checks."""


class UserRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(read_only=True)
