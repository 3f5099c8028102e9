"""Pages the archive tests serve from their local HTTP server."""
from tests.httpserver import Reply


def article(paragraph):
    """A small article page about the seed case, with `paragraph` as its first paragraph."""
    return Reply.html(
        "<!doctype html><html lang='en'><head><title>Sahel letter</title></head><body>"
        f"<article><h1>Sahel letter</h1><p>{paragraph}</p>"
        "<p>The military governments wrote to the UN Security Council about Ukraine.</p>"
        "</article></body></html>"
    )
