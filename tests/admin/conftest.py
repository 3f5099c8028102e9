import pytest


def staff(user):
    """Role users work in the admin, which also needs is_staff."""
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


@pytest.fixture
def fc_client(client, fact_checker):
    client.force_login(staff(fact_checker))
    return client


@pytest.fixture
def editor_client(client, editor):
    client.force_login(staff(editor))
    return client
