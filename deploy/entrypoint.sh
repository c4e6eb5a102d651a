#!/bin/sh
# The one way every deployment starts a process: the Docker image, compose.yaml, the Procfile and CI.
# Waits for the database, applies migrations (one process at a time), then becomes the role:
#   web      gunicorn on $BIND (default 0.0.0.0:$PORT, PORT default 8000)
#   worker   a Celery worker (WORKER_CONCURRENCY processes, default 2)
#   beat     Celery beat, the scheduler: exactly one per deployment
#   migrate  migrate and exit (a release phase)
#   manage   the rest of the arguments go to manage.py, e.g. `manage createsuperuser`
# MIGRATE=0 skips migrations; PYTHON names the interpreter (default: python on PATH).
set -eu
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python}"
role="${1:-web}"
[ $# -gt 0 ] && shift

prepare() {
  if [ "${MIGRATE:-1}" = "1" ]; then
    "$PYTHON" manage.py wait_for_database --migrate --timeout "${DATABASE_WAIT_SECONDS:-60}"
  else
    "$PYTHON" manage.py wait_for_database --timeout "${DATABASE_WAIT_SECONDS:-60}"
  fi
}

case "$role" in
  web)
    prepare
    # The image collects static files at build; a platform that built from source may not have.
    [ -f staticfiles/staticfiles.json ] || "$PYTHON" manage.py collectstatic --no-input --verbosity 0
    exec "$PYTHON" -m gunicorn config.wsgi \
      --bind "${BIND:-0.0.0.0:${PORT:-8000}}" \
      --workers "${WEB_CONCURRENCY:-2}" \
      --timeout "${WEB_TIMEOUT:-30}" \
      --access-logfile - \
      --forwarded-allow-ips "${FORWARDED_ALLOW_IPS:-127.0.0.1}" \
      "$@"
    ;;
  worker)
    prepare
    exec "$PYTHON" -m celery -A config worker --loglevel "${LOG_LEVEL:-INFO}" --concurrency "${WORKER_CONCURRENCY:-2}" "$@"
    ;;
  beat)
    prepare
    # The schedule's state file must be writable by the (non-root) user: not the code's folder.
    exec "$PYTHON" -m celery -A config beat --loglevel "${LOG_LEVEL:-INFO}" \
      --schedule "${BEAT_SCHEDULE_FILE:-/tmp/celerybeat-schedule}" "$@"
    ;;
  migrate)
    MIGRATE=1 prepare
    ;;
  manage)
    prepare
    exec "$PYTHON" manage.py "$@"
    ;;
  *)
    echo "entrypoint: unknown role '$role' (web, worker, beat, migrate or manage ...)" >&2
    exit 64
    ;;
esac
