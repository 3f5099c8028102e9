def test_api_root_links_every_resource_and_the_contract(client, db):
    response = client.get("/api/v1/")
    assert response.status_code == 200
    body = response.json()
    assert set(body["resources"]) == {
        "claims", "claimants", "appearances", "responses", "evidence", "sources",
        "snapshots", "verdicts", "corrections", "reviews", "publications",
    }
    for url in [*body["resources"].values(), body["claimreview"], body["schema"]]:
        path = url.removeprefix("http://testserver")
        assert client.get(path).status_code in (200, 401), path
    assert body["docs"] == "http://testserver/api/v1/docs/"
