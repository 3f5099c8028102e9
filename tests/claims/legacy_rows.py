"""Rows as the desk kept them before publications existed (claims 0008, evidence 0002): a
fixed set of claims, verdicts, their history and everything readers see of them, with fixed
primary keys and timestamps, so that what readers were shown can be compared before and
after the data migration that turns published verdicts into publications.

`build(get_model)` writes them with the model classes `get_model` returns: the real models,
or the historical ones of a migration state (`apps.get_model`), which have no services, no
custom managers and no methods. That is why this module writes publication fields by hand
(tests/test_test_data.py): the workflow cannot run on a migration state, and the legacy
rows it must reproduce are the ones the old workflow left behind. Every row goes in with
bulk_create, which sends no signals, so the real models write no history of their own and
both kinds of model leave the same rows: the verdicts' history is written here, as the old
workflow's saves left it.

Three claims (primary keys from 9001):
- PUBLISHED (claim 9001): published, republished after a correction of its rating;
- REOPENED (claim 9002): published once, then reopened for research and edited: readers
  see it as last published, without the draft correction and the appearance recorded since;
- UNPUBLISHED (claim 9003): in review, never published: readers never see it.
The rating scale has five steps, -2 to 2, the step 0 ("Unproven") retired.
"""
from datetime import UTC, date, datetime
from uuid import UUID

PUBLISHED = "yusov-rebels-received-necessary-information"
REOPENED = "ukraine-supports-terrorism-in-africa"
UNPUBLISHED = "mali-niger-cut-ties-with-ukraine-august-2024"

ARTICLE_URL = (
    "https://euromaidanpress.com/2024/08/20/"
    "african-juntas-accuse-ukraine-of-alleged-terrorism-support-in-letter-to-un/"
)


def at(day, hour, minute=0):
    """A fixed moment of March 2025, in UTC."""
    return datetime(2025, 3, day, hour, minute, tzinfo=UTC)


# The claim PUBLISHED: first published, corrected, published again.
A_CREATED = at(2, 9)
A_FIRST_PUBLISHED = at(3, 14)
A_CORRECTED = at(5, 10)
A_REPUBLISHED = at(6, 15, 30)
# The claim REOPENED: published once, reopened, then its verdict edited.
B_CREATED = at(2, 12)
B_PUBLISHED = at(4, 16)
B_REOPENED = at(7, 10)
B_EDITED = at(7, 11)
# The claim UNPUBLISHED: submitted for review.
C_CREATED = at(8, 8)
C_SUBMITTED = at(8, 9)

A_ANALYSIS_FIRST = """## What was said

Andriy Yusov, speaking for Ukraine's military intelligence, said on Ukrainian television that
the rebels "received the necessary information".

We found nothing else on what was shared."""

A_ANALYSIS = """## What was said

Andriy Yusov, speaking for <abbr title="Defence Intelligence of Ukraine">HUR</abbr>, said on
Ukrainian television that the rebels "received the necessary information ... which allowed
them to conduct a successful military operation".

## What it does not show

- what information was shared, or when;
- whether anyone in Kyiv *ordered* it;
- any **document** backing the remark.

Ukraine's foreign ministry [denied any involvement](https://example.org/mfa-ukraine/statement)
on 5 August 2024.

### Why the rating changed

1. Our first rating missed the remark itself.
2. The denial came after it."""

A_SUMMARY_FIRST = "No one has shown what, if anything, was shared with the rebels."
A_SUMMARY = (
    "Ukraine’s military intelligence spokesperson said so on television; Kyiv’s foreign "
    "ministry later denied it & no document shows what was shared (<i>none</i> so far)."
)
A_HEADLINE = "Said on TV by Kyiv’s own spokesperson & denied by its diplomats"

B_HEADLINE = "No evidence offered: the accusation rests on a TV remark"
B_SUMMARY = (
    "The letter of the Alliance of Sahel States to the UN Security Council offers no "
    "evidence that Ukraine supports terrorism in Africa.\n\nUkraine denied it."
)
B_ANALYSIS = """## The letter

The three governments ask the Security Council to "take responsibility" but cite only a
remark made on [Ukrainian television](https://example.org/tv/2024-07-29).

## The denial

Ukraine's foreign ministry called Mali's break of relations "short-sighted"."""
# What the desk wrote after reopening the claim REOPENED: readers must never see it.
B_HEADLINE_DRAFT = "WIP-HEADLINE-b: revised headline, not published"
B_SUMMARY_DRAFT = "WIP-SUMMARY-b: revised summary, not published."
B_ANALYSIS_DRAFT = "## WIP-ANALYSIS-b\n\nNot published."
B_CORRECTION_DRAFT = "WIP-CORRECTION-b: a correction drafted after the last publication."
B_APPEARANCE_DRAFT = "WIP-APPEARANCE-b: recorded after the last publication"

