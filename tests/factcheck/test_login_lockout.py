"""Password guessing on /admin/login/ locks the guesser out (django-axes), per username and
client address together, for a cool-off time; an administrator can unlock sooner."""
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command

from tests.data.desk import PASSWORD, make_user

pytestmark = pytest.mark.django_db

ATTACKER = "198.51.100.7"
ELSEWHERE = "203.0.113.20"


@pytest.fixture
def staff():
    return make_user("stella", is_staff=True)


def sign_in(client, password, username="stella", **extra):
    return client.post("/admin/login/?next=/admin/",
                       {"username": username, "password": password}, **extra)


def signed_in(client):
    return client.get("/admin/").status_code == 200


def guess(client, times, username="stella", **extra):
    for n in range(times):
        sign_in(client, f"wrong-{n}", username=username, **extra)


def test_defaults_are_ten_failures_and_an_hour():
    assert settings.AXES_FAILURE_LIMIT == 10
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 3600
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_the_right_password_after_thirty_wrong_ones_is_refused(client, staff):
    guess(client, 30, REMOTE_ADDR=ATTACKER)
    response = sign_in(client, PASSWORD, REMOTE_ADDR=ATTACKER)
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many failed sign-in attempts" in html
    assert "Try again in 1 hour." in html
    assert int(response["Retry-After"]) == 3600
    assert not signed_in(client)


def test_the_limit_is_the_limit(client, staff):
    guess(client, settings.AXES_FAILURE_LIMIT - 1, REMOTE_ADDR=ATTACKER)
    assert sign_in(client, PASSWORD, REMOTE_ADDR=ATTACKER).status_code == 302
    assert signed_in(client)


def test_a_success_resets_the_count(client, staff):
    guess(client, settings.AXES_FAILURE_LIMIT - 1, REMOTE_ADDR=ATTACKER)
    assert sign_in(client, PASSWORD, REMOTE_ADDR=ATTACKER).status_code == 302
    client.logout()
    guess(client, settings.AXES_FAILURE_LIMIT - 1, REMOTE_ADDR=ATTACKER)
    assert sign_in(client, PASSWORD, REMOTE_ADDR=ATTACKER).status_code == 302


def test_the_lockout_is_per_username_and_address(client, staff):
    make_user("other", is_staff=True)
    guess(client, 15, REMOTE_ADDR=ATTACKER)
    # The real user, from their own address, still gets in...
    assert sign_in(client, PASSWORD, REMOTE_ADDR=ELSEWHERE).status_code == 302
    client.logout()
    # ...and so does another account from the attacker's address.
    assert sign_in(client, PASSWORD, username="other", REMOTE_ADDR=ATTACKER).status_code == 302


def test_the_unlock_command_unlocks(client, staff):
    guess(client, 12, REMOTE_ADDR=ATTACKER)
    assert sign_in(client, PASSWORD, REMOTE_ADDR=ATTACKER).status_code == 429
    call_command("axes_reset_username", "stella")
    assert sign_in(client, PASSWORD, REMOTE_ADDR=ATTACKER).status_code == 302
    assert signed_in(client)


def test_axes_reset_unlocks_everyone(client, staff):
    guess(client, 12, REMOTE_ADDR=ATTACKER)
    call_command("axes_reset")
    assert sign_in(client, PASSWORD, REMOTE_ADDR=ATTACKER).status_code == 302


def test_the_cool_off_ends(client, staff, settings):
    from axes.models import AccessAttempt
    from django.utils import timezone

    guess(client, 12, REMOTE_ADDR=ATTACKER)
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME * 1.1
    )
    assert sign_in(client, PASSWORD, REMOTE_ADDR=ATTACKER).status_code == 302


def test_without_proxies_a_forged_forwarded_for_changes_nothing(client, staff, settings):
    settings.NUM_PROXIES = 0
    for n in range(12):
        sign_in(client, "wrong", REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
    response = sign_in(client, PASSWORD, REMOTE_ADDR=ATTACKER,
                       HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert response.status_code == 429


def test_behind_a_proxy_the_client_is_what_the_proxy_saw(client, staff, settings):
    settings.NUM_PROXIES = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    # The client forges entries on the left; the proxy appends the address it saw.
    for n in range(12):
        sign_in(client, "wrong", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, {ATTACKER}", **proxy)
    forged = sign_in(client, PASSWORD, HTTP_X_FORWARDED_FOR=f"192.0.2.200, {ATTACKER}",
                     **proxy)
    assert forged.status_code == 429
    # Everyone comes through the same proxy, but the real user is not locked out with them.
    assert sign_in(client, PASSWORD, HTTP_X_FORWARDED_FOR=ELSEWHERE, **proxy).status_code == 302


def test_force_login_and_sessions_still_work(client, staff):
    # The suite signs in with force_login; the lockout backend must not get in its way.
    client.force_login(staff)
    assert signed_in(client)
    assert get_user_model().objects.get(username="stella").is_staff
