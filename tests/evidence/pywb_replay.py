"""Replay and read WARCs with pywb and FastWARC, for tests/evidence/test_replay.py.

Runs under ``.venv-replay/bin/python`` (requirements-replay.txt), never the project's own
virtualenv: pywb pins a redis that Celery cannot use. It imports nothing of the project
and judges nothing itself; it reports what the outside tools did, and the test asserts.

    pywb_replay.py JOB.json RESULT.json

JOB holds ``work_dir`` (an empty folder for pywb's collection), ``warcs`` (paths),
``replays`` (``{"url", "timestamp"}``: what to ask pywb for), and ``timeout`` (seconds
any one replay request may take). RESULT gets:

* ``index``: the CDXJ lines pywb's own indexer (wb-manager's) wrote for the WARCs;
* ``replays``: for each replay, the chain of answers pywb gave in raw ``id_`` mode,
  following each redirect's Location against the archived URL, as a reader of the
  archive would: status, headers, body (base64), seconds, and whether it timed out;
* ``fastwarc``: for each WARC, every record FastWARC reads (type, target URI, record
  id, whether its block and payload digests verify), and the record ids its
  digest-verifying iterator lets through.
"""

# pywb runs its index server in a greenlet and fetches records from it over a socket:
# both ends need gevent's sockets, so patching comes before any other import (as in
# pywb's own wayback.py), hence the file-wide E402.
# ruff: noqa: E402
from gevent import monkey

monkey.patch_all()

import base64
import json
import os
import sys
import time
from pathlib import Path
from urllib.parse import urljoin

import gevent
from fastwarc.warc import ArchiveIterator
from pywb.apps.frontendapp import FrontEndApp
from pywb.manager.manager import CollectionsManager
from werkzeug.test import Client

COLLECTION = "evidence"
MAX_REDIRECTS = 10


def main(job_path: str, result_path: str) -> None:
    job = json.loads(Path(job_path).read_text())
    result_file = Path(result_path).resolve()  # before pywb's chdir below
    os.chdir(job["work_dir"])
    # pywb reads ./config.yaml; an empty one keeps its defaults (collections/ here).
    Path("config.yaml").write_text("debug: false\n")
    manager = CollectionsManager(COLLECTION, colls_dir="collections", must_exist=False)
    manager.add_collection()
    manager.add_archives(job["warcs"])
    index = Path("collections", COLLECTION, "indexes", "index.cdxj").read_text().splitlines()

    client = Client(FrontEndApp())
    replays = [
        replay(client, item["url"], item["timestamp"], job["timeout"]) for item in job["replays"]
    ]
    result = {
        "index": index,
        "replays": replays,
        "fastwarc": {path: read_with_fastwarc(path) for path in job["warcs"]},
    }
    result_file.write_text(json.dumps(result))


def replay(client: Client, url: str, timestamp: str, timeout: float) -> list[dict]:
    """Ask pywb for ``url`` as archived at ``timestamp``, following redirects."""
    chain = []
    for _ in range(MAX_REDIRECTS):
        answer = fetch_raw(client, url, timestamp, timeout)
        chain.append(answer)
        location = dict(answer["headers"]).get("Location")
        if answer["timed_out"] or not 300 <= answer["status"] < 400 or not location:
            break
        # Raw mode leaves Location as the site sent it: resolve it as the site's reader did.
        url = urljoin(url, location)
    return chain


def fetch_raw(client: Client, url: str, timestamp: str, timeout: float) -> dict:
    started = time.monotonic()
    answer = {"url": url, "status": None, "headers": [], "body": "", "timed_out": False}
    try:
        with gevent.Timeout(timeout):
            # A browser's Accept-Encoding: pywb then serves an encoded body as stored.
            response = client.get(
                f"/{COLLECTION}/{timestamp}id_/{url}",
                headers={"Accept-Encoding": "gzip, deflate, br"},
            )
            body = response.get_data()
        answer.update(
            status=response.status_code,
            headers=list(response.headers.items()),
            body=base64.b64encode(body).decode("ascii"),
        )
    except gevent.Timeout:
        answer["timed_out"] = True
    answer["seconds"] = time.monotonic() - started
    return answer


def read_with_fastwarc(path: str) -> dict:
    """Every record FastWARC finds in ``path``, with its digests checked.

    Each digest is verified in its own pass because verifying consumes the record:
    the block digest over the unparsed record, the payload digest (HTTP records only,
    FastWARC's rule) after parsing the HTTP head.
    """
    with open(path, "rb") as stream:
        records = [
            {
                "type": str(record.record_type),
                "target_uri": record.headers.get("WARC-Target-URI"),
                "record_id": record.record_id,
                "block_digest_ok": (
                    record.verify_block_digest()
                    if record.headers.get("WARC-Block-Digest") else None
                ),
            }
            for record in ArchiveIterator(stream, parse_http=False)
        ]
    with open(path, "rb") as stream:
        for entry, record in zip(records, ArchiveIterator(stream, parse_http=True), strict=True):
            has_digest = record.headers.get("WARC-Payload-Digest")
            entry["payload_digest_ok"] = (
                record.verify_payload_digest() if record.is_http and has_digest else None
            )
    with open(path, "rb") as stream:
        verified = [
            record.record_id for record in ArchiveIterator(stream, verify_digests=True)
        ]
    return {"records": records, "verified_record_ids": verified}


if __name__ == "__main__":
    main(*sys.argv[1:])
