"""Who may do what through the API: the same Django model permissions as the admin.

Staff roles (the Fact-checker, Editor and Reviewer groups) need the model's `view`
permission to read and its `add`/`change`/`delete` permission to write. Anonymous
clients may only read, and only the endpoints that have a public view of their data
(published claims and verdicts); the views give them a public queryset and serializer.
"""
from rest_framework.permissions import SAFE_METHODS, BasePermission, DjangoModelPermissions


class RolePermissions(DjangoModelPermissions):
    """DjangoModelPermissions that also require `view_<model>` to read."""

    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": ["%(app_label)s.view_%(model_name)s"],
    }


def is_staff_reader(request, model):
    """True when the user holds a role that may read `model` (its view permission)."""
    user = request.user
    opts = model._meta
    return bool(
        user and user.is_authenticated
        and user.has_perm(f"{opts.app_label}.view_{opts.model_name}")
    )


class PublicReadOrRole(RolePermissions):
    """Anyone may read what readers read: anonymous clients, and signed-in users whose
    role may not read the desk's view (the view gives both public data only, see
    `is_public_request`). Everything else needs the role's model permissions."""

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS and getattr(view, "is_public_request", True):
            return True
        if not request.user or not request.user.is_authenticated:
            return False
        return super().has_permission(request, view)


class RoleOnly(RolePermissions):
    """Authenticated users with their role's model permissions; nothing for anonymous."""


class Authenticated(BasePermission):
    """Any signed-in user; the workflow service behind the action checks the role."""

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated)


def require_perm(perm):
    """A permission class granting access to users holding the Django permission `perm`."""

    class HasPerm(BasePermission):
        def has_permission(self, request, view):
            return bool(request.user and request.user.is_authenticated
                        and request.user.has_perm(perm))

    HasPerm.__name__ = f"HasPerm[{perm}]"
    return HasPerm
