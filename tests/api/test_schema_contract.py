"""The OpenAPI contract says what the code does (what tests/api/test_schemathesis.py checks
against the running API): nullable fields, If-Match and ETag, optional credentials on
public reads, every error status, strict request bodies, bounded parameters."""
import pytest

pytestmark = pytest.mark.django_db

PUBLIC_READS = ["/api/v1/", "/api/v1/claims/", "/api/v1/claims/{id}/",
                "/api/v1/claims/{id}/claimreview/", "/api/v1/claimreview/",
                "/api/v1/verdicts/", "/api/v1/verdicts/{id}/", "/api/v1/corrections/",
                "/api/v1/corrections/{id}/", "/api/v1/publications/",
                "/api/v1/publications/{id}/"]


@pytest.fixture
def schema(anon):
    return anon.get("/api/v1/schema/?format=json").json()


def component(schema, ref):
    return schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]


def test_fields_that_can_be_null_say_so(schema):
    props = schema["components"]["schemas"]
    assert props["ClaimList"]["properties"]["assignee"]["nullable"] is True
    assert props["Evidence"]["properties"]["snapshot"]["nullable"] is True
    assert props["Source"]["properties"]["latest_snapshot"]["nullable"] is True
    for name in ("rating", "author", "approver"):
        assert props["Verdict"]["properties"][name]["nullable"] is True, name


def test_updates_need_if_match_and_answers_carry_an_etag(schema):
    for path, operations in schema["paths"].items():
        for method in ("put", "patch"):
            if method in operations:
                headers = {p["name"]: p for p in operations[method]["parameters"]
                           if p["in"] == "header"}
                assert headers["If-Match"]["required"] is True, (method, path)
                assert "ETag" in operations[method]["responses"]["200"]["headers"]
    claim = schema["paths"]["/api/v1/claims/{id}/"]["get"]["responses"]["200"]
    assert claim["headers"]["ETag"]["required"] is True
    created = schema["paths"]["/api/v1/claims/"]["post"]["responses"]["201"]
    assert "ETag" in created["headers"]
    # Reviews and snapshots have no version: no ETag promised.
    assert "headers" not in schema["paths"]["/api/v1/reviews/{id}/"]["get"]["responses"]["200"]


def test_public_reads_take_credentials_optionally(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            optional = {} in operation["security"]
            assert optional == (path in PUBLIC_READS and method == "get"), (method, path)


def test_public_reads_answer_the_desk_or_the_public_shape(schema):
    ok = schema["paths"]["/api/v1/claims/{id}/"]["get"]["responses"]["200"]
    shape = component(schema, ok["content"]["application/json"]["schema"]["$ref"])
    assert [ref["$ref"].rsplit("/", 1)[-1] for ref in shape["anyOf"]] == [
        "ClaimDetail", "PublicClaimDetail"]
    review = schema["paths"]["/api/v1/claims/{id}/claimreview/"]["get"]["responses"]["200"]
    assert "application/ld+json" in review["content"]


def test_every_error_that_can_happen_is_documented(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert {"400", "401", "403", "429"} <= codes, (method, path)
            if "{" in path or (method == "get" and "results" in str(operation)):
                assert "404" in codes, (method, path)
            if method in ("post", "put", "patch"):
                assert {"409", "413", "415"} <= codes, (method, path)
            if method in ("put", "patch"):
                assert {"412", "428"} <= codes, (method, path)
    # An invalid page or cursor is a 404.
    assert "404" in schema["paths"]["/api/v1/claimants/"]["get"]["responses"]
    assert "404" in schema["paths"]["/api/v1/claims/"]["get"]["responses"]


def test_request_bodies_take_only_their_fields(schema):
    requests = {name: c for name, c in schema["components"]["schemas"].items()
                if name.endswith("Request")}
    assert len(requests) >= 10
    for name, body in requests.items():
        assert body["additionalProperties"] is False, name
    aliases = requests["ClaimantRequest"]["properties"]["aliases"]
    assert aliases["type"] == "array" and aliases["items"]["type"] == "string"
    assert "claim" not in requests["PatchedAppearanceUpdateRequest"]["properties"]
    assert "claim" not in requests["PatchedVerdictUpdateRequest"]["properties"]


def test_parameters_are_bounded_as_the_api_checks_them(schema):
    params = {p["name"]: p["schema"] for p in
              schema["paths"]["/api/v1/appearances/"]["get"]["parameters"]}
    assert params["claim"] == {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}
    assert params["page_size"]["minimum"] == 1 and params["page_size"]["maximum"] == 200
    url = schema["components"]["schemas"]["EvidenceCreateRequest"]["properties"]["url"]
    assert url["pattern"].startswith("^https?://") and url["maxLength"] == 2000
