import pytest

from tests.data.desk import staff


@pytest.fixture
def fc_client(client, fact_checker):
    client.force_login(staff(fact_checker))
    return client


@pytest.fixture
def editor_client(client, editor):
    client.force_login(staff(editor))
    return client
