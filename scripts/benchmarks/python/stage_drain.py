"""Fills a queue with N messages and times how long consumers take to drain it, for `scripts/bench stage`.

Three kinds of queue, each on the same Redis:

- `stream`: a Jobsmith stage's input stream, filled with real `job.ingested` envelopes (the fields
  and JSON payload the ingestion service writes); drained when the stage's consumer group has
  nothing left to read or acknowledge and the next stream has received N messages.
- `celery`: Celery's queue on its Redis broker, filled with N calls of the no-op task
  (`celery_noop.py`); drained when the queue is empty and no message is left unacknowledged.
- `rq`: RQ's default queue, filled with N jobs of the no-op function (`rq_noop.py`); drained when
  N jobs have finished (or failed, which is reported).

Celery and RQ messages carry one string argument as long as one Jobsmith envelope (field names and
values), so every system moves the same payload.

    stage_drain.py envelope-size | envelope-fields
    stage_drain.py fill   KIND REDIS_URL COUNT [--stream KEY]
    stage_drain.py watch  KIND REDIS_URL COUNT [--stream KEY --group NAME --next KEY]
                          [--cpu NAME=PIDFILE]... [--ready FILE] [--timeout S]

`watch` runs while the consumers start and work. It samples the queue every 5 ms and prints one JSON
object: the time from the first message taken off the queue to the last one done, the rate, and for
each `--cpu` the CPU seconds used in between by the processes named in PIDFILE (one pid a line, read
when the first message is taken) and all their descendants. It creates the `--ready` file once it
samples, so that the consumers can be started after it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import uuid
from collections.abc import Callable, Iterator

import redis

PRODUCER = "ingestion-bench"
SAMPLE_INTERVAL = 0.005


def envelope(job_id: int) -> dict[str, str]:
    """A `job.ingested` envelope's fields, in the order `Envelope.fields` writes them."""
    return {
        "type": "job.ingested",
        "id": str(uuid.uuid4()),
        "attempt": "1",
        "produced_at": str(int(time.time() * 1000)),
        "producer": PRODUCER,
        "job_id": str(job_id),
        "payload": json.dumps({"job_id": job_id}, separators=(",", ":")),
    }


def envelope_size() -> int:
    """Bytes of one envelope's field names and values (job ids of four digits, as in the dataset)."""
    return sum(len(key) + len(value) for key, value in envelope(1000).items())


def batches(count: int, size: int) -> Iterator[range]:
    for start in range(0, count, size):
        yield range(start, min(count, start + size))


# Filling


def fill_stream(client: redis.Redis, stream: str, count: int) -> None:
    """Envelopes for jobs 1…count (the no-op handler reads no job), 1,000 to a round trip."""
    for batch in batches(count, 1000):
        pipe = client.pipeline(transaction=False)
        for index in batch:
            # No MAXLEN: the services' producer leaves streams that groups consume to their consumers' trimming.
            pipe.xadd(stream, envelope(index + 1))
        pipe.execute()


def fill_celery(redis_url: str, count: int) -> None:
    from celery_noop import app, noop

    app.conf.broker_url = redis_url
    payload = "x" * envelope_size()
    with app.producer_or_acquire() as producer:
        for _ in range(count):
            noop.apply_async(args=(payload,), producer=producer)


def fill_rq(client: redis.Redis, count: int) -> None:
    from rq import Queue

    from rq_noop import noop

    queue = Queue(connection=client)
    payload = "x" * envelope_size()
    for batch in batches(count, 1000):
        with client.pipeline() as pipe:
            queue.enqueue_many([Queue.prepare_data(noop, args=(payload,)) for _ in batch], pipeline=pipe)
            pipe.execute()


# Watching

# A probe samples the queue once and says whether a message has been taken off it yet, and whether
# all of them are done.
Probe = Callable[[], tuple[bool, bool]]


def stream_probe(client: redis.Redis, count: int, stream: str, group: str, next_stream: str) -> Probe:
    def probe() -> tuple[bool, bool]:
        pipe = client.pipeline(transaction=False)
        pipe.xinfo_groups(stream)
        pipe.xlen(next_stream)
        groups, forwarded = pipe.execute()
        state = next((g for g in groups if g["name"] in (group, group.encode())), None)
        if state is None:
            return False, False
        taken = (state.get("entries-read") or 0) > 0 or state["pending"] > 0
        return taken, state["lag"] == 0 and state["pending"] == 0 and forwarded >= count

    return probe


