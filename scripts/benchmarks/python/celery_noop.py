"""The Celery side of `scripts/bench stage`: an app on the Redis broker with one task that does nothing.

Configured as a pipeline stage would be: a task is acknowledged only after it ran (`task_acks_late`),
results are not stored (a stage publishes its result to the next stage, not to a result backend).
The broker is `BENCH_REDIS_URL`; `BENCH_CELERY_PREFETCH` sets how many messages each worker process
reserves ahead (default 4, Celery's own default).
"""

import os

from celery import Celery

app = Celery("bench", broker=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0"))
app.conf.update(
    task_acks_late=True,
    task_ignore_result=True,
    worker_prefetch_multiplier=int(os.environ.get("BENCH_CELERY_PREFETCH", "4")),
    task_serializer="json",
    accept_content=["json"],
    broker_connection_retry_on_startup=True,
)


@app.task(name="noop")
def noop(payload: str) -> None:
    """Receives a message of the benchmark's payload size and does nothing with it."""
