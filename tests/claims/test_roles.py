"""The newsroom's roles are Django groups holding exactly their permissions."""
import pytest
from django.contrib.auth.models import Group, Permission

from claims import roles


def codes(group_name):
    group = Group.objects.get(name=group_name)
    return {
        f"{app}.{code}"
        for app, code in group.permissions.values_list("content_type__app_label", "codename")
    }


@pytest.mark.parametrize("name", [roles.FACT_CHECKER, roles.EDITOR, roles.REVIEWER])
def test_the_migration_creates_each_role_with_its_permissions(db, name):
    assert codes(name) == set(roles.ROLE_PERMISSIONS[name])


def test_only_editors_publish_and_reviewers_cannot_edit(db):
    assert "claims.publish_verdict" in codes(roles.EDITOR)
    assert "claims.publish_verdict" not in codes(roles.FACT_CHECKER)
    assert not any(c.split(".")[1].startswith(("add_claim", "change_")) for c in
                   codes(roles.REVIEWER))


def test_users_get_their_role_permissions(fact_checker, editor, reviewer):
    assert fact_checker.has_perm("claims.transition_claim")
    assert not fact_checker.has_perm("claims.publish_verdict")
    assert editor.has_perm("claims.publish_verdict")
    assert reviewer.has_perm("claims.review_verdict")
    assert not reviewer.has_perm("claims.change_claim")


def test_sync_roles_is_idempotent_and_restores_drift(db):
    group = Group.objects.get(name=roles.REVIEWER)
    group.permissions.add(Permission.objects.get(codename="delete_claim"))
    roles.sync_roles(Group, Permission)
    roles.sync_roles(Group, Permission)
    assert codes(roles.REVIEWER) == set(roles.ROLE_PERMISSIONS[roles.REVIEWER])
    assert Group.objects.filter(name__in=roles.ROLE_PERMISSIONS).count() == 3
