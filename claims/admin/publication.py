"""Publications: what readers were shown of each claim, as an editor published it. Only
read here: a publication is never changed (the database refuses it), and is written by
the workflow alone (claims.workflow, when an editor publishes)."""
from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.db.models.fields.json import KT
from django.urls import reverse
from django.utils.html import format_html

from claims.models import Publication
from factcheck.badges import badge
from factcheck.read_only_admin import ReadOnlyAdmin

# The publication's columns too large for the list, loaded for its own page only.
HEAVY = ("content", "claim_review", "search_text")


class PublicationChangeList(ChangeList):
    def get_queryset(self, request, exclude_parameters=None):
        return super().get_queryset(request, exclude_parameters).defer(*HEAVY)


@admin.register(Publication)
class PublicationAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "claim_link", "number", "kind", "published_at", "approver",
                    "rating_as_published"]
    list_filter = ["kind"]
    list_select_related = ["claim", "approver"]
    search_fields = ["search_text"]
    search_help_text = "Words of the published claim, its quotes, headline or summary."
    date_hierarchy = "published_at"
    ordering = ["-published_at", "-pk"]
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["claim_link", "number", "kind", "note", "published_at",
                           "first_published_at", "public_links"]}),
        ("As readers were shown it", {"fields": [
            "claim_text", "rating_shown", "headline", "summary", "analysis", "authors",
            "approver_named"]}),
        ("ClaimReview and integrity", {"fields": [
            "claim_review_pretty", "claim_review_sha256", "content_sha256"]}),
    ]
    readonly_fields = [
        "claim_link", "public_links", "claim_text", "rating_shown", "headline", "summary",
        "analysis", "authors", "approver_named", "claim_review_pretty",
    ]

    class Media:
        css = {"all": ["claims/admin.css"]}

    def get_queryset(self, request):
        # The list shows the rating as published without loading each whole copy.
        return super().get_queryset(request).annotate(
            rating_name=KT("content__rating__name"), rating_colour=KT("content__rating__colour"),
            claim_text_shown=KT("content__claim__text"),
        )

    def get_changelist(self, request, **kwargs):
        return PublicationChangeList

    @admin.display(description="claim (as published)", ordering="claim")
    def claim_link(self, obj):
        # The wording this publication showed, never the desk's current draft.
        shown = getattr(obj, "claim_text_shown", None) or obj.content["claim"]["text"]
        return format_html('<a href="{}">#{}</a> {}',
                           reverse("admin:claims_claim_change", args=[obj.claim_id]),
                           obj.claim_id, shown if len(shown) <= 80 else shown[:79] + "…")

    @admin.display(description="rating as published")
    def rating_as_published(self, obj):
        return badge(obj.rating_name, obj.rating_colour)

    @admin.display(description="public pages")
    def public_links(self, obj):
        slug = obj.claim.slug
        return format_html(
            '<a href="{}">this version</a> · <a href="{}">every version</a> · '
            '<a href="{}">the current page</a>',
            reverse("checks:version", kwargs={"slug": slug, "number": obj.number}),
            reverse("checks:versions", kwargs={"slug": slug}),
            reverse("checks:detail", kwargs={"slug": slug}),
        )

    @admin.display(description="claim")
    def claim_text(self, obj):
        return obj.content["claim"]["text"]

    @admin.display(description="rating")
    def rating_shown(self, obj):
        rating = obj.content["rating"]
        return format_html("{} {}", badge(rating["name"], rating["colour"]),
                           f"(value {rating['value']} on a scale from {rating['worst']} "
                           f"to {rating['best']})")

    @admin.display(description="headline")
    def headline(self, obj):
        return obj.content["headline"] or "—"

    @admin.display(description="summary")
    def summary(self, obj):
        return obj.content["summary"] or "—"

    @admin.display(description="analysis (Markdown)")
    def analysis(self, obj):
        return format_html('<pre class="fc-pre">{}</pre>', obj.content["analysis"]) \
            if obj.content["analysis"] else "—"

    @admin.display(description="authors")
    def authors(self, obj):
        return ", ".join(obj.content["authors"]) or "—"

    @admin.display(description="approved, as credited")
    def approver_named(self, obj):
        return obj.content["approver"] or "—"

    @admin.display(description="ClaimReview JSON-LD (as served)")
    def claim_review_pretty(self, obj):
        # The stored text, exactly: the page serves these bytes, and claim_review_sha256
        # is their digest.
        return format_html('<pre class="fc-pre">{}</pre>', obj.claim_review)
