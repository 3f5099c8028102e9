"""The claim page's inline rows (appearances, responses, evidence, relations to other
claims), and the services that write each row."""
from django.contrib import admin
from django.db.models import Case, IntegerField, Value, When

from claims import services
from claims.forms import AppearanceForm, EvidenceForm, RelationForm, ResponseForm
from claims.models import Appearance, ClaimRelation, Response
from claims.widgets import PreloadedAutocompleteSelect
from evidence import services as evidence_services
from evidence.badges import snapshot_link, source_badge
from evidence.models import Evidence


class PreloadedAutocompleteInline(admin.TabularInline):
    """An inline whose autocompletes label their values from the rows' own joins."""

    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.autocomplete_fields:
            kwargs["widget"] = PreloadedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class AppearanceInline(PreloadedAutocompleteInline):
    model = Appearance
    form = AppearanceForm
    fields = ["claimant", "quote", "said_on", "medium", "venue", "source", "source_url"]
    autocomplete_fields = ["claimant", "source"]
    verbose_name = "appearance (who said it, where, when)"
    verbose_name_plural = "appearances (who said it, where, when)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("claimant", "source")


class ResponseInline(PreloadedAutocompleteInline):
    model = Response
    form = ResponseForm
    fields = ["kind", "claimant", "quote", "summary", "said_on", "source", "source_url"]
    autocomplete_fields = ["claimant", "source"]
    verbose_name = "response (denial, confirmation…)"
    verbose_name_plural = "responses (denials first)"

    def get_queryset(self, request):
        # Denials first: they are what readers most need to see next to the claim.
        denials_first = Case(
            When(kind=Response.Kind.DENIES, then=Value(0)), default=Value(1),
            output_field=IntegerField(),
        )
        return (
            super().get_queryset(request).select_related("claimant", "source")
            .order_by(denials_first, "said_on", "pk")
        )


class EvidenceInline(PreloadedAutocompleteInline):
    model = Evidence
    form = EvidenceForm
    fields = ["source", "source_url", "stance", "summary", "archive_status", "latest_snapshot"]
    readonly_fields = ["archive_status", "latest_snapshot"]
    autocomplete_fields = ["source"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source__latest_snapshot")

    @admin.display(description="archive")
    def archive_status(self, evidence):
        return source_badge(evidence.source) if evidence.pk else "—"

    @admin.display(description="latest snapshot")
    def latest_snapshot(self, evidence):
        return snapshot_link(evidence.source.latest_snapshot if evidence.pk else None)


class RelationInline(PreloadedAutocompleteInline):
    model = ClaimRelation
    form = RelationForm
    fk_name = "from_claim"
    autocomplete_fields = ["to_claim"]
    verbose_name = "relation to another claim"
    verbose_name_plural = "relations to other claims"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("to_claim")


def _attach_evidence(claim, by, values):
    values["url"] = values.pop("source_url")
    return evidence_services.attach_evidence(claim=claim, by=by, **values)


# The services that write the claim page's inline rows, per model: add(claim, by, values),
# update(row, by, values) and delete(row, by); `values` are the row's validated fields.
ROW_SERVICES = {
    Appearance: (
        lambda claim, by, values: services.add_appearance(claim=claim, by=by, **values),
        lambda row, by, values: services.update_appearance(row, by=by, **values),
        lambda row, by: services.delete_appearance(row, by=by),
    ),
    Response: (
        lambda claim, by, values: services.add_response(claim=claim, by=by, **values),
        lambda row, by, values: services.update_response(row, by=by, **values),
        lambda row, by: services.delete_response(row, by=by),
    ),
    Evidence: (
        _attach_evidence,
        lambda row, by, values: evidence_services.update_evidence(row, by=by, **values),
        lambda row, by: evidence_services.delete_evidence(row, by=by),
    ),
    ClaimRelation: (
        lambda claim, by, values: services.add_relation(from_claim=claim, by=by, **values),
        lambda row, by, values: services.update_relation(row, by=by, **values),
        lambda row, by: services.delete_relation(row, by=by),
    ),
}
