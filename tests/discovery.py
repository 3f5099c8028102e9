"""What the admin shows, found from the admin site itself, for the tests that walk it."""
from django.contrib import admin


def admin_autocompletes():
    """(app_label, model_name, field_name) for every autocomplete widget the admin shows,
    on model admins and on their inlines."""
    found = set()
    for model_admin in admin.site._registry.values():
        for owner in [model_admin, *(inline(model_admin.model, admin.site)
                                     for inline in model_admin.inlines)]:
            for field in owner.autocomplete_fields:
                found.add((owner.model._meta.app_label, owner.model._meta.model_name, field))
    return sorted(found)
