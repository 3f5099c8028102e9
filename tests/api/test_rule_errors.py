"""A refusal by any domain rule is answered the same way: the API's error handler knows the
base classes in factcheck.rules, which the apps' errors subclass, and no app."""
from api.errors import PROBLEM_CONTENT_TYPE, exception_handler
from claims import workflow
from factcheck.rules import NotPermitted, RuleBroken


class MadeUpRule(RuleBroken):
    rule = "made_up"


def test_a_broken_rule_from_any_app_is_a_409_naming_the_rule():
    response = exception_handler(MadeUpRule("Do the other thing first."), {})
    assert response.status_code == 409
    assert response.content_type == PROBLEM_CONTENT_TYPE
    assert response.data == {"type": "about:blank", "title": "Conflict", "status": 409,
                             "detail": "Do the other thing first.", "rule": "made_up"}


def test_a_rule_the_role_may_not_pass_is_a_403():
    response = exception_handler(NotPermitted("Your role may not do this."), {})
    assert response.status_code == 403
    assert response.data["rule"] == "permission"
    assert response.data["detail"] == "Your role may not do this."


def test_the_workflow_refuses_with_rule_errors():
    assert issubclass(workflow.WorkflowError, RuleBroken)
    assert issubclass(workflow.NotAllowed, NotPermitted)
    for refusal in (workflow.InvalidTransition, workflow.TwoPersonRule,
                    workflow.VerdictIncomplete, workflow.CorrectionRequired):
        assert not issubclass(refusal, NotPermitted), refusal
