"""The publisher's key that signs evidence packs (WACZ Signing and Verification 0.1.0,
"anonymous signature"), and its public half as readers fetch it.

One ECDSA P-384 key, the curve ArchiveWeb.page signs with, kept as an unencrypted PKCS#8
PEM file at ``settings.EVIDENCE_PACK_SIGNING_KEY_FILE`` (mode 0600), made by
``manage.py create_signing_key``. Rotating it keeps the old file beside the new one, named
by its fingerprint (`retired_key_files`), so the public keys of older packs can still be
published.

A signature is ECDSA with SHA-256 over the ASCII bytes of the signed hash string
("sha256:<hex>"), encoded as the two 48-byte integers r and s side by side (IEEE P1363),
then base64. That is what WebCrypto produces and accepts, so what ArchiveWeb.page writes
and ReplayWeb.page verifies: a DER signature would be reported invalid there. OpenSSL
wants DER; `der_signature` converts, and docs/archiving.md shows readers how with the
openssl command alone.
"""
from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

__all__ = [
    "CURVE", "PublicKey", "SigningKeyMissing", "create_key", "current_public_key",
    "der_signature", "key_file", "load_private_key", "public_key_of", "retired_key_files",
    "retired_keys", "sign",
]

CURVE = ec.SECP384R1()
# Bytes of each of r and s in a P-384 signature (the curve's order is 384 bits).
_INTEGER_BYTES = 48
CREATE_COMMAND = "python manage.py create_signing_key"


class SigningKeyMissing(ImproperlyConfigured):
    """There is no signing key where the settings say: nothing can be signed."""


@dataclass(frozen=True)
class PublicKey:
    """A public key as packs carry it (SPKI DER) and as readers fetch it (PEM)."""

    der: bytes

    @classmethod
    def from_base64(cls, text: str) -> PublicKey:
        return cls(base64.b64decode(text, validate=True))

    @property
    def base64(self) -> str:
        """The base64 SPKI DER: a signed pack's ``signedData.publicKey``."""
        return base64.b64encode(self.der).decode("ascii")

    @property
    def pem(self) -> str:
        return serialization.load_der_public_key(self.der).public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ).decode("ascii")

    @property
    def fingerprint(self) -> str:
        """Hex SHA-256 of the SPKI DER, what
        ``openssl pkey -pubin -in key.pem -outform DER | sha256sum`` prints."""
        return hashlib.sha256(self.der).hexdigest()


def public_key_of(private_key: ec.EllipticCurvePrivateKey) -> PublicKey:
    """The public half of `private_key`."""
    return PublicKey(private_key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    ))


def key_file() -> Path:
    return Path(settings.EVIDENCE_PACK_SIGNING_KEY_FILE)


def load_private_key(path: Path | None = None) -> ec.EllipticCurvePrivateKey:
    """The signing key at `path` (the settings' file by default).

    Raises SigningKeyMissing, naming the command that creates it, when there is none;
    ValueError when the file holds something else than an unencrypted P-384 key."""
    path = path or key_file()
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SigningKeyMissing(
            f"No evidence-pack signing key at {path}: create it with `{CREATE_COMMAND}` "
            "(or point EVIDENCE_PACK_SIGNING_KEY_FILE at the key)."
        ) from None
    return _cached_key(str(path), data)


@lru_cache(maxsize=16)
def _cached_key(path: str, data: bytes) -> ec.EllipticCurvePrivateKey:
    # Parsing a PEM key costs a little; the web process asks for the public key on every
    # well-known request. Keyed by the file's bytes, so a rotated key is read afresh.
    key = serialization.load_pem_private_key(data, password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != CURVE.name:
        raise ValueError(f"{path} is not an ECDSA {CURVE.name} private key.")
    return key


def current_public_key() -> PublicKey | None:
    """The public key of the settings' signing key, or None when there is no key file."""
    try:
        return public_key_of(load_private_key())
    except SigningKeyMissing:
        return None


def sign(hash_text: str, private_key: ec.EllipticCurvePrivateKey) -> tuple[str, PublicKey]:
    """(base64 signature, public key) of `hash_text` ("sha256:<hex>") signed with
    `private_key`: ECDSA, SHA-256, r and s as 48 bytes each (see the module docstring)."""
    der = private_key.sign(hash_text.encode("ascii"), ec.ECDSA(hashes.SHA256()))
    r, s = decode_dss_signature(der)
    raw = r.to_bytes(_INTEGER_BYTES, "big") + s.to_bytes(_INTEGER_BYTES, "big")
    return base64.b64encode(raw).decode("ascii"), public_key_of(private_key)


def der_signature(signature: str) -> bytes:
    """A pack's base64 r||s `signature` as DER, the form `openssl dgst -verify` reads.
    Raises ValueError when it is not a P-384 signature's length."""
    raw = base64.b64decode(signature, validate=True)
    if len(raw) != 2 * _INTEGER_BYTES:
        raise ValueError(f"A P-384 signature has {2 * _INTEGER_BYTES} bytes, not {len(raw)}.")
    return encode_dss_signature(int.from_bytes(raw[:_INTEGER_BYTES], "big"),
                                int.from_bytes(raw[_INTEGER_BYTES:], "big"))


def retired_key_files(path: Path | None = None) -> list[Path]:
    """The keys `create_key(rotate=True)` retired from beside `path`, oldest first."""
    path = path or key_file()
    found = path.parent.glob(f"{path.stem}-*{path.suffix}") if path.parent.is_dir() else []
    return sorted(found, key=lambda p: (p.stat().st_mtime, p.name))


def retired_keys(path: Path | None = None) -> list[PublicKey]:
    """The public keys of the retired key files beside `path`."""
    return [public_key_of(load_private_key(retired)) for retired in retired_key_files(path)]


def create_key(path: Path | None = None, *, rotate: bool = False) -> tuple[PublicKey, Path | None]:
    """Create a new P-384 signing key at `path` (the settings' file by default): parent
    folders made (0700), the file written 0600 and never over another. Returns (its public
    key, where the key it replaced now is, or None).

    With `rotate`, an existing key is first renamed to ``<stem>-<fingerprint><suffix>``
    beside it, so that the packs it signed stay verifiable. Without it, an existing key
    raises FileExistsError."""
    path = path or key_file()
    retired = None
    if path.exists():
        if not rotate:
            raise FileExistsError(path)
        old = public_key_of(load_private_key(path))
        retired = path.with_name(f"{path.stem}-{old.fingerprint}{path.suffix}")
        path.rename(retired)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = ec.generate_private_key(CURVE)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    # O_EXCL: two commands racing never overwrite each other's key; 0600 from the start,
    # never readable by others for a moment.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(pem)
    return public_key_of(key), retired
