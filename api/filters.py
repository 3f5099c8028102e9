"""Query-string filter building blocks (django-filter) for every API list.

Every value a filter cannot use is a 400 naming it, as the OpenAPI schema promises:
django-filter alone ignores an empty `?claim=`, a `?unassigned=maybe` or a `?claim=1e999`
(or, for the last, spends its time computing a number with a billion digits).
"""
import django_filters as filters
from django import forms
from django_filters.fields import IsoDateTimeField
from drf_spectacular.utils import extend_schema_field

from .datetimes import to_utc

# Ids are PostgreSQL bigints.
MAX_ID = 2**63 - 1


class UtcIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 date-time, refused (400) when PostgreSQL could not take it, and
    handed to the query in UTC."""

    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            return None
        try:
            return to_utc(value)
        except ValueError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from None


class DateTimeSinceFilter(filters.IsoDateTimeFilter):
    """`?name=<ISO 8601 date-time>`: rows changed at or after it. Every date-time filter of
    the API is one of these (tests/api/test_datetime_filters.py checks it)."""

    field_class = UtcIsoDateTimeField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("lookup_expr", "gte")
        super().__init__(*args, **kwargs)


class IdFilter(filters.NumberFilter):
    """An object's id: a whole number from 1 to 2**63 - 1."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)
        # The schema says so too (drf-spectacular reads this override).
        extend_schema_field({"type": "integer", "minimum": kwargs["min_value"],
                             "maximum": kwargs["max_value"]})(self)


class StrictBooleanField(forms.Field):
    """`true` or `false` (or 1 / 0); anything else is invalid, not "no filter"."""

    VALUES = {"true": True, "1": True, "false": False, "0": False}

    def to_python(self, value):
        if value in (None, ""):
            return None
        try:
            return self.VALUES[str(value).lower()]
        except KeyError:
            raise forms.ValidationError("Use true or false.", code="invalid") from None


class BooleanFilter(filters.BooleanFilter):
    field_class = StrictBooleanField


class ApiFilterSet(filters.FilterSet):
    """A filter set whose typed filters refuse an empty value (`?claim=`), which
    django-filter would take as "no filter": only text filters may be empty."""

    def get_form_class(self):
        form_class = super().get_form_class()
        typed = [name for name, f in self.filters.items()
                 if not isinstance(f, filters.CharFilter)]
        data = self.data

        class StrictForm(form_class):
            def clean(self):
                for name in typed:
                    values = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
                    if name in data and any(value in ("", None) for value in values):
                        self.add_error(name, "Give a value, or leave this filter out.")
                return super().clean()

        return StrictForm
