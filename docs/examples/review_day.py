"""A review team's day against the API, as a script (see docs/api.md), on the seed case
with the demo accounts `make run` creates; `python manage.py issue_token checker` prints
the fact-checker's token, and so on:

    CHECKER_TOKEN=... REVIEWER_TOKEN=... EDITOR_TOKEN=... python docs/examples/review_day.py

FACTCHECK_API names another server (default: make run's, http://127.0.0.1:8000/api/v1).
"""
import os

import httpx

API = os.environ.get("FACTCHECK_API", "http://127.0.0.1:8000/api/v1")


def client(token_variable=None):
    headers = {"Authorization": f"Token {os.environ[token_variable]}"} if token_variable else {}
    return httpx.Client(base_url=API, headers=headers, timeout=10)


checker, reviewer, editor, public = (client("CHECKER_TOKEN"), client("REVIEWER_TOKEN"),
                                     client("EDITOR_TOKEN"), client())

# Morning: the fact-checker's queue, and a search across everything.
queue = checker.get("/claims/", params={"state": "researching"}).json()["results"]
print("researching:", [c["slug"] for c in queue])
hits = checker.get("/claims/", params={"q": "Yusov"}).json()["results"]
print("search 'Yusov':", [c["slug"] for c in hits])

# One request gives everything about the claim; its ETag guards the edits.
claim = queue[0]
detail = checker.get(f"/claims/{claim['id']}/")
etag = detail.headers["ETag"]
print("evidence:", len(detail.json()["evidence"]), "| verdict:",
      detail.json()["verdict"]["rating"]["slug"], "| moves:", detail.json()["allowed_moves"])
edited = checker.patch(f"/claims/{claim['id']}/", json={"internal_note": "Call the MFA"},
                     headers={"If-Match": etag})
print("edit with If-Match:", edited.status_code)
stale = checker.patch(f"/claims/{claim['id']}/", json={"priority": 4},
                    headers={"If-Match": etag})
print("edit with a stale ETag:", stale.status_code, stale.json()["title"])

# Cite a source (archived in the background) and tighten the verdict.
evidence = checker.post("/evidence/", json={
    "claim": claim["id"], "url": "https://www.ohchr.org/en/press-releases/2024/08/mali",
    "stance": "context", "summary": "UN account of the July 2024 fighting"})
print("evidence:", evidence.status_code, evidence.json()["source"]["status"])
verdict_id = detail.json()["verdict"]["id"]
verdict = checker.get(f"/verdicts/{verdict_id}/")
saved = checker.patch(f"/verdicts/{verdict_id}/", json={"headline": "No evidence offered"},
                    headers={"If-Match": verdict.headers["ETag"]})
print("verdict saved:", saved.status_code, saved.json()["status"])

# Submit; the reviewer sends it back; the fact-checker reads why and resubmits.
moved = checker.post(f"/claims/{claim['id']}/transition/", json={"to": "in_review"})
print("submitted:", moved.json())
reviewer.post("/reviews/", json={"verdict": verdict_id, "kind": "request_changes",
                             "body": "Quote the MFA denial in the summary."})
for review in checker.get("/reviews/", params={"verdict": verdict_id}).json()["results"]:
    print(f"review by {review['reviewer']['username']}: {review['kind']}: {review['body']}")
checker.post(f"/claims/{claim['id']}/transition/", json={"to": "in_review"})

# Only an Editor publishes, and never their own verdict (409 names the rule otherwise).
refused = checker.post(f"/claims/{claim['id']}/transition/", json={"to": "published"})
print("fact-checker publishing:", refused.status_code, refused.json().get("rule"))
published = editor.post(f"/claims/{claim['id']}/transition/", json={"to": "published"})
print("editor publishing:", published.json())

# What readers and search engines get.
review = public.get(f"/claims/{claim['id']}/claimreview/").json()
print("ClaimReview:", review["reviewRating"]["alternateName"], "-", review["claimReviewed"][:60])
print("public feed:", public.get("/claimreview/").json()["count"], "published")
print("anonymous on reviews:", public.get("/reviews/").status_code)
