"""What claims are filed and rated under: claimants, tags and the rating scale."""
from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from claims import services
from claims.forms import RatingForm
from claims.models import Claimant, Publication, Rating, Tag
from factcheck.badges import badge
from factcheck.history_admin import GuardedHistoryAdmin, adopt, edited_values

CLAIMANT_CLAIMS = 50


def _publications(n):
    return f"{n} publication{'' if n == 1 else 's'}"


@admin.register(Claimant)
class ClaimantAdmin(GuardedHistoryAdmin):
    list_display = ["name", "kind", "organisation"]
    list_filter = ["kind"]
    list_select_related = ["organisation"]
    search_fields = ["name", "slug", "aliases"]
    autocomplete_fields = ["organisation"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["members_list", "claims_list"]
    fields = ["name", "slug", "kind", "organisation", "description", "aliases", "same_as",
              "members_list", "claims_list"]
    show_full_result_count = False

    @admin.display(description="speaks for it")
    def members_list(self, obj):
        members = obj.members.order_by("name") if obj.pk else []
        return format_html_join(
            ", ", '<a href="{}">{}</a>',
            ((reverse("admin:claims_claimant_change", args=[m.pk]), m.name) for m in members),
        ) or "—"

    @admin.display(description="latest claims")
    def claims_list(self, obj):
        # The latest few; the queue, filtered by this claimant, holds all of them.
        claims = (
            obj.claims.order_by("-updated_at").only("pk", "text", "state")[:CLAIMANT_CLAIMS]
            if obj.pk else []
        )
        rows = format_html_join(
            "", '<li><a href="{}">{}</a> <span class="fc-muted">({})</span></li>',
            ((reverse("admin:claims_claim_change", args=[c.pk]), str(c), c.get_state_display())
             for c in claims),
        )
        if not rows:
            return "—"
        queue = reverse("admin:claims_claim_changelist") + f"?claimant={obj.pk}"
        return format_html('<ul class="fc-list">{}</ul><a href="{}">All their claims in the '
                           "queue</a>", rows, queue)

    def save_model(self, request, obj, form, change):
        values = edited_values(form)
        if change:
            services.update_claimant(obj, by=request.user, **values)
        else:
            adopt(obj, services.create_claimant(by=request.user, **values))

    def delete_model(self, request, obj):
        services.delete_claimant(obj)


@admin.register(Tag)
class TagAdmin(GuardedHistoryAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def save_model(self, request, obj, form, change):
        if change:
            services.update_tag(obj, **edited_values(form))
        else:
            adopt(obj, services.create_tag(**edited_values(form)))

    def delete_model(self, request, obj):
        services.delete_tag(obj)


@admin.register(Rating)
class RatingAdmin(GuardedHistoryAdmin):
    """The rating scale. Publications keep their own copy of the rating they were published
    with (claims.publishing), so nothing done here changes what readers were shown; the
    rating's link from publications counts them, and keeps a used rating from deletion."""

    form = RatingForm
    list_display = ["name", "value", "colour_badge", "is_active", "publications_using"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "value", "colour", "description", "is_active",
              "publication_count"]
    readonly_fields = ["publication_count"]

    class Media:
        css = {"all": ["claims/admin.css"]}  # the colour badges

    def get_queryset(self, request):
        # Every publication ever made with the rating, earlier versions included: each is
        # a page readers can still open (/checks/<slug>/versions/<n>/).
        return super().get_queryset(request).annotate(
            publication_total=Count("publications", distinct=True))

    @admin.display(description="colour")
    def colour_badge(self, obj):
        return badge(obj.colour, obj.colour)

    @admin.display(description="used by", ordering="publication_total")
    def publications_using(self, obj):
        return _publications(obj.publication_total)

    @admin.display(description="used by")
    def publication_count(self, obj):
        if obj.pk is None:
            return "—"
        return _publications(Publication.objects.filter(rating=obj).count())

    def get_readonly_fields(self, request, obj=None):
        # A used rating's slug is fixed (claims.services.update_rating).
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "slug"] if _used(obj) else fields

    def get_prepopulated_fields(self, request, obj=None):
        return {} if _used(obj) else super().get_prepopulated_fields(request, obj)

    def save_model(self, request, obj, form, change):
        if change:
            services.update_rating(obj, **edited_values(form))
        else:
            adopt(obj, services.create_rating(**edited_values(form)))

    def delete_model(self, request, obj):
        services.delete_rating(obj)


def _used(rating):
    return rating is not None and rating.pk is not None and rating.publications.exists()
