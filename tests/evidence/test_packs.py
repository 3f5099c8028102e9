"""Evidence packs: the seed verdict published with captures of pages served on loopback,
packed as a signed WACZ and checked by outside judges: py-wacz (`wacz validate`, with a
verifier on loopback that implements the signing spec's anonymous check against the key
the site publishes), OpenSSL, and Chromium's WebCrypto, which ReplayWeb.page verifies
with. One byte changed in a WARC fails validation; a signature by another key fails
verification; readers download the pack byte for byte."""
import base64
import hashlib
import io
import json
import subprocess
import sys
import threading
import uuid
import zipfile
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from django.core.files.storage import storages
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from claims.models import Claim, Publication, PublicationSource
from evidence import archiving, packs, signing
from evidence.models import EvidencePack, Snapshot, Source
from evidence.packs import PackOutcome
from evidence.services import attach_evidence
from tests.data.desk import SEED_CLAIM, publish, reopen
from tests.httpserver import Reply

WACZ = Path(sys.executable).with_name("wacz")
OPENSSL = "openssl"

LETTER = (
    "<!doctype html><html lang='en'><head><title>The Sahel letter</title></head><body>"
    "<article><h1>The Sahel letter</h1><p>Burkina Faso, Mali and Niger wrote to the UN "
    "Security Council accusing Ukraine of backing the rebels who fought Wagner in July.</p>"
    "<p>The letter offers no evidence for the accusation.</p></article></body></html>"
)
DENIAL = (
    "<!doctype html><html lang='en'><head><title>Ukraine replies</title></head><body>"
    "<article><h1>Ukraine replies</h1><p>Ukraine's foreign ministry rejected the "
    "accusation and said no evidence had been provided.</p></article></body></html>"
)
LATER = (
    "<!doctype html><html lang='en'><head><title>A later report</title></head><body>"
    "<article><h1>A later report</h1><p>A report archived after the verdict was "
    "published, about the letter to the Security Council.</p></article></body></html>"
)


# ---------------------------------------------------------------- the desk and its archive


@pytest.fixture
def signing_key(settings, tmp_path):
    """A signing key made for this test, never the one under var/."""
    settings.EVIDENCE_PACK_SIGNING_KEY_FILE = tmp_path / "keys" / "evidence-pack.pem"
    signing.create_key()
    return settings.EVIDENCE_PACK_SIGNING_KEY_FILE


@pytest.fixture
def archive_storage(request, settings, tmp_path):
    """The archive storage: a folder of this test's, or the bucket of a test that asks
    for `s3_bucket` (tests/evidence/conftest.py)."""
    if "s3_bucket" in request.fixturenames:
        return request.getfixturevalue("s3_bucket")
    settings.STORAGES = {
        **settings.STORAGES,
        "archives": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "archives")},
        },
    }
    return None


@pytest.fixture
def archive(settings, http_server, archive_storage):
    settings.FETCH_ALLOWLIST = [http_server.host_port]
    settings.FETCH_TIMEOUT = 2.0
    http_server.route("/letter", Reply.html(LETTER))
    # The denial is cited at an address that redirects: the pack replays the redirect.
    http_server.route("/denial", Reply.redirect("/statement", status=301))
    http_server.route("/statement", Reply.html(DENIAL))
    http_server.route("/later", Reply.html(LATER))
    return http_server


def capture(source):
    assert archiving.archive_source(source.pk, fetch_id=uuid.uuid4()) in {"archived", "changed"}
    source.refresh_from_db()
    return source.latest_snapshot


@pytest.fixture
def publication(seeded, fact_checker, editor, archive):
    """The seed verdict published citing two captured pages and one not captured yet (the
    seed's own source, on the internet, is never captured here)."""
    claim = Claim.objects.get(slug=SEED_CLAIM)
    for path, stance in [("/letter", "context"), ("/denial", "refutes"), ("/later", "context")]:
        attach_evidence(claim=claim, url=archive.url(path), stance=stance,
                        summary=f"What {path} says.", by=fact_checker)
    for path in ("/letter", "/denial"):
        capture(Source.objects.get(url=archive.url(path)))
    publish(claim, fact_checker=fact_checker, editor=editor)
    return Publication.objects.get(claim=claim)


