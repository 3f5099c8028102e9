"""The checks a reviewer would run by hand: lint, migrations, the compose file."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run(*cmd, **env):
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env={**os.environ, **env})


def test_ruff_is_clean():
    result = run(sys.executable, "-m", "ruff", "check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_migrations_match_the_models():
    result = run(sys.executable, "manage.py", "makemigrations", "--check", "--dry-run",
                 DJANGO_SETTINGS_MODULE="factcheck.test_settings")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(shutil.which("docker-compose") is None,
                    reason="docker-compose is installed by .ci/run")
def test_docker_compose_file_is_valid():
    result = run("docker-compose", "config", "-q")
    assert result.returncode == 0, result.stdout + result.stderr
