import pytest

from evidence.urls_canonical import InvalidURL, canonicalize_url


@pytest.mark.parametrize(("url", "canonical"), [
    ("HTTP://Example.COM/a", "http://example.com/a"),
    ("http://example.com:80/a", "http://example.com/a"),
    ("https://example.com:443/a", "https://example.com/a"),
    ("https://example.com:8443/a", "https://example.com:8443/a"),
    ("https://example.com", "https://example.com/"),
    ("https://example.com/a#section-2", "https://example.com/a"),
    ("https://example.com/a?utm_source=tw&utm_medium=x&id=7", "https://example.com/a?id=7"),
    ("https://example.com/a?fbclid=abc&gclid=def", "https://example.com/a"),
    ("https://example.com/a?b=2&a=1", "https://example.com/a?a=1&b=2"),
    ("https://example.com./a", "https://example.com/a"),
    ("https://bücher.example/a", "https://xn--bcher-kva.example/a"),
    ("  https://example.com/a  ", "https://example.com/a"),
    ("http://[2001:DB8::1]:80/", "http://[2001:db8::1]/"),
])
def test_canonical_form(url, canonical):
    assert canonicalize_url(url) == canonical


@pytest.mark.parametrize(("url", "message"), [
    ("", "empty"),
    ("ftp://example.com/file", "Only http:// and https://"),
    ("javascript:alert(1)", "Only http:// and https://"),
    ("example.com/no-scheme", "Only http:// and https://"),
    ("https:///no-host", "no host"),
    ("https://exa mple.com/", "spaces"),
    ("http://example.com:99999/", "malformed"),
])
def test_invalid_urls_are_named(url, message):
    with pytest.raises(InvalidURL, match=message):
        canonicalize_url(url)


def test_a_url_that_grows_past_the_column_once_encoded_is_refused():
    # 700 "ü" are 700 characters as typed, and 4,200 once the query is percent-encoded:
    # more than a Source's url and canonical_url columns hold (a 500 in the admin before).
    url = "https://example.org/letter?q=" + "ü" * 700
    assert len(url) < 2000
    with pytest.raises(InvalidURL, match="too long"):
        canonicalize_url(url)


def test_a_url_at_the_limit_is_kept():
    url = "https://example.org/" + "a" * (2000 - len("https://example.org/"))
    assert canonicalize_url(url) == url
