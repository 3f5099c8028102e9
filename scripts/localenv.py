"""Choose the services for a local run and print them as shell exports.

PostgreSQL and Redis when DATABASE_URL/REDIS_URL are set or the local defaults answer;
otherwise the embedded fallbacks (SQLite under var/, kombu's filesystem broker). What was
chosen is printed on stderr so the person running `make run` sees it.
"""
import os
import shlex
import socket
import sys

LOCAL_POSTGRES = "postgres://postgres@127.0.0.1:5432/factcheck"
LOCAL_REDIS = "redis://127.0.0.1:6379/0"


def answers(host, port):
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def postgres_ready():
    """The local server answers and has (or now has) the factcheck database."""
    if not answers("127.0.0.1", 5432):
        return False
    import psycopg

    try:
        with psycopg.connect(
            "postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True, connect_timeout=2
        ) as conn:
            query = "SELECT 1 FROM pg_database WHERE datname = 'factcheck'"
            if not conn.execute(query).fetchone():
                conn.execute("CREATE DATABASE factcheck")
    except psycopg.Error as exc:
        print(f"  (PostgreSQL answers but can't be used: {exc})", file=sys.stderr)
        return False
    return True


def main():
    exports = {}
    if os.environ.get("DATABASE_URL"):
        print("Database: DATABASE_URL from the environment.", file=sys.stderr)
    elif postgres_ready():
        exports["DATABASE_URL"] = LOCAL_POSTGRES
        print(f"Database: local PostgreSQL ({LOCAL_POSTGRES}).", file=sys.stderr)
    else:
        print("Database: no PostgreSQL answered; using SQLite in var/factcheck.sqlite3.",
              file=sys.stderr)
    if os.environ.get("REDIS_URL"):
        print("Broker: REDIS_URL from the environment.", file=sys.stderr)
    elif answers("127.0.0.1", 6379):
        exports["REDIS_URL"] = LOCAL_REDIS
        print(f"Broker: local Redis ({LOCAL_REDIS}).", file=sys.stderr)
    else:
        print("Broker: no Redis answered; using the filesystem broker in var/broker/.",
              file=sys.stderr)
    for key, value in exports.items():
        print(f"export {key}={shlex.quote(value)}")


if __name__ == "__main__":
    main()
