"""One canonical spelling per URL, so that each web page is one Source."""
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

DEFAULT_PORTS = {"http": 80, "https": 443}

# Parameters that identify a campaign or a click, never the page itself.
TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid",
        "igshid", "mc_cid", "mc_eid", "_ga", "_gl", "ref_src", "ref_url", "spm",
        "mkt_tok", "oly_anon_id", "oly_enc_id", "vero_id", "__s", "_hsenc", "_hsmi",
    }
)
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_")
# The longest URL a Source keeps (its url and canonical_url columns). Canonicalising can
# lengthen a URL (an IDNA host, a percent-encoded query), so the limit is checked here, on
# what will be stored, for the admin, the API and the models alike.
MAX_URL_LENGTH = 2000


class InvalidURL(ValueError):
    """The text is not an absolute http(s) URL that can be archived."""


def canonicalize_url(url: str) -> str:
    """Return the canonical form of an http(s) URL.

    Lower-cases scheme and host, encodes international host names (IDNA), drops default
    ports, fragments, empty queries and common tracking parameters, and sorts what
    query remains. Raises InvalidURL for anything that is not an absolute http(s) URL, or
    that is longer than MAX_URL_LENGTH once canonical.
    """
    if not isinstance(url, str) or not url.strip():
        raise InvalidURL("The URL is empty.")
    url = url.strip()
    if any(ch.isspace() for ch in url):
        raise InvalidURL("A URL cannot contain spaces; encode them as %20.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise InvalidURL(f"The URL is malformed: {exc}.") from exc
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise InvalidURL("Only http:// and https:// URLs can be cited and archived.")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise InvalidURL("The URL has no host name.")
    try:
        host = host.encode("idna").decode("ascii").lower()
    except UnicodeError as exc:
        raise InvalidURL("The host name is not a valid domain name.") from exc
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    if parts.username or parts.password:
        userinfo = parts.username or ""
        if parts.password:
            userinfo += f":{parts.password}"
        netloc = f"{userinfo}@{netloc}"
    query = sorted(
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if key.lower() not in TRACKING_PARAMS and not key.lower().startswith(TRACKING_PREFIXES)
    )
    canonical = urlunsplit((scheme, netloc, parts.path or "/", urlencode(query), ""))
    if len(canonical) > MAX_URL_LENGTH:
        raise InvalidURL(f"The URL is too long: at most {MAX_URL_LENGTH} characters once "
                         f"encoded, this one has {len(canonical)}.")
    return canonical
