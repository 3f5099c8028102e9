"""The Content-Security-Policy middleware: django-csp's, with per-page exceptions.

The policy itself is CONTENT_SECURITY_POLICY in settings.py. A few third-party pages cannot
live with it and get the least they need, here, for their paths only.
"""
from csp.constants import SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware as BaseCSPMiddleware

# Redoc (the alternative API docs) renders with styled-components, which injects <style>
# elements a nonce cannot reach, and runs its search in a worker started from a blob: URL.
# Its scripts stay under the nonce rule.
PATH_REPLACEMENTS = {
    "/api/v1/redoc/": {
        "style-src": [SELF, UNSAFE_INLINE],
        "style-src-elem": [SELF, UNSAFE_INLINE],
        "worker-src": [SELF, "blob:"],
    },
}


class CSPMiddleware(BaseCSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        for prefix, replacements in PATH_REPLACEMENTS.items():
            if request.path_info.startswith(prefix):
                parts.replace = {**replacements, **(parts.replace or {})}
        return parts
