"""The claim queue's filters: by assignee, by rating, by claimant."""
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef

from claims import roles
from claims.models import Claim, Rating, Verdict


def row_id(value):
    """`value` as a row id if it is written as one, else None. ASCII digits only:
    "²".isdigit() is true too, and int("²") raises."""
    value = (value or "").strip()
    return int(value) if value.isascii() and value.isdigit() else None


class AssigneeFilter(admin.SimpleListFilter):
    title = "assignee"
    parameter_name = "assignee"

    def lookups(self, request, model_admin):
        desk = (
            get_user_model().objects.filter(
                groups__name__in=[roles.FACT_CHECKER, roles.EDITOR], is_active=True
            ).distinct().order_by("username")
        )
        return [("mine", "Mine"), ("none", "Unassigned")] + [
            (str(u.pk), u.get_full_name() or u.username) for u in desk
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "mine":
            return queryset.filter(assignee=request.user)
        if value == "none":
            return queryset.filter(assignee__isnull=True)
        if row_id(value) is not None:
            return queryset.filter(assignee_id=row_id(value))
        return queryset


class RatingFilter(admin.SimpleListFilter):
    title = "rating"
    parameter_name = "rating"

    def lookups(self, request, model_admin):
        return [("none", "Not rated yet")] + [(str(r.pk), r.name) for r in Rating.objects.all()]

    def queryset(self, request, queryset):
        value = self.value()
        rated = Verdict.objects.filter(
            claim=OuterRef("pk"), is_current=True, rating__isnull=False
        )
        if value == "none":
            return queryset.filter(~Exists(rated))
        if row_id(value) is not None:
            return queryset.filter(Exists(rated.filter(rating_id=row_id(value))))
        return queryset


class ClaimantFilter(admin.SimpleListFilter):
    """Claims by one of their claimants, typed by name (or given by id from a claimant's
    page): a newsroom knows thousands of claimants, too many to list as links."""

    title = "claimant"
    parameter_name = "claimant"
    template = "admin/claims/claim/claimant_filter.html"

    def lookups(self, request, model_admin):
        return ()

    def has_output(self):
        return True

    def choices(self, changelist):
        keep = {k: v for k, v in changelist.params.items() if k != self.parameter_name}
        yield {
            "value": self.value() or "",
            "hidden": sorted(keep.items()),
            "clear": changelist.get_query_string(remove=[self.parameter_name]),
        }

    def queryset(self, request, queryset):
        value = (self.value() or "").strip()
        if not value:
            return queryset
        made_by = Claim.claimants.through.objects.filter(claim=OuterRef("pk"))
        if row_id(value) is not None:
            made_by = made_by.filter(claimant_id=row_id(value))
        else:
            made_by = made_by.filter(claimant__name__icontains=value)
        return queryset.filter(Exists(made_by))
