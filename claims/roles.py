"""The newsroom's roles as Django groups, and the permissions each holds."""

FACT_CHECKER = "Fact-checker"
EDITOR = "Editor"
REVIEWER = "Reviewer"

_VIEW_ALL = [
    "claims.view_claim", "claims.view_claimant", "claims.view_tag", "claims.view_appearance",
    "claims.view_response", "claims.view_claimrelation", "claims.view_rating",
    "claims.view_verdict", "claims.view_correction", "claims.view_review",
    "claims.view_publication",
    "evidence.view_source", "evidence.view_snapshot", "evidence.view_evidence",
    "evidence.view_sourcechange",
]
_EDIT_CONTENT = [
    f"{app}.{action}_{model}"
    for app, model in [
        ("claims", "claim"), ("claims", "claimant"), ("claims", "tag"),
        ("claims", "appearance"), ("claims", "response"), ("claims", "claimrelation"),
        ("evidence", "source"), ("evidence", "evidence"),
    ]
    for action in ("add", "change")
] + [
    "claims.add_verdict", "claims.change_verdict", "claims.add_correction",
    "claims.transition_claim", "claims.delete_appearance", "claims.delete_response",
    "claims.delete_claimrelation", "evidence.delete_evidence",
]

ROLE_PERMISSIONS = {
    REVIEWER: _VIEW_ALL + ["claims.review_verdict", "claims.add_review"],
    FACT_CHECKER: _VIEW_ALL + _EDIT_CONTENT,
    EDITOR: _VIEW_ALL + _EDIT_CONTENT + [
        "claims.publish_verdict", "claims.review_verdict", "claims.add_review",
        "claims.change_rating", "claims.add_rating", "claims.delete_claim",
    ],
}


def sync_roles(group_model, permission_model):
    """Create the role groups and give each exactly its permissions (idempotent).

    A permission of a model a migration has not created yet is left out: the migration
    that creates the model syncs the roles again (e.g. claims 0011 for publications)."""
    for name, codes in ROLE_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=name)
        perms = []
        for code in codes:
            app_label, codename = code.split(".")
            perms.extend(permission_model.objects.filter(
                content_type__app_label=app_label, codename=codename))
        group.permissions.set(perms)


def role_group(name):
    """The group of role `name`, recreated with its permissions if it has gone missing
    (a flushed database: tests that run a live server or a real worker)."""
    from django.contrib.auth.models import Group, Permission

    group = Group.objects.filter(name=name).first()
    if group is None:
        sync_roles(Group, Permission)
        group = Group.objects.get(name=name)
    return group
