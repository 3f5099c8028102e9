"""Without REDIS_URL, Celery's broker is kombu's filesystem transport: every file it writes
(queued messages, exchange tables) goes under VAR_DIR, never into the folder the process
was started from (kombu's own default is ./control)."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEND = (
    "import django; django.setup(); from factcheck.celery import app; "
    "app.send_task('evidence.tasks.queue_pending_sources')"
)


def test_the_filesystem_broker_writes_only_under_var_dir(tmp_path):
    started_in, var_dir = tmp_path / "cwd", tmp_path / "var"
    started_in.mkdir()
    env = {"PATH": os.environ["PATH"], "PYTHONPATH": str(ROOT), "DEBUG": "true",
           "VAR_DIR": str(var_dir), "DJANGO_SETTINGS_MODULE": "factcheck.settings"}
    result = subprocess.run([sys.executable, "-c", SEND], cwd=started_in, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert list(started_in.iterdir()) == []
    broker = var_dir / "broker"
    assert (broker / "control" / "factcheck.exchange").is_file()
    assert len(list(broker.glob("*.msg"))) == 1
