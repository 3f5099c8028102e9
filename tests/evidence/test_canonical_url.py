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
