"""One lock order (the claim, then its verdict, then the rest): a verdict saved on the
admin's claim page while someone moves the same claim through the workflow over the API
waits for that move, or the move waits for it; neither deadlocks.

Two threads, each with its own database connection, start together at a barrier. To
make the race certain rather than lucky, each thread, once it holds its first row lock,
waits up to PAUSE seconds for the other to hold its own: that is the interleaving in which
two writes taking their locks in opposite orders deadlock (each then asks for the row the
other holds, and PostgreSQL fails one with "deadlock detected"). Taking them in the same
order, the second thread cannot get its first lock while the first holds it, so the first
goes on after PAUSE and finishes, then the second runs.
"""
import contextlib
import threading
from functools import partial

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from claims import services, workflow
from claims.models import Claim, Verdict
from factcheck.edit_versions import version_of
from tests.data.desk import research, staff

from .desks import API, api_client

ROUNDS = 3
PAUSE = 1.5  # seconds; PostgreSQL's deadlock_timeout is 1 s
ROW_LOCKS = (" FOR UPDATE", " FOR NO KEY UPDATE")


def run_together(*calls):
    """Run each call in its own thread with its own connection, all released together;
    returns the exception each raised (None when it returned)."""
    start = threading.Barrier(len(calls))
    first_locks = threading.Barrier(len(calls), timeout=PAUSE)
    raised = [None] * len(calls)

    def pause_after_first_lock(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if not local.paused and any(lock in sql for lock in ROW_LOCKS):
            local.paused = True
            # Broken after PAUSE when the other thread is waiting for our lock: one order.
            with contextlib.suppress(threading.BrokenBarrierError):
                first_locks.wait()
        return result

    local = threading.local()

    def run(index, call):
        local.paused = False
        try:
            with connection.execute_wrapper(pause_after_first_lock):
                start.wait()
                call()
        except BaseException as error:  # reported by the test, whatever it is
            raised[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread never finished"
    return raised


@pytest.mark.django_db(transaction=True)
def test_a_verdict_saved_while_the_claim_moves_never_deadlocks(
    fact_checker, other_fact_checker
):
    claim = services.create_claim(by=fact_checker, text="The port handled a record tonnage.",
                                  slug="port-record")
    research(claim, by=fact_checker)
    verdict = workflow.save_verdict(claim=claim, by=fact_checker, headline="First draft",
                                    summary="Draft")
    browser = Client()
    browser.force_login(staff(fact_checker))
    api = api_client(other_fact_checker)
    verdict_url = reverse("admin:claims_claim_verdict", args=[claim.pk])

    def save_verdict(answers, read, headline):
        # The claim page's verdict panel, posted over the version the editor read.
        answers["admin"] = browser.post(verdict_url, {
            "verdict-rating": "", "verdict-headline": headline,
            "verdict-summary": read.summary, "verdict-analysis": read.analysis,
            "verdict-version": version_of(read),
        }).status_code

    def submit_for_review(answers):
        answers["api"] = api.post(f"{API}/claims/{claim.pk}/transition/",
                                  {"to": "in_review"}, format="json").status_code

    for round_ in range(ROUNDS):
        headline = f"Round {round_}"
        read = Verdict.objects.get(pk=verdict.pk)
        answers = {}

        raised = run_together(partial(save_verdict, answers, read, headline),
                              partial(submit_for_review, answers))

        assert raised == [None, None], f"round {round_}: {raised}"
        assert answers == {"admin": 302, "api": 200}
        claim.refresh_from_db()
        [current] = Verdict.objects.filter(claim=claim, is_current=True)
        assert claim.state == Claim.State.IN_REVIEW
        assert current.status == Verdict.Status.IN_REVIEW and current.submitted_at
        # Saved first, the verdict has the new headline; saved second, it was refused as
        # stale (the move had changed it since the editor read it) and is unchanged.
        assert current.headline in {headline, read.headline}
        workflow.transition_claim(claim=claim, to_state=Claim.State.RESEARCHING,
                                  by=fact_checker)


def _locked_tables(queries):
    return [next(t for t in ("claims_claim", "claims_verdict", "claims_appearance",
                             "evidence_evidence", "claims_claimant") if f'FROM "{t}"' in q["sql"])
            for q in queries if any(lock in q["sql"] for lock in ROW_LOCKS)]


@pytest.mark.django_db
def test_an_api_edit_locks_the_claim_before_the_row_it_edits(fact_checker):
    """The API's If-Match check takes the row's lock before the service runs; each
    resource names what its service locks first (api.views.Update.lock_first), so the
    check keeps the one order too."""
    from django.test.utils import CaptureQueriesContext

    from evidence.services import attach_evidence

    claimant = services.create_claimant(by=fact_checker, name="Port authority",
                                        slug="port-authority", kind="organisation")
    claim = services.create_claim(by=fact_checker, text="The port grew.", slug="port-grew")
    research(claim, by=fact_checker)
    verdict = workflow.save_verdict(claim=claim, by=fact_checker, headline="Draft",
                                    summary="Draft")
    appearance = services.add_appearance(claim=claim, claimant=claimant, quote="It grew.")
    evidence = attach_evidence(claim=claim, url="https://example.org/port", stance="supports")
    api = api_client(fact_checker)
    for url, body, row in [
        (f"{API}/verdicts/{verdict.pk}/", {"headline": "Edited"}, "claims_verdict"),
        (f"{API}/appearances/{appearance.pk}/", {"quote": "It grew a lot."},
         "claims_appearance"),
        (f"{API}/evidence/{evidence.pk}/", {"summary": "Tonnage table"}, "evidence_evidence"),
    ]:
        etag = api.get(url)["ETag"]
        with CaptureQueriesContext(connection) as queries:
            response = api.patch(url, body, format="json", HTTP_IF_MATCH=etag)
        assert response.status_code == 200, response.content
        locks = _locked_tables(queries)
        assert locks[:2] == ["claims_claim", row], (url, locks)
