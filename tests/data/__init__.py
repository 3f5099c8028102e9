"""Test data, built one way, in two layers. Tests import from here; conftests only hold
fixtures (which may call these functions), and no test imports a conftest.

`tests.data.rows`: fast rows for tests that read. Plain ORM creates, and bulk_create for
long lists (changelist and query-count tests). Rows are never published: no row helper
sets `published_at`, a `published_*` field or the published state.

`tests.data.desk`: objects made the way the desk makes them, through the services and the
workflow (`claims.services`, `evidence.services`, `claims.workflow`): users with roles,
claims researched, drafted, reviewed, published by an editor who did not write the
verdict, and reopened; the seed case's published claim; the API desk with its internal
markers; API tokens. A test that needs a published claim gets it from this layer: a
published claim is only ever made by publishing.

tests/test_test_data.py holds every test module to this.
"""
