"""The claims API: thin views that parse input, call the workflow and services, and format
output. Every write goes through claims.workflow / claims.services, as in the admin."""
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from api.errors import Conflict
from api.pagination import PagePagination, RecentCursorPagination
from api.permissions import Authenticated, PublicReadOrRole
from api.renderers import JsonLdRenderer
from api.views import Create, Destroy, ListRetrieve, Update
from claims import models, services, workflow
from claims.claimreview import claim_review
from claims.models import Appearance, Claim, Claimant, Correction, Rating, Review, Verdict
from claims.selectors import (
    appearances_for_review,
    as_last_published,
    claim_for_review,
    published_verdicts,
    show_last_published,
)

from . import filters, querysets
from . import serializers as s

# ---------------------------------------------------------------- claims


@extend_schema(tags=["claims"])
class ClaimViewSet(Create, Update, Destroy, ListRetrieve):
    """Claims. Anonymous clients see published claims only, through public serializers."""

    permission_classes = [PublicReadOrRole]
    desk_model = Claim
    pagination_class = RecentCursorPagination
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    staff_filterset = filters.ClaimFilter
    public_filterset_class = filters.PublicClaimFilter
    serializer_classes = {
        "list": s.ClaimListSerializer,
        "detail": s.ClaimDetailSerializer,
        "write": s.ClaimWriteSerializer,
        "public_list": s.PublicClaimListSerializer,
        "public_detail": s.PublicClaimDetailSerializer,
    }

    @property
    def ordering_fields(self):
        return [] if self.is_public_request else ["updated_at", "created_at", "priority"]

    def get_queryset(self):
        detail = self.action != "list"
        if self.is_public_request:
            return querysets.reader_claims(detail=detail)
        return querysets.desk_claims(detail=detail)

    # Readers see a reopened claim's verdict as last published, never work in progress.
    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if self.is_public_request and page is not None:
            show_last_published(page)
        return page

    def get_object(self):
        claim = super().get_object()
        if self.is_public_request:
            show_last_published([claim])
        return claim

    def list_ordering(self, request, queryset):
        """The cursor's ordering: by rank for a search, newest first otherwise; readers'
        lists by id, so that no internal edit reorders them."""
        if "rank" in queryset.query.annotations and "ordering" not in request.query_params:
            return ("-rank", "-id")
        if self.is_public_request:
            return ("-id",)
        return None

    def perform_create(self, write):
        return services.create_claim(by=self.request.user, **write.validated_data)

    def perform_update(self, write):
        return services.update_claim(write.instance, by=self.request.user,
                                     **write.validated_data)

    def perform_destroy(self, instance):
        services.delete_claim(instance)

    @extend_schema(
        request=s.TransitionSerializer,
        responses={200: s.TransitionResultSerializer},
        description="Move the claim through the workflow (claims.workflow.transition_claim). "
        "A refused move answers 409 with the `rule` that refused it; a move the role may "
        "not make answers 403.",
    )
    @action(detail=True, methods=["post"], permission_classes=[Authenticated])
    def transition(self, request, pk=None):
        claim = get_object_or_404(Claim, pk=pk)
        body = s.TransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        claim = workflow.transition_claim(
            claim=claim, to_state=body.validated_data["to"], by=request.user,
            duplicate_of=body.validated_data.get("duplicate_of"),
        )
        return Response({
            "id": claim.pk, "state": claim.state, "allowed_moves": workflow.allowed_moves(claim),
        })

    @extend_schema(
        responses={200: OpenApiTypes.OBJECT},
        description="schema.org ClaimReview (JSON-LD) of the claim's published verdict; 404 "
        "while the claim is unpublished.",
    )
    @action(detail=True, methods=["get"], permission_classes=[PublicReadOrRole],
            renderer_classes=[JsonLdRenderer, JSONRenderer])
    def claimreview(self, request, pk=None):
        claim = get_object_or_404(claim_for_review(Claim.objects.filter(pk=pk)))
        verdict = get_object_or_404(
            claim.verdicts.published().select_related("rating"))
        verdict.claim = claim
        [verdict] = as_last_published([verdict])
        return Response(claim_review(verdict))


class ClaimReviewItemSerializer(serializers.BaseSerializer):
    """One published verdict as ClaimReview JSON-LD (claims.claimreview.claim_review)."""

    def to_representation(self, verdict):
        return claim_review(verdict, scale_bounds=self.context["scale_bounds"])


@extend_schema(tags=["claimreview"], responses={200: OpenApiTypes.OBJECT})
class ClaimReviewFeed(generics.ListAPIView):
    """Every published verdict as schema.org ClaimReview, newest first, in pages."""

    permission_classes = [PublicReadOrRole]
    pagination_class = PagePagination
    serializer_class = ClaimReviewItemSerializer
    queryset = Verdict.objects.none()

    def get_queryset(self):
        return published_verdicts().prefetch_related(
            Prefetch("claim__appearances", queryset=appearances_for_review())
        )

    def paginate_queryset(self, queryset):
        return as_last_published(super().paginate_queryset(queryset))

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "scale_bounds": Rating.scale_bounds()}


# ---------------------------------------------------------------- claimants, appearances, responses


@extend_schema(tags=["claimants"])
class ClaimantViewSet(Create, Update, ListRetrieve):
    staff_filterset = filters.ClaimantFilter
    serializer_classes = {"detail": s.ClaimantSerializer}

    def get_queryset(self):
        return Claimant.objects.order_by("name", "pk")

    def perform_create(self, write):
        return services.create_claimant(by=self.request.user, **write.validated_data)

    # The claims naming the claimant (their search text follows a rename).
    lock_first = staticmethod(services.lock_claims_naming)

    def perform_update(self, write):
        return services.update_claimant(write.instance, by=self.request.user,
                                        **write.validated_data)


