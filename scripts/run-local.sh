#!/usr/bin/env bash
# `make run`: migrate, load the seed case, create the demo accounts, then run the web
# server, a Celery worker and beat in the foreground. Ctrl-C stops them all.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python

eval "$($PY scripts/localenv.py)"
export DEBUG="${DEBUG:-true}"
export FETCH_ALLOWLIST="${FETCH_ALLOWLIST:-}"
mkdir -p var  # beat's schedule lives here, whichever database was chosen

$PY manage.py migrate --noinput
$PY manage.py load_seeds
# The key that signs each publication's evidence pack (var/keys/ unless
# EVIDENCE_PACK_SIGNING_KEY_FILE says otherwise); made once, never replaced here.
$PY manage.py create_signing_key --if-missing
demo_login="$($PY manage.py create_demo_users)"

# One process group: Ctrl-C (or any of them dying) stops the others too.
trap 'trap - INT TERM EXIT; kill 0 2>/dev/null; wait' INT TERM EXIT
.venv/bin/celery -A factcheck worker --beat --loglevel=INFO --concurrency=2 \
    --schedule=var/celerybeat-schedule &
$PY manage.py runserver 127.0.0.1:8000 &
sleep 2
cat <<MSG

  Factcheck workbench is running:
    Admin (the desk)     http://127.0.0.1:8000/admin/
    Published verdicts   http://127.0.0.1:8000/checks/
    REST API             http://127.0.0.1:8000/api/v1/   (docs: /api/v1/docs/)
    Health               http://127.0.0.1:8000/healthz
${demo_login}
  Press Ctrl-C to stop the web server, the worker and beat.

MSG
wait -n