@pytest.fixture
def built(publication, signing_key, django_capture_on_commit_callbacks):
    """The publication's pack, built as the task builds it."""
    with django_capture_on_commit_callbacks(execute=True):
        assert packs.build_pack(publication.pk) == PackOutcome.BUILT
    return EvidencePack.objects.get(publication=publication)


@pytest.fixture
def pack_file(built, tmp_path):
    """The pack as a reader saves it: the bytes the download route serves."""
    path = tmp_path / "evidence.wacz"
    with storages["archives"].open(built.path, "rb") as stored:
        path.write_bytes(stored.read())
    return path


def cited_captures(publication):
    return {
        c.source.url: c.snapshot
        for c in PublicationSource.objects.filter(publication=publication, snapshot__isnull=False)
        .select_related("source", "snapshot")
    }


def members(path):
    with zipfile.ZipFile(path) as wacz:
        return {name: wacz.read(name) for name in wacz.namelist()}


def wacz_validate(path, *extra):
    return subprocess.run([str(WACZ), "validate", "-f", str(path), *extra],
                          capture_output=True, text=True, check=False, timeout=120)


def rewritten(path, out, changes):
    """A copy of the ZIP at `path` written to `out` with `changes` ({name: new bytes}),
    every other member as it was (WARCs stored, the rest deflated)."""
    with zipfile.ZipFile(path) as old, zipfile.ZipFile(out, "w") as new:
        for info in old.infolist():
            new.writestr(info, changes.get(info.filename, old.read(info.filename)))
    return out


# ---------------------------------------------------------------- a verifier on loopback


class Verifier:
    """The signing spec's anonymous-signature check (step 3) as an HTTP service py-wacz
    posts `signedData` to: 200 when `signature` is a valid ECDSA P-384 / SHA-256 signature
    of `hash` by `publicKey` AND `publicKey` is the key the site publishes (`site_pem`),
    400 otherwise. Written with `cryptography` alone, not evidence.signing."""

    def __init__(self, site_pem):
        self.site_key = serialization.load_pem_public_key(site_pem)
        self.answers = []
        verifier = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                ok = verifier.check(json.loads(body))
                verifier.answers.append(ok)
                self.send_response(200 if ok else 400)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/verify"

    def check(self, signed):
        spki = base64.b64decode(signed["publicKey"])
        site_spki = self.site_key.public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        if spki != site_spki:
            return False
        raw = base64.b64decode(signed["signature"])
        der = encode_dss_signature(int.from_bytes(raw[:48], "big"),
                                   int.from_bytes(raw[48:], "big"))
        try:
            serialization.load_der_public_key(spki).verify(
                der, signed["hash"].encode("ascii"), ec.ECDSA(hashes.SHA256())
            )
        except InvalidSignature:
            return False
        return True

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02},
                         daemon=True).start()
        return self

    def __exit__(self, *exc_info):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def site_pem(client, signing_key):
    """The public key as a reader fetches it from the site."""
    response = client.get("/.well-known/evidence-pack-key.pem")
    assert response.status_code == 200
    return response.content


# ---------------------------------------------------------------- the pack


