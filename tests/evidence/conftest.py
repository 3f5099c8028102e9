import pytest

from evidence.fetch import FetchPolicy
from tests.httpserver import LocalHTTPServer


@pytest.fixture
def http_server():
    """A `LocalHTTPServer` on 127.0.0.1 (not allowlisted by itself), stopped after the test."""
    with LocalHTTPServer() as server:
        yield server


@pytest.fixture
def policy(http_server):
    """A fetch policy that lets the test reach `http_server` and nothing else private."""
    return FetchPolicy(allowlist=frozenset({http_server.host_port}), timeout=2.0)


@pytest.fixture(scope="session")
def s3_server():
    """moto's S3 on 127.0.0.1 (tests/s3.py), one per test process, with fake AWS
    credentials and none of the machine's AWS configuration. It fails, never skips, when
    the server cannot start: the archive storage on S3 must be tested in CI."""
    # Imported here: boto3 and moto take seconds to import, which only these tests pay.
    from tests.s3 import LocalS3Server, fake_aws_environment

    with pytest.MonkeyPatch.context() as patch:
        for name, value in fake_aws_environment().items():
            if value is None:
                patch.delenv(name, raising=False)
            else:
                patch.setenv(name, value)
        with LocalS3Server() as server:
            yield server


@pytest.fixture
def s3_bucket(s3_server, settings):
    """A new bucket of `s3_server` that the `archives` storage writes to, configured as
    the settings configure it for ARCHIVE_STORAGE=s3 (objects under archives/)."""
    bucket = s3_server.create_bucket()
    # Django's setting_changed handler drops the storages it built, so the next
    # storages["archives"] is an S3Storage of this bucket.
    settings.STORAGES = {**settings.STORAGES, "archives": bucket.storage()}
    return bucket
