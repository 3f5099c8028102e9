"""The checks a reviewer would run by hand: lint, import contracts, migrations, the compose
file."""
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run(*cmd, **env):
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env={**os.environ, **env})


def test_ruff_is_clean():
    result = run(sys.executable, "-m", "ruff", "check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_import_contract_is_kept():
    # pyproject.toml's import-linter contracts (which way imports may point), each by name,
    # so that a contract dropped from the output is noticed too.
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = run(str(lint_imports), "--no-cache", "--no-logo")
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"][
        "contracts"]
    assert len(contracts) >= 4
    for contract in contracts:
        assert f"{contract['name']} KEPT" in report, report


def test_migrations_match_the_models():
    result = run(sys.executable, "manage.py", "makemigrations", "--check", "--dry-run",
                 DJANGO_SETTINGS_MODULE="factcheck.test_settings")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(shutil.which("docker-compose") is None,
                    reason="docker-compose is installed by .ci/run")
def test_docker_compose_file_is_valid():
    result = run("docker-compose", "config", "-q")
    assert result.returncode == 0, result.stdout + result.stderr
