"""Admin pages for records only the system writes (corrections, captures, detected
changes): listed and read, never added, changed or deleted by anyone, superusers
included."""
from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