def celery_probe(client: redis.Redis, count: int) -> Probe:
    def probe() -> tuple[bool, bool]:
        pipe = client.pipeline(transaction=False)
        pipe.llen("celery")
        pipe.hlen("unacked")
        queued, unacknowledged = pipe.execute()
        return queued < count, queued == 0 and unacknowledged == 0

    return probe


def rq_probe(client: redis.Redis, count: int, failures: list[int]) -> Probe:
    def probe() -> tuple[bool, bool]:
        pipe = client.pipeline(transaction=False)
        pipe.llen("rq:queue:default")
        pipe.zcard("rq:finished:default")
        pipe.zcard("rq:failed:default")
        queued, finished, failed = pipe.execute()
        failures[:] = [failed]
        return queued < count, finished + failed >= count

    return probe


# CPU time

TICKS = os.sysconf("SC_CLK_TCK")


def tree_ticks(pid: int) -> int:
    """CPU ticks of a process and its descendants: its own, its reaped children's, and its live
    children's, recursively."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        total = sum(int(value) for value in fields[11:15])  # utime, stime, cutime, cstime
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as children:
                total += sum(tree_ticks(int(child)) for child in children.read().split())
        return total
    except (FileNotFoundError, ProcessLookupError):
        return 0  # it exited meanwhile; its parent's counters have it


def cpu_ticks(pidfiles: dict[str, str]) -> dict[str, int]:
    ticks = {}
    for name, path in pidfiles.items():
        with open(path) as pids:
            ticks[name] = sum(tree_ticks(int(pid)) for pid in pids.read().split())
    return ticks


def watch(probe: Probe, count: int, timeout: float, pidfiles: dict[str, str], ready: str | None) -> dict[str, object]:
    deadline = time.monotonic() + timeout
    first: float | None = None
    ticks_before: dict[str, int] = {}
    while time.monotonic() < deadline:
        now = time.monotonic()
        taken, done = probe()
        if ready:
            open(ready, "w").close()
            ready = None
        if taken and first is None:
            first = now
            ticks_before = cpu_ticks(pidfiles)
        if done and first is not None:
            ticks_after = cpu_ticks(pidfiles)
            seconds = max(now - first, SAMPLE_INTERVAL)
            cpu = {name: round((ticks_after[name] - ticks_before[name]) / TICKS, 2) for name in pidfiles}
            return {"messages": count, "seconds": round(seconds, 3), "per_second": round(count / seconds), "cpu": cpu}
        time.sleep(SAMPLE_INTERVAL)
    sys.exit(f"the queue was not drained within {timeout:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=["envelope-size", "envelope-fields", "fill", "watch"])
    parser.add_argument("kind", nargs="?", choices=["stream", "celery", "rq"])
    parser.add_argument("redis_url", nargs="?")
    parser.add_argument("count", nargs="?", type=int)
    parser.add_argument("--stream", help="the stage's input stream (kind stream)")
    parser.add_argument("--group", help="the stage's consumer group (kind stream)")
    parser.add_argument("--next", dest="next_stream", help="the stream the stage publishes to (kind stream)")
    parser.add_argument("--cpu", action="append", default=[], metavar="NAME=PIDFILE", help="count the CPU time of these processes")
    parser.add_argument("--ready", help="a file to create once the watch has begun")
    parser.add_argument("--timeout", type=float, default=900)
    args = parser.parse_args()

    if args.action == "envelope-size":
        print(envelope_size())
        return
    if args.action == "envelope-fields":
        for key, value in envelope(1000).items():
            print(key)
            print(value)
        return
    if args.kind is None or args.redis_url is None or args.count is None:
        parser.error("fill and watch need KIND REDIS_URL COUNT")
    client = redis.Redis.from_url(args.redis_url)
    if args.action == "fill":
        if args.kind == "stream":
            fill_stream(client, args.stream, args.count)
        elif args.kind == "celery":
            fill_celery(args.redis_url, args.count)
        else:
            fill_rq(client, args.count)
        return

    failures = [0]
    if args.kind == "stream":
        probe = stream_probe(client, args.count, args.stream, args.group, args.next_stream)
    elif args.kind == "celery":
        probe = celery_probe(client, args.count)
    else:
        probe = rq_probe(client, args.count, failures)
    pidfiles = dict(item.split("=", 1) for item in args.cpu)
    result = watch(probe, args.count, args.timeout, pidfiles, args.ready)
    if failures[0]:
        result["failed"] = failures[0]
    print(json.dumps(result))


if __name__ == "__main__":
    main()
