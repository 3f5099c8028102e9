"""The admin site as a whole: its links out to what readers see."""
import re

from django.urls import reverse


def test_view_site_goes_to_the_published_checks(fc_client, seeded):
    html = fc_client.get(reverse("admin:index")).content.decode()
    links = re.findall(r'<a href="([^"]*)">View site</a>', html)
    assert links == ["/checks/"]
    fc_client.logout()
    assert fc_client.get(links[0]).status_code == 200  # readers' page: no sign-in needed