@extend_schema(tags=["appearances"])
class AppearanceViewSet(Create, Update, Destroy, ListRetrieve):
    staff_filterset = filters.AppearanceFilter
    serializer_classes = {"detail": s.AppearanceSerializer,
                          "update": s.AppearanceUpdateSerializer}

    def get_queryset(self):
        return Appearance.objects.order_by("claim_id", "said_on", "pk")

    def perform_create(self, write):
        data = dict(write.validated_data)
        return services.add_appearance(
            claim=data.pop("claim"), claimant=data.pop("claimant"), by=self.request.user,
            **data,
        )

    lock_first = staticmethod(services.lock_claim_of)

    def perform_update(self, write):
        return services.update_appearance(write.instance, by=self.request.user,
                                          **write.validated_data)

    def perform_destroy(self, instance):
        services.delete_appearance(instance, by=self.request.user)


@extend_schema(tags=["responses"])
class ResponseViewSet(Create, Update, Destroy, ListRetrieve):
    staff_filterset = filters.ResponseFilter
    serializer_classes = {"detail": s.ResponseSerializer, "update": s.ResponseUpdateSerializer}

    def get_queryset(self):
        # models.Response: the name Response alone is DRF's answer, in this module.
        return models.Response.objects.order_by("claim_id", "said_on", "pk")

    def perform_create(self, write):
        return services.add_response(by=self.request.user, **write.validated_data)

    lock_first = staticmethod(services.lock_claim_of)

    def perform_update(self, write):
        return services.update_response(write.instance, by=self.request.user,
                                        **write.validated_data)

    def perform_destroy(self, instance):
        services.delete_response(instance, by=self.request.user)


# ---------------------------------------------------------------- verdicts, corrections, reviews


@extend_schema(tags=["verdicts"])
class VerdictViewSet(Create, Update, ListRetrieve):
    """Verdicts, written through workflow.save_verdict. Anonymous clients see published
    current verdicts only."""

    permission_classes = [PublicReadOrRole]
    desk_model = Verdict
    staff_filterset = filters.VerdictFilter
    public_filterset_class = filters.PublicVerdictFilter
    serializer_classes = {
        "detail": s.VerdictSerializer,
        "write": s.VerdictWriteSerializer,
        "update": s.VerdictUpdateSerializer,
        "public_detail": s.PublicVerdictSerializer,
    }

    def get_queryset(self):
        if self.is_public_request:
            return querysets.reader_verdicts()
        return querysets.desk_verdicts()

    # Readers see a reopened claim's verdict as last published, never work in progress.
    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if self.is_public_request and page is not None:
            page = as_last_published(page)
        return page

    def get_object(self):
        verdict = super().get_object()
        if self.is_public_request:
            [verdict] = as_last_published([verdict])
        return verdict

    def perform_create(self, write):
        data = write.validated_data
        claim = data["claim"]
        if claim.verdicts.filter(is_current=True).exists():
            raise Conflict(
                "This claim already has a verdict: edit it with PATCH /verdicts/{id}/ "
                f"(id {workflow.current_verdict(claim).pk}).")
        return workflow.save_verdict(
            claim=claim, by=self.request.user, rating=data.get("rating"),
            headline=data.get("headline", ""), summary=data.get("summary", ""),
            analysis=data.get("analysis", ""),
        )

    lock_first = staticmethod(services.lock_claim_of)

    def lock_for_update(self, current, if_match):
        if not current.is_current:
            raise Conflict("Only the claim's current verdict can be edited.")
        return super().lock_for_update(current, if_match)

    def perform_update(self, write):
        verdict, data = write.instance, write.validated_data
        return workflow.save_verdict(
            claim=verdict.claim, by=self.request.user,
            rating=data.get("rating", verdict.rating),
            headline=data.get("headline", verdict.headline),
            summary=data.get("summary", verdict.summary),
            analysis=data.get("analysis", verdict.analysis),
            correction_note=data.get("correction_note", ""),
        )


@extend_schema(tags=["corrections"])
class CorrectionViewSet(ListRetrieve):
    """Corrections to published verdicts: public notes, readable by anyone."""

    permission_classes = [PublicReadOrRole]
    desk_model = Correction
    staff_filterset = filters.CorrectionFilter
    public_filterset_class = filters.CorrectionFilter
    serializer_classes = {
        "detail": s.CorrectionSerializer,
        "public_detail": s.PublicCorrectionSerializer,
    }

    def get_queryset(self):
        queryset = Correction.objects.select_related("previous_rating").order_by(
            "created_at", "pk")
        if self.is_public_request:
            queryset = queryset.published()
        return queryset


@extend_schema(tags=["reviews"])
class ReviewViewSet(Create, ListRetrieve):
    """Reviews of draft verdicts (workflow.add_review). Staff only: the verdict's author
    reads them here; Reviewers and Editors write them."""

    staff_filterset = filters.ReviewFilter
    serializer_classes = {"detail": s.ReviewSerializer}

    def get_queryset(self):
        return Review.objects.select_related("reviewer").order_by("created_at", "pk")

    def perform_create(self, write):
        data = write.validated_data
        return workflow.add_review(
            verdict=data["verdict"], by=self.request.user, kind=data.get("kind", "comment"),
            body=data.get("body", ""),
        )
