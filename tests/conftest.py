import pytest
from django.contrib.auth import get_user_model

from claims import roles


def make_user(username, role=None, **extra):
    user = get_user_model().objects.create_user(
        username=username, password="correct horse battery staple", **extra
    )
    if role:
        user.groups.add(roles.role_group(role))
    return user


@pytest.fixture
def fact_checker(db):
    return make_user("fiona", roles.FACT_CHECKER)


@pytest.fixture
def other_fact_checker(db):
    return make_user("felix", roles.FACT_CHECKER)


@pytest.fixture
def editor(db):
    return make_user("edith", roles.EDITOR)


@pytest.fixture
def other_editor(db):
    return make_user("eric", roles.EDITOR)


@pytest.fixture
def reviewer(db):
    return make_user("rosa", roles.REVIEWER)


@pytest.fixture
def seeded(db):
    """The seed case, loaded as `load_seeds` does."""
    from claims.seeding import load_seeds

    load_seeds()
