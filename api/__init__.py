"""The plumbing of the REST API under /api/v1/: base viewsets, serializer building blocks,
permissions, problem+json errors, parsing, throttling, pagination, optimistic concurrency,
schema hooks, and the root URL configuration.

The resources themselves live with their apps (claims.api, evidence.api), which use this
package; this package imports no app (import-linter checks it: pyproject.toml).
"""
