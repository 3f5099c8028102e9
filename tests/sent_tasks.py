"""The Celery tasks this test process sends, recorded as the broker accepts them.

Counting what one process published is exact even when something else uses the same
queue: a real worker taking messages as the test reads, or another pytest-xdist process
given the same Redis database (REDIS_URL set by hand). Reading the queue is not::

    with sent_tasks() as sent:
        call_command("archive_sources", url)
    assert [task.name for task in sent] == ["evidence.tasks.archive_source"]
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from celery.signals import after_task_publish

__all__ = ["SentTask", "sent_tasks"]


@dataclass(frozen=True)
class SentTask:
    """One task message as published: its task, arguments and ETA (None: run at once)."""

    name: str
    args: tuple
    kwargs: dict
    eta: str | None


@contextmanager
def sent_tasks(*, purge: bool = True) -> Iterator[list[SentTask]]:
    """Record every task published in this process while the block runs.

    With ``purge`` the default queue is emptied afterwards, so that no worker started
    later takes the messages (the tasks' rows are gone with the test's transaction).
    """
    from factcheck.celery import app

    sent: list[SentTask] = []

    # Celery publishes protocol 2: the body is (args, kwargs, embed), the headers name
    # the task and its ETA.
    def record(sender=None, body=None, headers=None, **extra):
        args, kwargs, _embed = body
        sent.append(SentTask(headers["task"], tuple(args), dict(kwargs), headers.get("eta")))

    after_task_publish.connect(record, weak=False)
    try:
        yield sent
    finally:
        after_task_publish.disconnect(record)
        if purge:
            with app.connection_for_write() as conn:
                conn.default_channel.queue_purge(app.conf.task_default_queue)
