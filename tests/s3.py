"""A real S3-compatible server on 127.0.0.1 (moto in server mode) for the archive storage's
tests: the archiver talks HTTP to it through django-storages and boto3 as it would to a
bucket in production, and never reaches the internet or an AWS account.

    with LocalS3Server() as s3:
        bucket = s3.create_bucket()
        settings.STORAGES = {**settings.STORAGES, "archives": bucket.storage()}
        bucket.objects()  # {key: bytes} of what the code under test wrote

`Bucket.storage()` is the STORAGES entry the settings build for ARCHIVE_STORAGE=s3
(factcheck.settings.s3_archive_storage), pointed at this server. Buckets are versioned,
so `Bucket.versions()` shows every write, including one that replaced an object with the
same bytes. The `s3_server` and `s3_bucket` fixtures in tests/evidence/conftest.py start
one server per test process and give each test its own bucket.
"""

from __future__ import annotations

import logging
import os
import threading
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from typing import Self

import boto3
from botocore.config import Config
from moto.server import ThreadedMotoServer

from factcheck.settings import s3_archive_storage

__all__ = ["Bucket", "LocalS3Server", "fake_aws_environment"]

# moto accepts any keys; these make it plain that no real account is involved.
ACCESS_KEY = "test-access-key-not-aws"
SECRET_KEY = "test-secret-key-not-aws"  # noqa: S105 (moto's, fake)
REGION = "us-east-1"
START_TIMEOUT = 30.0


def fake_aws_environment() -> dict[str, str | None]:
    """Environment changes (None: unset) that keep a developer's or CI's AWS setup out of
    the tests: fake keys instead of real ones, no profile, region, config or credentials
    file (one could set an endpoint, a region, an addressing style), no proxy for
    loopback. The archive storage runs with what its settings give it, nothing more."""
    no_proxy = ",".join(filter(None, [os.environ.get("NO_PROXY", ""), "127.0.0.1"]))
    return {
        "AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
        "AWS_SESSION_TOKEN": None, "AWS_SECURITY_TOKEN": None, "AWS_PROFILE": None,
        "AWS_DEFAULT_PROFILE": None, "AWS_DEFAULT_REGION": None, "AWS_REGION": None,
        "AWS_ENDPOINT_URL": None, "AWS_ENDPOINT_URL_S3": None,
        "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_EC2_METADATA_DISABLED": "true", "NO_PROXY": no_proxy, "no_proxy": no_proxy,
    }


class LocalS3Server:
    """moto's S3 on an ephemeral port of 127.0.0.1, in a thread of this process."""

    def __init__(self) -> None:
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        self.endpoint_url = ""

    def start(self) -> Self:
        """Start the server; raises RuntimeError if it is not serving within 30 s."""
        # Werkzeug logs every request at INFO to stderr: the test reports would drown in it.
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        # ThreadedMotoServer.start() waits, without a timeout, for a server that a failed
        # bind never makes: wait for it from here instead, so that a broken start fails.
        starting = threading.Thread(target=self._server.start, daemon=True)
        starting.start()
        starting.join(START_TIMEOUT)
        if starting.is_alive():
            raise RuntimeError(f"moto's S3 server did not start within {START_TIMEOUT:.0f} s")
        host, port = self._server.get_host_and_port()
        self.endpoint_url = f"http://{host}:{port}"
        return self

    def stop(self) -> None:
        self._server.stop()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def client(self):
        """A boto3 S3 client of this server, with the fake keys."""
        return boto3.client(
            "s3", endpoint_url=self.endpoint_url, aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY, region_name=REGION,
            config=Config(s3={"addressing_style": "path"}),
        )

    def create_bucket(self) -> Bucket:
        """A new, empty, versioned bucket with a name of its own."""
        bucket = Bucket(self, f"archives-{uuid.uuid4().hex[:12]}")
        client = self.client()
        client.create_bucket(Bucket=bucket.name)
        client.put_bucket_versioning(
            Bucket=bucket.name, VersioningConfiguration={"Status": "Enabled"}
        )
        return bucket


@dataclass(frozen=True)
class Bucket:
    """One bucket of a LocalS3Server, and what is in it."""

    server: LocalS3Server
    name: str

    def storage(self, prefix: str = "archives") -> dict:
        """STORAGES["archives"] as the settings build it for ARCHIVE_STORAGE=s3."""
        return s3_archive_storage(
            bucket=self.name, endpoint_url=self.server.endpoint_url, access_key=ACCESS_KEY,
            secret_key=SECRET_KEY, prefix=prefix,
        )

    def objects(self) -> dict[str, bytes]:
        """Every object's current bytes, by key."""
        client = self.server.client()
        listed = client.list_objects_v2(Bucket=self.name).get("Contents", [])
        return {
            item["Key"]: client.get_object(Bucket=self.name, Key=item["Key"])["Body"].read()
            for item in listed
        }

    def versions(self) -> list[tuple[str, str]]:
        """(key, version id) of every write and delete so far, sorted."""
        answer = self.server.client().list_object_versions(Bucket=self.name)
        entries = answer.get("Versions", []) + answer.get("DeleteMarkers", [])
        return sorted((entry["Key"], entry["VersionId"]) for entry in entries)

    def put(self, key: str, body: bytes) -> None:
        self.server.client().put_object(Bucket=self.name, Key=key, Body=body)

    def grants(self, key: str) -> list[tuple[str, str]]:
        """(grantee type, permission) of every grant on the object ``key``."""
        acl = self.server.client().get_object_acl(Bucket=self.name, Key=key)
        return [(grant["Grantee"]["Type"], grant["Permission"]) for grant in acl["Grants"]]

    def anonymous_get(self, key: str) -> int:
        """The HTTP status an unsigned GET of ``key`` gets: what anyone on the net would."""
        url = f"{self.server.endpoint_url}/{self.name}/{key}"
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (loopback)
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
