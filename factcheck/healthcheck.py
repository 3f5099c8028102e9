"""The web container's healthcheck: `python factcheck/healthcheck.py [port]`
(docker-compose.yml; the port defaults to gunicorn's 8000).

It asks /healthz the way a real request reaches gunicorn, or the app would refuse it
before /healthz ran: with a Host the app serves (the first of ALLOWED_HOSTS, else
DisallowedHost, 400) and marked as having come over TLS (else, with HTTPS_ONLY, a 301 to
https). X-Forwarded-Proto is only believed when HTTPS_ONLY makes it the proxy's header,
and sending it changes nothing otherwise. Run as a file, not a module, so the check
starts in milliseconds without importing Django or Celery.
"""
import os
import sys
import urllib.error
import urllib.request

PORT = 8000


def healthcheck_host(allowed_hosts):
    """A host name the app accepts, from ALLOWED_HOSTS as the environment spells it."""
    for entry in (part.strip() for part in allowed_hosts.split(",")):
        if entry and entry != "*":
            return entry.lstrip(".")  # ".example.org" also serves example.org itself
    return "localhost"


def healthcheck_request(environ=os.environ, port=PORT):
    return urllib.request.Request(
        f"http://127.0.0.1:{port}/healthz",
        headers={
            "Host": healthcheck_host(environ.get("ALLOWED_HOSTS", "localhost")),
            "X-Forwarded-Proto": "https",
        },
    )


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # A redirect means the request shape is wrong: report it, never follow it elsewhere.
    def redirect_request(self, *args, **kwargs):
        return None


def main(argv=sys.argv[1:]):
    port = int(argv[0]) if argv else PORT
    opener = urllib.request.build_opener(_NoRedirects)
    try:
        with opener.open(healthcheck_request(port=port), timeout=5) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except OSError as error:
        print(f"healthcheck: {error}", file=sys.stderr)
        return 1
    if status != 200:
        print(f"healthcheck: /healthz answered {status}", file=sys.stderr)
    return 0 if status == 200 else 1


if __name__ == "__main__":
    sys.exit(main())