def test_the_pack_is_a_valid_wacz_of_every_capture_the_verdict_cites(
    publication, built, pack_file
):
    result = wacz_validate(pack_file)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "Validation succeeded" in result.stdout
    files = members(pack_file)
    cited = cited_captures(publication)
    assert len(cited) == 2 and built.captures == 2
    # Every cited capture's WARC, byte for byte as archived.
    warcs = {name: data for name, data in files.items() if name.startswith("archive/")}
    assert {hashlib.sha256(data).hexdigest() for data in warcs.values()} == {
        s.warc_sha256 for s in cited.values()
    }
    assert {len(data) for data in warcs.values()} == {s.warc_size for s in cited.values()}
    # A page per capture, at the URL the verdict cites (the denial's redirects).
    header, *pages = [json.loads(line) for line in files["pages/pages.jsonl"].splitlines()]
    assert header["format"] == "json-pages-1.0" and header["hasText"] is True
    assert {p["url"]: p["id"] for p in pages} == {
        url: f"snapshot-{s.pk}" for url, s in cited.items()
    }
    denial = next(p for p in pages if p["url"].endswith("/denial"))
    assert denial["title"] == "Ukraine replies" and "rejected the accusation" in denial["text"]
    # The index finds the cited address (the redirect) and the page it leads to.
    index = files["indexes/index.cdx"].decode().splitlines()
    assert index == sorted(index)
    assert any(")/denial " in line and '"status": "301"' in line for line in index)
    assert any(")/statement " in line and '"status": "200"' in line for line in index)
    # The verdict as published: the digests the publication recorded.
    assert hashlib.sha256(files["verdict/claimreview.json"]).hexdigest() == (
        publication.claim_review_sha256)
    assert hashlib.sha256(files["verdict/publication.json"]).hexdigest() == (
        publication.content_sha256)
    package = json.loads(files["datapackage.json"])
    assert package["wacz_version"] == "1.1.1" and package["profile"] == "data-package"
    assert {r["path"] for r in package["resources"]} == set(files) - {
        "datapackage.json", "datapackage-digest.json"}
    # What the EvidencePack says of it is true of the file.
    data = pack_file.read_bytes()
    assert built.size == len(data) and built.sha256 == hashlib.sha256(data).hexdigest()
    assert built.path == f"packs/{built.sha256[:2]}/{built.sha256}.wacz"
    assert built.public_key == signing.current_public_key().base64
    assert built.build_seconds > 0


def test_the_signature_verifies_with_the_key_the_site_publishes(pack_file, site_pem):
    digest = json.loads(members(pack_file)["datapackage-digest.json"])
    package_hash = "sha256:" + hashlib.sha256(members(pack_file)["datapackage.json"]).hexdigest()
    signed = digest["signedData"]
    assert digest["hash"] == signed["hash"] == package_hash
    assert signed["created"] == json.loads(members(pack_file)["datapackage.json"])["created"]

    with Verifier(site_pem) as verifier:
        result = wacz_validate(pack_file, "--verify-auth", "--verifier-url", verifier.url)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "Successfully verified signature" in result.stdout
    assert verifier.answers == [True]


def test_openssl_verifies_the_signature_with_the_published_key(pack_file, site_pem, tmp_path):
    # What docs/archiving.md tells a reader to do, with the openssl command: the hash
    # as signed, the signature turned into DER, the key fetched from the site.
    signed = json.loads(members(pack_file)["datapackage-digest.json"])["signedData"]
    (tmp_path / "key.pem").write_bytes(site_pem)
    (tmp_path / "hash.txt").write_text(signed["hash"])
    raw = base64.b64decode(signed["signature"]).hex()
    (tmp_path / "sig.cnf").write_text(
        f"asn1=SEQUENCE:sig\n[sig]\nr=INTEGER:0x{raw[:96]}\ns=INTEGER:0x{raw[96:]}\n"
    )

    def openssl(*args):
        return subprocess.run([OPENSSL, *args], cwd=tmp_path, capture_output=True, text=True,
                              check=False, timeout=30)

    made = openssl("asn1parse", "-genconf", "sig.cnf", "-noout", "-out", "sig.der")
    assert made.returncode == 0, made.stderr
    verified = openssl("dgst", "-sha256", "-verify", "key.pem", "-signature", "sig.der",
                       "hash.txt")
    assert verified.stdout.strip() == "Verified OK", verified.stdout + verified.stderr

    # One character of the hash changed: OpenSSL refuses it.
    (tmp_path / "hash.txt").write_text(signed["hash"][:-1] + "0"
                                       if not signed["hash"].endswith("0") else
                                       signed["hash"][:-1] + "1")
    refused = openssl("dgst", "-sha256", "-verify", "key.pem", "-signature", "sig.der",
                      "hash.txt")
    assert refused.returncode != 0 and "Verification failure" in refused.stdout


