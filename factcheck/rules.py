"""Refusals by a domain rule, as every interface reports them.

The apps' rules (claims.workflow's WorkflowError and its kinds) subclass these, so that
the interfaces which report them (the API's problem+json answers in api.errors) can do so
without importing any app.
"""


class RuleBroken(Exception):
    """A change a domain rule refuses; nothing was written. `rule` is a stable code a
    client may act on; `message` says, in the desk's words, what to do instead."""

    rule = "rule"

    def __init__(self, message, *, rule=None):
        super().__init__(message)
        self.message = message
        if rule:
            self.rule = rule


class NotPermitted(RuleBroken):
    """Refused because the person's role lacks a permission the rule requires (the API
    answers 403 rather than 409: the same request from another role would succeed)."""

    rule = "permission"
