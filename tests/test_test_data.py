"""Test data is built one way (tests/data): no test imports a conftest, and no test
publishes by hand. A published claim is only ever made by publishing it through the
workflow (tests.data.desk); setting `published_at`, a `published_*` field or the published
state on a create or an update would build a row the workflow never makes.
"""
import ast
from pathlib import Path

import pytest

from claims.models import Claim
from tests.data import rows

TESTS = Path(__file__).resolve().parent

# Fields only the workflow's publishing step writes.
PUBLICATION_FIELDS = {
    "published_at", "last_published_at", "published_rating", "published_rating_id",
    "published_headline", "published_summary", "current_publication", "current_publication_id",
}
# Fields whose value must not be "published" when written by hand.
STATE_FIELDS = {"state", "status"}
# Calls that write rows: manager and queryset methods; a model class called directly
# (`Verdict(...)`, for bulk_create) is caught by its capitalised name.
WRITE_METHODS = {"create", "bulk_create", "get_or_create", "update", "update_or_create"}

# (file, function): why it may write a publication field by hand.
ALLOWED = {
    ("claims/test_constraints.py", "test_published_verdict_needs_rating_and_summary"):
        "proves the database refuses a published verdict without a rating and a summary: "
        "the workflow never makes that row, so the test must write it by hand",
    ("claims/legacy_rows.py", "build"):
        "reproduces the rows the workflow left before publications existed, on the migration "
        "state the publications migration starts from, where the workflow cannot run",
}


def _says_published(node):
    """Whether `node` is the published state or status: `X.PUBLISHED` or "published"."""
    if isinstance(node, ast.Attribute):
        return node.attr == "PUBLISHED"
    return isinstance(node, ast.Constant) and node.value == "published"


def _publishes(name, value):
    return name in PUBLICATION_FIELDS or (name in STATE_FIELDS and _says_published(value))


def _is_write(call):
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr in WRITE_METHODS or func.attr[:1].isupper()
    return isinstance(func, ast.Name) and func.id[:1].isupper()


def _dict_items(node):
    if isinstance(node, ast.Dict):
        for key, value in zip(node.keys, node.values, strict=True):
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                yield key.value, value


class _Finder(ast.NodeVisitor):
    """Collects (line, function, what) for every hand-made publication in a module."""

    def __init__(self):
        self.found = []
        self.function = None

    def visit_FunctionDef(self, node):
        outer, self.function = self.function, self.function or node.name
        self.generic_visit(node)
        self.function = outer

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Call(self, node):
        if _is_write(node):
            for keyword in node.keywords:
                pairs = ([(keyword.arg, keyword.value)] if keyword.arg not in (None, "defaults")
                         else list(_dict_items(keyword.value)))
                for name, value in pairs:
                    if _publishes(name, value):
                        self.found.append((node.lineno, self.function, f"{name}= in a write"))
        self.generic_visit(node)

    def visit_Assign(self, node):
        for target in node.targets:
            targets = target.elts if isinstance(target, ast.Tuple) else [target]
            values = (node.value.elts if isinstance(target, ast.Tuple)
                      and isinstance(node.value, ast.Tuple) else [node.value] * len(targets))
            for one, value in zip(targets, values, strict=False):
                if isinstance(one, ast.Attribute) and _publishes(one.attr, value):
                    self.found.append((node.lineno, self.function, f".{one.attr} = "))
        self.generic_visit(node)


def hand_made_publications(source):
    """[(line, enclosing test function, what)] for each publication `source` writes by
    hand."""
    finder = _Finder()
    finder.visit(ast.parse(source))
    return finder.found


def conftest_imports(source):
    """[line] of each import of a conftest in `source`."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            names = [(node.module or "").split(".")[-1]] + [a.name for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name.split(".")[-1] for a in node.names]
        else:
            continue
        if "conftest" in names:
            lines.append(node.lineno)
    return lines


def python_files():
    """Every Python file under tests/, the data module and the conftests included."""
    return sorted(TESTS.rglob("*.py"))


def test_no_test_module_imports_a_conftest():
    found = [f"{path.relative_to(TESTS)}:{line}" for path in python_files()
             for line in conftest_imports(path.read_text())]
    assert not found, (
        "Import test data from tests.data (rows or desk), never from a conftest; "
        "fixtures reach tests by name: " + ", ".join(found))


def test_no_test_publishes_by_hand():
    found = []
    for path in python_files():
        name = str(path.relative_to(TESTS))
        for line, function, what in hand_made_publications(path.read_text()):
            if (name, function) not in ALLOWED:
                found.append(f"{name}:{line} ({what})")
    assert not found, (
        "Publish through the workflow (tests.data.desk.publish or published_claim), never "
        "by writing publication fields: " + ", ".join(found))


def test_the_allowed_exceptions_still_exist():
    """An allow-list entry whose test is gone or publishes no more is stale."""
    for name, function in ALLOWED:
        found = hand_made_publications((TESTS / name).read_text())
        assert any(f == function for _, f, _ in found), (name, function)


@pytest.mark.parametrize("source", [
    "Verdict.objects.create(claim=c, published_at=now)",
    "Claim.objects.create(text='x', state=Claim.State.PUBLISHED)",
    "Claim.objects.filter(pk=1).update(state='published')",
    "Verdict.objects.bulk_create([Verdict(claim=c, status=Verdict.Status.PUBLISHED)])",
    "Verdict.objects.get_or_create(claim=c, defaults={'published_summary': 's'})",
    "Verdict.objects.update_or_create(claim=c, **{'last_published_at': now})",
    "verdict.published_at = now",
    "claim.state, claim.text = Claim.State.PUBLISHED, 'x'",
])
def test_the_check_sees_each_way_of_publishing_by_hand(source):
    assert hand_made_publications(source)


@pytest.mark.parametrize("source", [
    "Claim.objects.filter(state='published')",
    "client.post(url, {'state': 'published'})",
    "workflow.transition_claim(claim=c, to_state=Claim.State.PUBLISHED, by=editor)",
    "Claim.objects.create(text='x', state=Claim.State.RESEARCHING)",
    "claim.state = Claim.State.TRIAGED",
])
def test_the_check_leaves_reads_and_workflow_moves_alone(source):
    assert not hand_made_publications(source)


@pytest.mark.parametrize("source", [
    "from tests.conftest import make_user",
    "from .conftest import staff",
    "from . import conftest",
    "import tests.pages.conftest",
])
def test_the_check_sees_each_way_of_importing_a_conftest(source):
    assert conftest_imports(source) == [1]


def test_rows_are_never_published():
    with pytest.raises(ValueError, match="never published"):
        rows.claim(state=Claim.State.PUBLISHED)
