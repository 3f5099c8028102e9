"""What an anonymous reader is shown, read off the public pages, the feed, the sitemap and
the API the way tests/claims/golden/legacy_reader_output.json was captured (with the code
before publications existed), so the two can be compared."""
import json
import re

from lxml import etree
from lxml import html as lhtml

LD_JSON = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def norm(text):
    return " ".join(text.split())


def head_of(doc):
    metas = []
    for meta in doc.xpath("//head/meta"):
        key = meta.get("property") or meta.get("name")
        if key:
            metas.append([key, meta.get("content")])
    canonical = doc.xpath("//head/link[@rel='canonical']/@href")
    return {"title": norm(doc.findtext(".//title") or ""), "meta": metas,
            "canonical": canonical[0] if canonical else None}


def detail(client, slug):
    response = client.get(f"/checks/{slug}/")
    if response.status_code != 200:
        return {"status": response.status_code}
    body = response.content.decode()
    scripts = LD_JSON.findall(body)
    assert len(scripts) == 1, scripts
    doc = lhtml.fromstring(body)
    [article] = doc.xpath("//article")
    return {
        "status": 200,
        "ld_json": scripts[0],
        "article_text": norm(article.text_content()),
        "article_links": [a.get("href") for a in article.iter("a")],
        "head": head_of(doc),
    }


def listing(client, query=""):
    response = client.get("/checks/" + (f"?{query}" if query else ""))
    assert response.status_code == 200, response.status_code
    doc = lhtml.fromstring(response.content.decode())
    facets = {}
    for name in ("rating", "claimant", "tag"):
        facets[name] = [[o.get("value"), norm(o.text_content())]
                        for o in doc.xpath(f"//select[@id='{name}']/option")]
    return {
        "result_count": norm(doc.xpath("//p[contains(@class, 'result-count')]")[0]
                             .text_content()),
        "articles": [norm(a.text_content()) for a in doc.xpath("//article")],
        "article_links": [[a.get("href") for a in art.iter("a")]
                          for art in doc.xpath("//article")],
        "facets": facets,
        "head": head_of(doc),
    }


def feed(client):
    response = client.get("/feeds/checks.atom")
    assert response.status_code == 200
    root = etree.fromstring(response.content)

    def text(node, tag):
        return node.findtext(ATOM + tag)

    entries = [{
        "title": text(entry, "title"),
        "summary": text(entry, "summary"),
        "updated": text(entry, "updated"),
        "published": text(entry, "published"),
        "id": text(entry, "id"),
        "link": entry.find(ATOM + "link").get("href"),
        "author": entry.findtext(f"{ATOM}author/{ATOM}name"),
        "categories": [c.get("term") for c in entry.findall(ATOM + "category")],
    } for entry in root.findall(ATOM + "entry")]
    return {
        "title": text(root, "title"), "subtitle": text(root, "subtitle"),
        "updated": text(root, "updated"), "id": text(root, "id"),
        "entries": entries,
    }


def sitemap(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = etree.fromstring(response.content)
    return [[u.findtext(SITEMAP + "loc"), u.findtext(SITEMAP + "lastmod")]
            for u in root.findall(SITEMAP + "url")]


def api(client, url):
    response = client.get(url)
    got = {"status": response.status_code}
    if response.status_code == 200:
        got["json"] = json.loads(response.content)
        got["body"] = response.content.decode()
    return got
