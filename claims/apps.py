from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claims and verdicts"

    def ready(self):
        # The queue's search (search_text__ilike_contains) is served by the trigram index
        # only through ILIKE; registered here so any code may use it, not only the admin.
        from .lookups import ILikeContains
        from .models import Claim

        Claim._meta.get_field("search_text").register_lookup(ILikeContains)