def test_the_recipe_the_methodology_page_gives_readers_verifies_a_pack(
    client, pack_file, site_pem, built
):
    # The shell steps exactly as the page prints them, run by bash; only the download of
    # the key is done by the test client (the site is not listening on a port here).
    import html
    import re

    page = client.get("/methodology/").content.decode()
    [recipe] = re.findall(r'<details class="howto">.*?<pre><code>(.*?)</code></pre>', page,
                          flags=re.S)
    lines = html.unescape(recipe).splitlines()
    assert lines[0].startswith("curl -so key.pem http")
    assert lines[0].endswith("/.well-known/evidence-pack-key.pem")
    (pack_file.parent / "key.pem").write_bytes(site_pem)
    script = "set -euo pipefail\n" + "\n".join(lines[1:]) + "\n"
    run = subprocess.run(["bash", "-c", script], cwd=pack_file.parent, capture_output=True,
                         text=True, check=False, timeout=60)
    assert run.returncode == 0, run.stderr
    digest = json.loads(members(pack_file)["datapackage-digest.json"])
    assert digest["hash"].removeprefix("sha256:") in run.stdout  # the sha256sum line
    assert run.stdout.strip().endswith("Verified OK"), run.stdout + run.stderr


def test_a_pack_whose_file_is_lost_is_a_404_not_a_server_error(client, built):
    storages["archives"].delete(built.path)
    publication = built.publication
    url = f"/checks/{publication.claim.slug}/versions/{publication.number}/evidence.wacz"
    assert client.get(url).status_code == 404


def flipped(data, at):
    changed = bytearray(data)
    changed[at] ^= 0x01
    return bytes(changed)


