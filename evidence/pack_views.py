"""What readers fetch of the evidence packs (evidence/packs.py): each publication's signed
WACZ, and the public keys that verify them, under /.well-known/ (RFC 8615).

All three are public: a pack holds only captures its publication cites, which readers may
open anyway (evidence.models.SnapshotQuerySet.public), and what the page showed."""
import base64

from django.db.models import Count, Min
from django.http import Http404, HttpResponse, JsonResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.views.decorators.http import require_safe

from claims import selectors

from . import packs, signing
from .archive_files import download
from .models import EvidencePack

# The key changes only when an operator rotates it, and every pack names its key in
# itself: an hour's caching costs a reader nothing.
KEY_MAX_AGE = 3600


@require_safe
def signing_key(request):
    """The current public key that signs evidence packs, as PEM (what
    `openssl dgst -verify` reads). 404 while no key is configured."""
    key = signing.current_public_key()
    if key is None:
        raise Http404("No evidence-pack signing key is configured.")
    etag = f'"{key.fingerprint}"'
    response = get_conditional_response(request, etag=etag) or HttpResponse(
        key.pem, content_type="text/plain; charset=us-ascii"
    )
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=KEY_MAX_AGE)
    return response


@require_safe
def signing_keys(request):
    """Every key readers may meet in a pack: the current one, the ones rotated out (kept
    beside it by create_signing_key --rotate) and any that signed a pack still served, with
    their SHA-256 fingerprints. A pack signed before a rotation stays verifiable."""
    current = signing.current_public_key()
    used = {
        row["public_key"]: row
        for row in EvidencePack.objects.order_by().values("public_key")
        .annotate(packs=Count("pk"), first_used=Min("built_at"))
    }
    keys = {}
    candidates = ([current] if current else []) + signing.retired_keys()
    candidates += [signing.PublicKey.from_base64(encoded) for encoded in used]
    for key in candidates:
        if key.fingerprint in keys:
            continue
        row = used.get(key.base64, {})
        keys[key.fingerprint] = {
            "fingerprint": key.fingerprint,
            "current": current is not None and key == current,
            "public_key": key.base64,
            "pem": key.pem,
            "packs": row.get("packs", 0),
            "first_used": row.get("first_used"),
        }
    response = JsonResponse({
        "current": current.fingerprint if current else None,
        "keys": list(keys.values()),
    }, json_dumps_params={"indent": 1})
    patch_cache_control(response, public=True, max_age=KEY_MAX_AGE)
    return response


@require_safe
def publication_pack(request, slug, number):
    """The evidence pack of version `number` of the published claim `slug`, as a
    download streamed from the archive storage. 404 when readers cannot see such a
    publication or its pack is not built yet. Revalidated by its SHA-256 (ETag): the
    address keeps its pack until a capture it waited for lands and it is rebuilt."""
    publication = next(
        (p for p in selectors.publications_of(slug) if p.number == number), None
    )
    pack = packs.pack_of(publication) if publication is not None else None
    if pack is None:
        raise Http404("No evidence pack for this version of the verdict (yet).")
    etag = f'"{pack.sha256}"'
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = download(pack.path, filename=f"{slug}-v{number}-evidence.wacz",
                            content_type=packs.MEDIA_TYPE, size=pack.size)
    response["ETag"] = etag
    # RFC 9530: the digest readers check the download against, as the page shows it.
    response["Repr-Digest"] = f"sha-256=:{base64.b64encode(bytes.fromhex(pack.sha256)).decode()}:"
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, public=True, no_cache=True)
    return response