A_CORRECTION = (
    "We first rated this claim “Unproven”. Yusov’s own remark, which we had missed, "
    "supports it in part: we changed the rating to “Mostly true” and the summary."
)


def _stamp(model, times):
    """Force the timestamps of rows written by bulk_create (auto_now and auto_now_add
    fields take the time of the write): `times` maps a primary key to {field: value}."""
    for pk, fields in times.items():
        model.objects.filter(pk=pk).update(**fields)


def _search_text(*parts):
    """The claim's search text as claims.services.refresh_search_text wrote it."""
    return "\n".join(dict.fromkeys(p for p in parts if p))


def build(get_model):
    """Write the legacy rows with the models `get_model(app_label, model_name)` returns."""
    User = get_model("auth", "User")
    Rating = get_model("claims", "Rating")
    Tag = get_model("claims", "Tag")
    Claimant = get_model("claims", "Claimant")
    Claim = get_model("claims", "Claim")
    Appearance = get_model("claims", "Appearance")
    Response = get_model("claims", "Response")
    ClaimRelation = get_model("claims", "ClaimRelation")
    Verdict = get_model("claims", "Verdict")
    HistoricalVerdict = get_model("claims", "HistoricalVerdict")
    Correction = get_model("claims", "Correction")
    Source = get_model("evidence", "Source")
    Snapshot = get_model("evidence", "Snapshot")
    Evidence = get_model("evidence", "Evidence")

    # ------------------------------------------------------------ people
    joined = at(1, 8)
    User.objects.bulk_create([
        User(pk=9001, username="fiona", first_name="Fiona", last_name="Okafor",
             date_joined=joined),
        User(pk=9002, username="edith", first_name="Edith", last_name="Mensah",
             date_joined=joined),
        User(pk=9003, username="felix", first_name="Félix", last_name="Traoré",
             date_joined=joined),
        # No name: pages show the username.
        User(pk=9004, username="eric", date_joined=joined),
    ])
    fiona, edith, felix, eric = 9001, 9002, 9003, 9004

    # ------------------------------------------------------------ the rating scale
    Rating.objects.bulk_create([
        Rating(pk=9001, slug="true", name="True", value=2, colour="#1b7f3b",
               description="The claim is accurate."),
        Rating(pk=9002, slug="mostly-true", name="Mostly true", value=1, colour="#4d8f2a",
               description="The claim is accurate but needs context."),
        # Retired: no longer on the scale, still named by a correction.
        Rating(pk=9003, slug="unproven", name="Unproven", value=0, colour="#5b5f97",
               description="Nobody could show it either way.", is_active=False),
        Rating(pk=9004, slug="misleading", name="Misleading", value=-1, colour="#b35900",
               description="Accurate elements that leave a false impression."),
        Rating(pk=9005, slug="false", name="False", value=-2, colour="#b3261e",
               description="The claim is inaccurate."),
    ])
    true, mostly_true, unproven, false = 9001, 9002, 9003, 9005

    Tag.objects.bulk_create([
        Tag(pk=9001, slug="sahel", name="Sahel"),
        Tag(pk=9002, slug="ukraine", name="Ukraine"),
        Tag(pk=9003, slug="mali", name="Mali"),
        # Only on the unpublished claim: never a filter readers see.
        Tag(pk=9004, slug="diplomacy", name="Diplomacy"),
    ])

    # ------------------------------------------------------------ claimants
    Claimant.objects.bulk_create([
        Claimant(pk=9001, slug="alliance-of-sahel-states", name="Alliance of Sahel States",
                 kind="organisation", aliases=["AES", "Alliance des États du Sahel"],
                 description="Burkina Faso, Mali and Niger.", created_by_id=fiona,
                 updated_by_id=fiona),
        Claimant(pk=9004, slug="defence-intelligence-of-ukraine",
                 name="Defence Intelligence of Ukraine", kind="government", aliases=["HUR"],
                 created_by_id=fiona, updated_by_id=fiona),
        Claimant(pk=9005, slug="ministry-of-foreign-affairs-of-ukraine",
                 name="Ministry of Foreign Affairs of Ukraine", kind="government",
                 created_by_id=fiona, updated_by_id=fiona),
        # Only on the unpublished claim.
        Claimant(pk=9006, slug="euromaidan-press", name="Euromaidan Press", kind="outlet",
                 same_as=["https://euromaidanpress.com/"], created_by_id=fiona,
                 updated_by_id=fiona),
    ])
    Claimant.objects.bulk_create([
        Claimant(pk=9002, slug="government-of-mali", name="Government of Mali",
                 kind="government", organisation_id=9001,
                 same_as=["https://en.wikipedia.org/wiki/Government_of_Mali"],
                 description="Military government; member of the AES.", created_by_id=fiona,
                 updated_by_id=fiona),
        Claimant(pk=9003, slug="andriy-yusov", name="Andriy Yusov", kind="person",
                 organisation_id=9004, description="Spokesperson of Ukraine's military "
                 "intelligence.", created_by_id=fiona, updated_by_id=fiona),
    ])
    aes, mali, yusov, mfa, outlet = 9001, 9002, 9003, 9005, 9006
    _stamp(Claimant, {pk: {"created_at": at(1, 9), "updated_at": at(1, 9)}
                      for pk in range(9001, 9007)})

    # ------------------------------------------------------------ sources and captures
    Source.objects.bulk_create([
        Source(pk=9001, url=ARTICLE_URL, canonical_url=ARTICLE_URL,
               title="African juntas accuse Ukraine of alleged “terrorism support” in letter "
               "to UN", publisher="Euromaidan Press", status="archived", attempts=1,
               last_attempt_at=at(1, 10, 5), archived_at=at(1, 10, 5),
               last_checked_at=at(1, 10, 5)),
        # Never archived: the fetch failed.
        Source(pk=9002, url="https://example.org/mfa-ukraine/statement",
               canonical_url="https://example.org/mfa-ukraine/statement",
               title="Statement of the Ministry of Foreign Affairs of Ukraine", status="failed",
               attempts=3, last_error="Connection timed out", last_attempt_at=at(1, 11)),
        Source(pk=9003, url="https://example.org/tv/2024-07-29?utm_source=desk",
               canonical_url="https://example.org/tv/2024-07-29", title="", publisher="",
               status="archived", attempts=1, last_attempt_at=at(1, 10, 10),
               archived_at=at(1, 10, 10), last_checked_at=at(1, 10, 10)),
        # Cited only by an appearance recorded after the last publication.
        Source(pk=9004, url="https://example.org/aes/press-conference",
               canonical_url="https://example.org/aes/press-conference",
               title="WIP-SOURCE-b", status="pending"),
    ])
    Snapshot.objects.bulk_create([
        Snapshot(pk=9001, source_id=9001, fetch_id=UUID("00000000-0000-4000-8000-000000009001"),
                 fetched_at=at(1, 10, 5), final_url=ARTICLE_URL, http_status=200,
                 content_type="text/html; charset=utf-8", payload_size=48213, text_size=5120,
                 payload_sha256="a" * 64, text_sha256="b" * 64,
                 warc_path="warc/2025/03/01/9001.warc.gz", text_path="text/2025/03/01/9001.txt",
                 title="African juntas accuse Ukraine of alleged “terrorism support” in letter "
                 "to UN", author="Euromaidan Press", published_date="2024-08-20",
                 language="en"),
        Snapshot(pk=9002, source_id=9003, fetch_id=UUID("00000000-0000-4000-8000-000000009002"),
                 fetched_at=at(1, 10, 10), final_url="https://example.org/tv/2024-07-29",
                 http_status=200, content_type="text/html", payload_size=1024, text_size=256,
                 payload_sha256="c" * 64, text_sha256="d" * 64,
                 warc_path="warc/2025/03/01/9002.warc.gz", text_path="text/2025/03/01/9002.txt",
                 language="uk"),
    ])
    Source.objects.filter(pk=9001).update(latest_snapshot_id=9001)
    Source.objects.filter(pk=9003).update(latest_snapshot_id=9002)
    _stamp(Source, {
        9001: {"created_at": at(1, 10), "updated_at": at(1, 10, 5)},
        9002: {"created_at": at(1, 10, 1), "updated_at": at(1, 11)},
        9003: {"created_at": at(1, 10, 2), "updated_at": at(1, 10, 10)},
        9004: {"created_at": at(7, 10, 30), "updated_at": at(7, 10, 30)},
    })
    _stamp(Snapshot, {9001: {"created_at": at(1, 10, 5)}, 9002: {"created_at": at(1, 10, 10)}})

    # ------------------------------------------------------------ claims
    a_text = ("Ukrainian military intelligence gave Tuareg rebels in Mali the information that "
              "allowed them to conduct a successful operation against Wagner in July 2024.")
    b_text = ("Ukraine supports terrorism in Africa: it backed the rebels who attacked Wagner "
              "mercenaries and Malian troops in northern Mali in July 2024.")
    c_text = "Mali cut diplomatic ties with Ukraine on 5 August 2024, and Niger did the next day."
    a_quote = ("the rebels received the necessary information and not just information, which "
               "allowed them to conduct a successful military operation")
    Claim.objects.bulk_create([
        Claim(pk=9001, slug=PUBLISHED, text=a_text, language="en", priority=3,
              state="published", evidence_status="mixed", created_by_id=fiona,
              updated_by_id=edith,
              search_text=_search_text(a_text, a_quote, "Andriy Yusov", "Government of Mali")),
        Claim(pk=9002, slug=REOPENED, text=b_text, language="en", priority=3,
              state="researching", evidence_status="none_offered", created_by_id=felix,
              updated_by_id=edith, internal_note="INTERNAL-NOTE-b: never shown to readers",
              search_text=_search_text(
                  b_text, B_APPEARANCE_DRAFT, "terrorism in Africa", "take responsibility",
                  "Alliance of Sahel States", "Government of Mali", "AES",
                  "Alliance des États du Sahel")),
        Claim(pk=9003, slug=UNPUBLISHED, text=c_text, language="en", priority=2,
              state="in_review", evidence_status="supported", created_by_id=fiona,
              updated_by_id=fiona, assignee_id=fiona,
              search_text=_search_text(c_text, "Euromaidan Press")),
    ])
    _stamp(Claim, {
        9001: {"created_at": A_CREATED, "updated_at": A_REPUBLISHED},
        9002: {"created_at": B_CREATED, "updated_at": B_REOPENED},
        9003: {"created_at": C_CREATED, "updated_at": C_SUBMITTED},
    })
    Claim.tags.through.objects.bulk_create([
        Claim.tags.through(pk=9001, claim_id=9001, tag_id=9002),
        Claim.tags.through(pk=9002, claim_id=9001, tag_id=9003),
        Claim.tags.through(pk=9003, claim_id=9002, tag_id=9001),
        Claim.tags.through(pk=9004, claim_id=9002, tag_id=9003),
        Claim.tags.through(pk=9005, claim_id=9003, tag_id=9004),
    ])
    Claim.claimants.through.objects.bulk_create([
        Claim.claimants.through(pk=9001, claim_id=9001, claimant_id=yusov),
        Claim.claimants.through(pk=9002, claim_id=9001, claimant_id=mali),
        Claim.claimants.through(pk=9003, claim_id=9002, claimant_id=aes),
        Claim.claimants.through(pk=9004, claim_id=9002, claimant_id=mali),
        Claim.claimants.through(pk=9005, claim_id=9003, claimant_id=outlet),
    ])
    ClaimRelation.objects.bulk_create([
        ClaimRelation(pk=9001, from_claim_id=9002, to_claim_id=9001, kind="rests_on",
                      note="Mali read Yusov's remark as an admission.", created_by_id=felix,
                      updated_by_id=felix),
        # From the unpublished claim: never named to readers.
        ClaimRelation(pk=9002, from_claim_id=9003, to_claim_id=9002, kind="contradicts",
                      created_by_id=fiona, updated_by_id=fiona),
    ])
    _stamp(ClaimRelation, {9001: {"created_at": at(2, 12, 40), "updated_at": at(2, 12, 40)},
                           9002: {"created_at": at(8, 8, 30), "updated_at": at(8, 8, 30)}})

    # ------------------------------------------------------------ what was said, and about it
    Appearance.objects.bulk_create([
        Appearance(pk=9001, claim_id=9001, claimant_id=yusov, quote=a_quote,
                   said_on=date(2024, 7, 29), medium="tv", venue="Ukrainian television",
                   source_id=9001, created_by_id=fiona, updated_by_id=fiona),
        # Undated, unsourced, no quote.
        Appearance(pk=9002, claim_id=9001, claimant_id=mali, medium="statement",
                   created_by_id=fiona, updated_by_id=fiona),
        Appearance(pk=9003, claim_id=9002, claimant_id=aes, quote="take responsibility",
                   said_on=date(2024, 8, 20), medium="letter",
                   venue="Letter of Burkina Faso, Mali and Niger to the UN Security Council",
                   source_id=9001, created_by_id=felix, updated_by_id=felix),
        Appearance(pk=9004, claim_id=9002, claimant_id=mali, quote="terrorism in Africa",
                   said_on=date(2024, 8, 5), medium="statement",
                   venue="Statement announcing the break of diplomatic relations with Ukraine",
                   source_id=9001, created_by_id=felix, updated_by_id=felix),
        # Recorded after the last publication, and said earliest: were it shown, it would
        # become the claim's first appearance in ClaimReview.
        Appearance(pk=9005, claim_id=9002, claimant_id=aes, quote=B_APPEARANCE_DRAFT,
                   said_on=date(2024, 8, 1), medium="press_conference",
                   venue="WIP-VENUE-b", source_id=9004, created_by_id=felix,
                   updated_by_id=felix),
        Appearance(pk=9006, claim_id=9003, claimant_id=outlet,
                   quote="Mali severing diplomatic ties with Ukraine on 5 August",
                   said_on=date(2024, 8, 20), medium="article", source_id=9001,
                   created_by_id=fiona, updated_by_id=fiona),
    ])
    _stamp(Appearance, {
        9001: {"created_at": at(2, 9, 10), "updated_at": at(2, 9, 10)},
        9002: {"created_at": at(2, 9, 20), "updated_at": at(2, 9, 20)},
        9003: {"created_at": at(2, 12, 10), "updated_at": at(2, 12, 10)},
        9004: {"created_at": at(2, 12, 20), "updated_at": at(2, 12, 20)},
        9005: {"created_at": at(7, 10, 30), "updated_at": at(7, 10, 30)},
        9006: {"created_at": at(8, 8, 10), "updated_at": at(8, 8, 10)},
    })
    Response.objects.bulk_create([
        Response(pk=9001, claim_id=9001, claimant_id=mfa, kind="denies",
                 quote="Ukraine has nothing to do with it",
                 summary="The ministry denied any Ukrainian role in the rebels' operation.",
                 said_on=date(2024, 8, 5), source_id=9002, created_by_id=fiona,
                 updated_by_id=fiona),
        Response(pk=9002, claim_id=9002, claimant_id=mfa, kind="denies",
                 quote="short-sighted",
                 summary="Ukraine denied the allegations and noted that no evidence had been "
                 "provided.", said_on=date(2024, 8, 5), source_id=9001, created_by_id=felix,
                 updated_by_id=felix),
    ])
    _stamp(Response, {9001: {"created_at": at(2, 9, 30), "updated_at": at(2, 9, 30)},
                      9002: {"created_at": at(2, 12, 30), "updated_at": at(2, 12, 30)}})
    Evidence.objects.bulk_create([
        Evidence(pk=9001, claim_id=9001, source_id=9001, stance="supports", snapshot_id=9001,
                 summary="Reports Yusov's remark as made on Ukrainian television.",
                 created_by_id=fiona),
        Evidence(pk=9002, claim_id=9001, source_id=9002, stance="refutes",
                 summary="The ministry's denial.", created_by_id=fiona),
        # Not pinned to a capture: pages show the source's latest.
        Evidence(pk=9003, claim_id=9001, source_id=9003, stance="context", summary="",
                 created_by_id=fiona),
        Evidence(pk=9004, claim_id=9003, source_id=9001, stance="supports", snapshot_id=9001,
                 summary="States the dates of both breaks.", created_by_id=fiona),
    ])
    _stamp(Evidence, {
        9001: {"created_at": at(2, 10), "updated_at": at(2, 10)},
        9002: {"created_at": at(2, 10, 10), "updated_at": at(2, 10, 10)},
        9003: {"created_at": at(2, 10, 20), "updated_at": at(2, 10, 20)},
        9004: {"created_at": at(8, 8, 20), "updated_at": at(8, 8, 20)},
    })

    # ------------------------------------------------------------ verdicts, as last saved
    Verdict.objects.bulk_create([
        Verdict(pk=9001, claim_id=9001, is_current=True, status="published",
                rating_id=mostly_true, headline=A_HEADLINE, summary=A_SUMMARY,
                analysis=A_ANALYSIS, author_id=fiona, approver_id=edith,
                submitted_at=at(6, 9), published_at=A_FIRST_PUBLISHED,
                last_published_at=A_REPUBLISHED, published_rating_id=mostly_true,
                published_headline=A_HEADLINE, published_summary=A_SUMMARY,
                created_by_id=fiona, updated_by_id=edith),
        # Reopened and edited: the live row is work in progress; what readers see is in
        # its history (the publishing save) and in its published_* fields.
        Verdict(pk=9002, claim_id=9002, is_current=True, status="published",
                rating_id=false, headline=B_HEADLINE_DRAFT, summary=B_SUMMARY_DRAFT,
                analysis=B_ANALYSIS_DRAFT, author_id=felix, approver_id=eric,
                submitted_at=at(4, 9), published_at=B_PUBLISHED, last_published_at=B_PUBLISHED,
                published_rating_id=false, published_headline=B_HEADLINE,
                published_summary=B_SUMMARY, created_by_id=felix, updated_by_id=felix),
        Verdict(pk=9003, claim_id=9003, is_current=True, status="in_review", rating_id=true,
                headline="DRAFT-HEADLINE-c", summary="DRAFT-SUMMARY-c: never published.",
                analysis="", author_id=fiona, submitted_at=C_SUBMITTED, created_by_id=fiona,
                updated_by_id=fiona),
    ])
    _stamp(Verdict, {
        9001: {"created_at": at(2, 11), "updated_at": A_REPUBLISHED},
        9002: {"created_at": at(2, 13), "updated_at": B_EDITED},
        9003: {"created_at": at(8, 8, 40), "updated_at": C_SUBMITTED},
    })
    Correction.objects.bulk_create([
        Correction(pk=9001, verdict_id=9001, note=A_CORRECTION, previous_rating_id=unproven,
                   previous_summary=A_SUMMARY_FIRST, created_by_id=fiona),
        # Made after the claim's last publication: a draft readers must not see.
        Correction(pk=9002, verdict_id=9002, note=B_CORRECTION_DRAFT, previous_rating_id=false,
                   previous_summary=B_SUMMARY, created_by_id=felix),
    ])
    _stamp(Correction, {9001: {"created_at": A_CORRECTED}, 9002: {"created_at": B_EDITED}})

    # ------------------------------------------------------------ the verdicts' history
    # One record per save of the old workflow that changed what the verdict says: created
    # (draft), published, edited (with its correction), published again; for the reopened
    # claim, its reopening and the edit after it. claims.selectors.as_last_published reads
    # the first record carrying the verdict's last_published_at.
    a = {"id": 9001, "claim_id": 9001, "is_current": True, "author_id": fiona,
         "created_at": at(2, 11), "created_by_id": fiona}
    b = {"id": 9002, "claim_id": 9002, "is_current": True, "author_id": felix,
         "created_at": at(2, 13), "created_by_id": felix}
    c = {"id": 9003, "claim_id": 9003, "is_current": True, "author_id": fiona,
         "created_at": at(8, 8, 40), "created_by_id": fiona}
    a_first = {"rating_id": unproven, "headline": A_HEADLINE, "summary": A_SUMMARY_FIRST,
               "analysis": A_ANALYSIS_FIRST}
    a_now = {"rating_id": mostly_true, "headline": A_HEADLINE, "summary": A_SUMMARY,
             "analysis": A_ANALYSIS}
    b_published = {"rating_id": false, "headline": B_HEADLINE, "summary": B_SUMMARY,
                   "analysis": B_ANALYSIS}
    b_draft = {"rating_id": false, "headline": B_HEADLINE_DRAFT, "summary": B_SUMMARY_DRAFT,
               "analysis": B_ANALYSIS_DRAFT}
    HistoricalVerdict.objects.bulk_create([
        HistoricalVerdict(
            history_id=9001, history_date=at(2, 11), history_type="+", history_user_id=fiona,
            **a, **a_first, status="draft", updated_at=at(2, 11), updated_by_id=fiona),
        HistoricalVerdict(
            history_id=9002, history_date=A_FIRST_PUBLISHED, history_type="~",
            history_user_id=edith, **a, **a_first, status="published", approver_id=edith,
            submitted_at=at(3, 9), published_at=A_FIRST_PUBLISHED,
            last_published_at=A_FIRST_PUBLISHED, published_rating_id=unproven,
            published_headline=A_HEADLINE, published_summary=A_SUMMARY_FIRST,
            updated_at=A_FIRST_PUBLISHED, updated_by_id=edith),
        HistoricalVerdict(
            history_id=9003, history_date=A_CORRECTED, history_type="~", history_user_id=fiona,
            **a, **a_now, status="published", approver_id=edith, submitted_at=at(3, 9),
            published_at=A_FIRST_PUBLISHED, last_published_at=A_FIRST_PUBLISHED,
            published_rating_id=unproven, published_headline=A_HEADLINE,
            published_summary=A_SUMMARY_FIRST, updated_at=A_CORRECTED, updated_by_id=fiona),
        HistoricalVerdict(
            history_id=9004, history_date=A_REPUBLISHED, history_type="~",
            history_user_id=edith, **a, **a_now, status="published", approver_id=edith,
            submitted_at=at(6, 9), published_at=A_FIRST_PUBLISHED,
            last_published_at=A_REPUBLISHED, published_rating_id=mostly_true,
            published_headline=A_HEADLINE, published_summary=A_SUMMARY,
            updated_at=A_REPUBLISHED, updated_by_id=edith),
        HistoricalVerdict(
            history_id=9005, history_date=at(2, 13), history_type="+", history_user_id=felix,
            **b, **b_published, status="draft", updated_at=at(2, 13), updated_by_id=felix),
        HistoricalVerdict(
            history_id=9006, history_date=B_PUBLISHED, history_type="~", history_user_id=eric,
            **b, **b_published, status="published", approver_id=eric, submitted_at=at(4, 9),
            published_at=B_PUBLISHED, last_published_at=B_PUBLISHED,
            published_rating_id=false, published_headline=B_HEADLINE,
            published_summary=B_SUMMARY, updated_at=B_PUBLISHED, updated_by_id=eric),
        HistoricalVerdict(
            history_id=9007, history_date=B_REOPENED, history_type="~", history_user_id=edith,
            **b, **b_published, status="published", approver_id=eric, submitted_at=at(4, 9),
            published_at=B_PUBLISHED, last_published_at=B_PUBLISHED,
            published_rating_id=false, published_headline=B_HEADLINE,
            published_summary=B_SUMMARY, updated_at=B_REOPENED, updated_by_id=eric),
        HistoricalVerdict(
            history_id=9008, history_date=B_EDITED, history_type="~", history_user_id=felix,
            **b, **b_draft, status="published", approver_id=eric, submitted_at=at(4, 9),
            published_at=B_PUBLISHED, last_published_at=B_PUBLISHED,
            published_rating_id=false, published_headline=B_HEADLINE,
            published_summary=B_SUMMARY, updated_at=B_EDITED, updated_by_id=felix),
        HistoricalVerdict(
            history_id=9009, history_date=at(8, 8, 40), history_type="+",
            history_user_id=fiona, **c, rating_id=true, headline="DRAFT-HEADLINE-c",
            summary="DRAFT-SUMMARY-c: never published.", status="draft",
            updated_at=at(8, 8, 40), updated_by_id=fiona),
        HistoricalVerdict(
            history_id=9010, history_date=C_SUBMITTED, history_type="~",
            history_user_id=fiona, **c, rating_id=true, headline="DRAFT-HEADLINE-c",
            summary="DRAFT-SUMMARY-c: never published.", status="in_review",
            submitted_at=C_SUBMITTED, updated_at=C_SUBMITTED, updated_by_id=fiona),
    ])