def test_one_byte_flipped_in_a_warc_fails_validation(pack_file, tmp_path):
    files = members(pack_file)
    name = next(n for n in files if n.startswith("archive/"))
    # A byte of a record's compressed data (the WARC no longer decompresses), and a byte
    # of its first gzip header's timestamp (it decompresses as before: only the digest
    # in datapackage.json tells).
    middle = rewritten(pack_file, tmp_path / "middle.wacz",
                       {name: flipped(files[name], len(files[name]) // 2)})
    header = rewritten(pack_file, tmp_path / "header.wacz", {name: flipped(files[name], 4)})

    assert wacz_validate(middle).returncode == 1
    result = wacz_validate(header)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Validation failed" in result.stdout and "hash-count" in result.stdout
    # Frictionless compares each file with its digest: the WARC's, as packed and as found.
    assert hashlib.sha256(files[name]).hexdigest() in result.stdout
    assert hashlib.sha256(flipped(files[name], 4)).hexdigest() in result.stdout
    # The rewrite itself changes nothing else: an untouched copy passes.
    assert wacz_validate(rewritten(pack_file, tmp_path / "copy.wacz", {})).returncode == 0


def test_a_signature_by_another_key_fails_verification(pack_file, site_pem, tmp_path):
    files = members(pack_file)
    digest = json.loads(files["datapackage-digest.json"])
    other = ec.generate_private_key(ec.SECP384R1())
    signature, other_public = signing.sign(digest["hash"], other)
    # Signed by another key that the pack names as its own, and signed by another key
    # while naming the site's: the verifier refuses both.
    forged = {
        "other-key.wacz": {**digest["signedData"], "signature": signature,
                           "publicKey": other_public.base64},
        "wrong-signature.wacz": {**digest["signedData"], "signature": signature},
    }
    with Verifier(site_pem) as verifier:
        for name, signed in forged.items():
            wacz = rewritten(pack_file, tmp_path / name, {
                "datapackage-digest.json": json.dumps({**digest, "signedData": signed}).encode()
            })
            result = wacz_validate(wacz, "--verify-auth", "--verifier-url", verifier.url)
            assert result.returncode == 1, name + result.stdout + result.stderr
            assert "Signature not verified" in result.stdout
    assert verifier.answers == [False, False]


@pytest.mark.browser
def test_webcrypto_verifies_the_signature_as_replayweb_page_does(browser, pack_file):
    """ReplayWeb.page (wabac.js, src/wacz/certutils.ts) checks an anonymous signature with
    WebCrypto: the SPKI key imported as ECDSA P-384, the hash's bytes verified with SHA-256
    against the signature as given. A DER signature fails there; ours must pass."""
    signed = json.loads(members(pack_file)["datapackage-digest.json"])["signedData"]
    page = browser.new_page()
    # WebCrypto needs a secure context: an http://localhost page, served by Playwright.
    page.route("http://localhost/", lambda route: route.fulfill(
        body="<!doctype html><title>verify</title>", content_type="text/html"))
    page.goto("http://localhost/")
    verify = """async ([publicKey, signature, hash]) => {
        const bytes = (b64) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        const key = await crypto.subtle.importKey(
            "spki", bytes(publicKey), {name: "ECDSA", namedCurve: "P-384"}, true, ["verify"]);
        return crypto.subtle.verify({name: "ECDSA", hash: "SHA-256"}, key,
                                    bytes(signature), new TextEncoder().encode(hash));
    }"""

    assert page.evaluate(verify, [signed["publicKey"], signed["signature"], signed["hash"]])
    der = base64.b64encode(signing.der_signature(signed["signature"])).decode()
    assert not page.evaluate(verify, [signed["publicKey"], der, signed["hash"]])
    assert not page.evaluate(verify, [signed["publicKey"], signed["signature"],
                                      signed["hash"].replace("sha256:", "sha256:0", 1)[:-1]])


# ---------------------------------------------------------------- building and rebuilding


def pages_of(pack):
    with storages["archives"].open(pack.path, "rb") as stored:
        lines = zipfile.ZipFile(io.BytesIO(stored.read())).read("pages/pages.jsonl")
    return {page["id"] for page in map(json.loads, lines.splitlines()[1:])}


def test_a_capture_landing_later_rebuilds_the_pack_and_drops_the_old_file(
    publication, built, archive, django_capture_on_commit_callbacks
):
    storage = storages["archives"]
    first = built
    assert packs.build_missing_packs() == {}
    assert packs.build_pack(publication.pk) == PackOutcome.CURRENT

    # The source the verdict cited before its first capture is captured.
    later = capture(Source.objects.get(url=archive.url("/later")))
    with django_capture_on_commit_callbacks(execute=True):
        assert packs.build_missing_packs() == {"rebuilt": 1}

    second = EvidencePack.objects.get(publication=publication)
    assert second.captures == 3 and second.path != first.path
    assert storage.exists(second.path) and not storage.exists(first.path)
    assert f"snapshot-{later.pk}" in pages_of(second)
    assert packs.build_missing_packs() == {}
    assert packs.build_pack(publication.pk) == PackOutcome.CURRENT

    # That page changes and is captured again: the pack follows, as the verdict page
    # shows the latest capture of a source it waited for. The others stay as cited.
    archive.route("/later", Reply.html(LATER.replace("A later report", "A corrected report")))
    assert archiving.archive_source(later.source_id, fetch_id=uuid.uuid4(),
                                    recheck=True) == "changed"
    newer = Snapshot.objects.filter(source_id=later.source_id).latest()
    with django_capture_on_commit_callbacks(execute=True):
        assert packs.build_pack(publication.pk) == PackOutcome.REBUILT

    third = EvidencePack.objects.get(publication=publication)
    assert third.captures == 3 and not storage.exists(second.path)
    assert pages_of(third) == {f"snapshot-{s.pk}" for s in cited_captures(publication).values()} | {
        f"snapshot-{newer.pk}"}
    assert packs.build_missing_packs() == {}


def test_a_missing_warc_fails_the_build_and_changes_nothing(
    publication, signing_key, caplog, django_capture_on_commit_callbacks
):
    storage = storages["archives"]
    snapshot = cited_captures(publication)[next(iter(cited_captures(publication)))]
    storage.delete(snapshot.warc_path)

    with django_capture_on_commit_callbacks(execute=True):
        outcome = packs.build_pack(publication.pk)

    assert outcome == PackOutcome.FAILED
    assert not EvidencePack.objects.exists()
    assert not storage.exists("packs") or storage.listdir("packs") == ([], [])
    assert f"its WARC {snapshot.warc_path} is missing" in caplog.text
    assert f"publication {publication.pk}" in caplog.text


def test_of_two_builds_racing_the_one_that_read_the_captures_last_is_kept(
    publication, built, django_capture_on_commit_callbacks
):
    # A build that read the captures before the recorded one finishes after it (the task
    # after publishing and the sweep, say): its pack is dropped, the recorded one stays.
    storage = storages["archives"]
    late = "packs/00/late.wacz"
    storage.save(late, io.BytesIO(b"a pack read earlier"))
    with django_capture_on_commit_callbacks(execute=True):
        outcome = packs._record(
            publication, path=late, sha256="0" * 64, size=18, captures=2,
            public_key=built.public_key, read_at=built.built_at - timedelta(seconds=1),
            seconds=0.1,
        )

    assert outcome == PackOutcome.CURRENT
    assert EvidencePack.objects.get(publication=publication) == built
    assert EvidencePack.objects.get().path == built.path
    assert storage.exists(built.path) and not storage.exists(late)


def test_build_evidence_packs_builds_what_is_missing_by_hand(
    publication, signing_key, django_capture_on_commit_callbacks
):
    def build(*ids):
        out = io.StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("build_evidence_packs", *map(str, ids), stdout=out)
        return out.getvalue().strip()

    assert build() == "Evidence packs: 1 built."
    assert build() == "Evidence packs: nothing to do."
    assert build(publication.pk) == "Evidence packs: 1 current."
    assert EvidencePack.objects.get().captures == 2


def test_nothing_captured_yet_builds_no_pack(seeded, fact_checker, editor, signing_key):
    claim = Claim.objects.get(slug=SEED_CLAIM)
    publish(claim, fact_checker=fact_checker, editor=editor)
    publication = Publication.objects.get(claim=claim)

    assert packs.build_pack(publication.pk) == PackOutcome.NO_CAPTURES
    assert packs.build_missing_packs() == {}
    assert not EvidencePack.objects.exists()


def test_without_a_key_the_build_names_the_command_and_the_key_routes_say_so(
    publication, settings, tmp_path, client
):
    settings.EVIDENCE_PACK_SIGNING_KEY_FILE = tmp_path / "nowhere" / "key.pem"

    with pytest.raises(signing.SigningKeyMissing, match="manage.py create_signing_key"):
        packs.build_pack(publication.pk)
    assert client.get("/.well-known/evidence-pack-key.pem").status_code == 404
    assert client.get("/.well-known/evidence-pack-keys.json").json() == {
        "current": None, "keys": []}


# ---------------------------------------------------------------- what readers fetch


def test_readers_download_the_pack_byte_for_byte(client, publication, built, pack_file):
    url = reverse("evidence-pack", kwargs={"slug": SEED_CLAIM, "number": 1})
    assert url == f"/checks/{SEED_CLAIM}/versions/1/evidence.wacz"

    response = client.get(url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pack_file.read_bytes()
    assert response["Content-Type"] == "application/wacz"
    assert response["Content-Length"] == str(built.size)
    assert response["Content-Disposition"] == (
        f'attachment; filename="{SEED_CLAIM}-v1-evidence.wacz"')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["ETag"] == f'"{built.sha256}"'
    assert response["Repr-Digest"] == (
        "sha-256=:" + base64.b64encode(bytes.fromhex(built.sha256)).decode() + ":")
    assert "public" in response["Cache-Control"] and "no-cache" in response["Cache-Control"]
    assert packs.pack_of(publication) == built
    # Revalidation by its digest.
    assert client.get(url, HTTP_IF_NONE_MATCH=f'"{built.sha256}"').status_code == 304


def test_on_s3_the_pack_is_built_from_and_served_out_of_the_bucket(
    s3_bucket, client, publication, built
):
    stored = s3_bucket.objects()
    key = "archives/" + built.path
    assert key in stored
    assert hashlib.sha256(stored[key]).hexdigest() == built.sha256

    response = client.get(reverse("evidence-pack", kwargs={"slug": SEED_CLAIM, "number": 1}))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == stored[key]
    # Every WARC in it is the bucket's, byte for byte.
    with zipfile.ZipFile(io.BytesIO(stored[key])) as wacz:
        for capture in cited_captures(publication).values():
            assert wacz.read(f"archive/{capture.warc_sha256}.warc.gz") == (
                stored["archives/" + capture.warc_path])


def test_no_pack_is_served_for_what_readers_cannot_see(client, publication, built, fact_checker):
    for path in [f"/checks/{SEED_CLAIM}/versions/2/evidence.wacz",
                 "/checks/no-such-claim/versions/1/evidence.wacz"]:
        assert client.get(path).status_code == 404
    # A claim never published has no pack, whatever its rows.
    draft_claim = Claim.objects.exclude(pk=publication.claim_id).first()
    assert client.get(f"/checks/{draft_claim.slug}/versions/1/evidence.wacz").status_code == 404
    # A published claim back in research: readers still see its publication and its pack.
    reopen(Claim.objects.get(pk=publication.claim_id), by=fact_checker)
    assert client.get(f"/checks/{SEED_CLAIM}/versions/1/evidence.wacz").status_code == 200


def test_the_published_key_is_the_one_that_signs(client, built, signing_key):
    key = signing.current_public_key()

    pem = client.get("/.well-known/evidence-pack-key.pem")
    listed = client.get("/.well-known/evidence-pack-keys.json")

    assert pem.status_code == 200 and pem.content.decode() == key.pem
    assert pem["Content-Type"].startswith("text/plain")
    assert "max-age=3600" in pem["Cache-Control"] and "public" in pem["Cache-Control"]
    assert pem["ETag"] == f'"{key.fingerprint}"'
    public = serialization.load_pem_public_key(pem.content)
    assert public.public_bytes(serialization.Encoding.DER,
                               serialization.PublicFormat.SubjectPublicKeyInfo) == (
        base64.b64decode(built.public_key))
    assert listed.json()["current"] == key.fingerprint
    assert [(k["fingerprint"], k["current"], k["packs"]) for k in listed.json()["keys"]] == [
        (key.fingerprint, True, 1)]


# ---------------------------------------------------------------- the key


def test_create_signing_key_makes_a_private_p384_key_and_refuses_to_overwrite_it(
    settings, tmp_path
):
    path = tmp_path / "var" / "keys" / "evidence-pack.pem"
    settings.EVIDENCE_PACK_SIGNING_KEY_FILE = path
    out = io.StringIO()

    call_command("create_signing_key", stdout=out)

    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    assert isinstance(key, ec.EllipticCurvePrivateKey) and key.curve.name == "secp384r1"
    fingerprint = signing.current_public_key().fingerprint
    assert fingerprint in out.getvalue()
    before = path.read_bytes()
    with pytest.raises(CommandError, match="--rotate"):
        call_command("create_signing_key", stdout=io.StringIO())
    call_command("create_signing_key", "--if-missing", stdout=io.StringIO())
    assert path.read_bytes() == before


def test_a_rotated_key_stays_published_so_older_packs_verify(
    client, built, signing_key, publication, django_capture_on_commit_callbacks
):
    old = signing.current_public_key()

    call_command("create_signing_key", "--rotate", stdout=io.StringIO())

    new = signing.current_public_key()
    retired = signing_key.with_name(f"evidence-pack-{old.fingerprint}.pem")
    assert new != old and retired.stat().st_mode & 0o777 == 0o600
    listed = client.get("/.well-known/evidence-pack-keys.json").json()
    assert listed["current"] == new.fingerprint
    assert [(k["fingerprint"], k["current"], k["packs"]) for k in listed["keys"]] == [
        (new.fingerprint, True, 0), (old.fingerprint, False, 1)]
    assert client.get("/.well-known/evidence-pack-key.pem").content.decode() == new.pem
