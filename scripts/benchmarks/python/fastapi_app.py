"""`GET /api/jobs` and `GET /api/status` served on the stack Jobsmith replaced: FastAPI on uvicorn,
psycopg 3 with a connection pool, and redis-py. `scripts/bench gateway` loads it with the same wrk
settings as the gateway, on the same database and Redis, to compare the two.

The job list sends the statement the gateway sends for a page (`JobListStatement`: newest first,
each stage's flag, the total as a subquery) and answers with the same fields. It supports the
parameters the benchmark uses: `page`, `per_page` and `created_to`.

The status does the work of the gateway's `StatusCollector`: Redis's clock and PostgreSQL's
`SELECT 1` as probes, then the heartbeats, every consumed stream's length, group and dead letters in
one pipeline, and the entries added to each stage since the last look (throughput over 15 minutes).
The gateway builds that report at most once a second and shares it; this app builds it on every
request unless `STATUS_CACHE_SECONDS` is set, when each worker process keeps it that long (and
requests arriving while it is being built wait for that build, as the gateway's do).

Configuration: `DATABASE_URL`, `REDIS_URL`, `JOBSMITH_STREAM_PREFIX` (default `jobsmith`),
`DATABASE_POOL_SIZE` per worker process (default 4, the gateway's default), `STATUS_CACHE_SECONDS`.

    uvicorn fastapi_app:app --workers 2
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import time
from collections import defaultdict
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from typing import Any

import redis.asyncio as aioredis
from fastapi import FastAPI, HTTPException, Query
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool
from pydantic import BaseModel

PREFIX = os.environ.get("JOBSMITH_STREAM_PREFIX", "jobsmith")
STATUS_CACHE_SECONDS = float(os.environ.get("STATUS_CACHE_SECONDS", "0"))
SERVICES = ["ingestion", "extraction", "research", "cv-generator", "gateway"]
# Each consumed stream and its group, as `StreamNames.subscriptions` lists them.
SUBSCRIPTIONS = [
    (f"{PREFIX}:commands:ingestion", "ingestion"),
    (f"{PREFIX}:jobs:ingested", "extraction"),
    (f"{PREFIX}:commands:extraction", "extraction"),
    (f"{PREFIX}:jobs:extracted", "research"),
    (f"{PREFIX}:commands:research", "research"),
    (f"{PREFIX}:jobs:researched", "cv-generator"),
    (f"{PREFIX}:commands:cv-generator", "cv-generator"),
]
STAGES = [f"{PREFIX}:jobs:{name}" for name in ("ingested", "extracted", "researched", "cv-generated")]
WINDOW_MINUTES = 15

# Opened in full at start, and in autocommit: each read is one statement, with no BEGIN and COMMIT
# round trips around it.
POOL_SIZE = int(os.environ.get("DATABASE_POOL_SIZE", "4"))
pool = AsyncConnectionPool(
    os.environ["DATABASE_URL"],
    min_size=POOL_SIZE,
    max_size=POOL_SIZE,
    kwargs={"autocommit": True},
    open=False,
)
cache = aioredis.Redis.from_url(os.environ["REDIS_URL"])


@asynccontextmanager
async def lifespan(_: FastAPI):
    await pool.open(wait=True)
    yield
    await pool.close()
    await cache.aclose()


app = FastAPI(lifespan=lifespan)

# The job list


class Stages(BaseModel):
    extracted: bool
    researched: bool
    cv: bool


class JobSummary(BaseModel):
    id: int
    title: str
    company: str
    locations: list[str]
    is_remote: bool | None
    workplace_type: str | None
    source: str
    job_url: str | None
    status: str
    priority: int
    notes: str
    fit_score: int | None
    tier: str | None
    fit_category: str | None
    posted_at: str | None
    created_at: str
    updated_at: str
    stages: Stages


class JobList(BaseModel):
    items: list[JobSummary]
    total: int | None
    page: int | None
    per_page: int
    next_cursor: str | None


SUMMARY_COLUMNS = """
    j.id, j.title, j.company, j.locations, j.is_remote, j.workplace_type, j.source, j.job_url, j.status, j.priority,
    j.notes, j.fit_score, j.tier, j.fit_category,
    extract(epoch FROM j.posted_at) AS posted_epoch, extract(epoch FROM j.created_at) AS created_epoch,
    extract(epoch FROM j.updated_at) AS updated_epoch,
    (SELECT true FROM job_extractions e WHERE e.job_id = j.id) IS NOT NULL AS extracted,
    (SELECT true FROM job_research r WHERE r.job_id = j.id) IS NOT NULL AS researched,
    (SELECT true FROM job_cvs c WHERE c.job_id = j.id) IS NOT NULL AS has_cv
"""


def iso(epoch: Any) -> str | None:
    """Epoch seconds as the API writes dates: `2025-10-07T23:16:27Z`."""
    return None if epoch is None else time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(float(epoch)))


@app.get("/api/jobs", response_model=JobList)
async def jobs(page: int = Query(1, ge=1), per_page: int = Query(50, ge=1, le=200), created_to: datetime | None = None) -> JobList:
    where, parameters = "", {"limit": per_page + 1, "offset": (page - 1) * per_page}
    if created_to is not None:
        if created_to.tzinfo is None:
            raise HTTPException(400, "created_to needs a time zone")
        # Exclusive, as the gateway makes it: the next microsecond.
        where = "WHERE j.created_at < to_timestamp(%(before)s::double precision)"
        parameters["before"] = (created_to + timedelta(microseconds=1)).timestamp()
    sql = f"""
        SELECT {SUMMARY_COLUMNS}, (j.created_at)::text AS sort_key, (SELECT count(*) AS total FROM jobs j {where}) AS total
        FROM jobs j {where}
        ORDER BY j.created_at DESC, j.id DESC
        LIMIT %(limit)s OFFSET %(offset)s
    """
    async with pool.connection() as connection:
        cursor = await connection.execute(sql, parameters)
        cursor.row_factory = dict_row
        rows = await cursor.fetchall()
    items = [
        JobSummary(
            **{key: row[key] for key in ("id", "title", "company", "locations", "is_remote", "workplace_type", "source", "job_url",
                                         "status", "priority", "notes", "fit_score", "tier", "fit_category")},
            posted_at=iso(row["posted_epoch"]),
            created_at=iso(row["created_epoch"]),
            updated_at=iso(row["updated_epoch"]),
            stages=Stages(extracted=row["extracted"], researched=row["researched"], cv=row["has_cv"]),
        )
        for row in rows[:per_page]
    ]
    next_cursor = None
    if len(rows) > per_page:
        last = rows[per_page - 1]
        token = json.dumps({"sort": "-created_at", "value": last["sort_key"], "id": last["id"]}).encode()
        next_cursor = base64.urlsafe_b64encode(token).decode().rstrip("=")
    total = rows[0]["total"] if rows else 0
    return JobList(items=items, total=total, page=page, per_page=per_page, next_cursor=next_cursor)


# The status

# Per worker process, as the gateway keeps them per replica: the last entry counted in each stage's
# stream, and the entries per second within the window.
cursors: dict[str, str] = {}
per_second: dict[str, dict[int, int]] = defaultdict(dict)
latest_report: tuple[float, dict[str, Any]] | None = None
refreshing: asyncio.Future[dict[str, Any]] | None = None


async def probe_redis() -> tuple[dict[str, Any], float]:
    start = time.perf_counter()
    try:
        seconds, microseconds = await cache.time()
        return {"reachable": True, "latency_ms": round((time.perf_counter() - start) * 1000, 2)}, seconds + microseconds / 1e6
    except Exception as error:  # noqa: BLE001 — a store that fails shows in the report
        return {"reachable": False, "error": str(error)}, time.time()


async def probe_database() -> dict[str, Any]:
    start = time.perf_counter()
    try:
        async with pool.connection() as connection:
            await connection.execute("SELECT 1")
        return {"reachable": True, "latency_ms": round((time.perf_counter() - start) * 1000, 2)}
    except Exception as error:  # noqa: BLE001
        return {"reachable": False, "error": str(error)}


async def replicas(now: float) -> list[dict[str, Any]]:
    beats = [json.loads(value) for value in (await cache.hgetall(f"{PREFIX}:heartbeats")).values()]
    stale = [beat["instance"] for beat in beats if now - beat["last_seen"] / 1000 > 600]
    if stale:
        await cache.hdel(f"{PREFIX}:heartbeats", *stale)
    return [beat for beat in beats if beat["instance"] not in stale]


async def streams() -> list[dict[str, Any]]:
    pipe = cache.pipeline(transaction=False)
    for stream, _ in SUBSCRIPTIONS:
        pipe.xlen(stream)
        pipe.xinfo_groups(stream)
        pipe.xlen(f"{stream}:dead")
    replies = await pipe.execute(raise_on_error=False)
    result = []
    for index, (stream, group) in enumerate(SUBSCRIPTIONS):
        length, groups, dead = replies[index * 3: index * 3 + 3]
        groups = groups if isinstance(groups, list) else []
        state = next((g for g in groups if g["name"] in (group, group.encode())), None)
        result.append({
            "stream": stream, "group": group, "length": length,
            "lag": length if state is None else state.get("lag"),
            "pending": state["pending"] if state else 0, "consumers": state["consumers"] if state else 0,
            "dead_letters": dead,
        })
    return result


async def throughput(now: float) -> dict[str, Any]:
    window_start = int((now - WINDOW_MINUTES * 60) * 1000)
    pipe = cache.pipeline(transaction=False)
    for stream in STAGES:
        after = max(cursors.get(stream, "0-0"), f"{window_start}-0", key=lambda entry: tuple(map(int, entry.split("-"))))
        pipe.xrange(stream, f"({after}", "+", count=1000)
    stages = []
    for stream, entries in zip(STAGES, await pipe.execute()):
        seconds = per_second[stream]
        for entry_id, _ in entries:
            entry = entry_id.decode()
            second = int(entry.split("-")[0]) // 1000
            seconds[second] = seconds.get(second, 0) + 1
            cursors[stream] = entry
        for second in [s for s in seconds if s * 1000 < window_start]:
            del seconds[second]
        minutes = [0] * WINDOW_MINUTES
        for second, count in seconds.items():
            minutes[WINDOW_MINUTES - 1 - min(WINDOW_MINUTES - 1, int(now - second) // 60)] += count
        messages = sum(minutes)
        stages.append({"stream": stream.removeprefix(PREFIX + ":"), "messages": messages,
                       "per_minute": round(messages / WINDOW_MINUTES, 1), "minutes": minutes, "complete": len(entries) < 1000})
    return {"window_minutes": WINDOW_MINUTES, "stages": stages}


async def collect() -> dict[str, Any]:
    (redis_health, now), database = await asyncio.gather(probe_redis(), probe_database())
    beats, stream_states, meter = await asyncio.gather(replicas(now), streams(), throughput(now))
    services = []
    for name in SERVICES:
        mine = sorted((beat for beat in beats if beat["service"] == name), key=lambda beat: beat["instance"])
        listed = []
        for beat in mine:
            age = now - beat["last_seen"] / 1000
            healthy = age * 1000 < beat["interval_ms"] * 3
            listed.append({**beat, "healthy": healthy, "stale": not healthy, "heartbeat_age_seconds": round(age, 1),
                           "uptime_seconds": round(now - beat["started_at"] / 1000, 1)})
        services.append({"name": name, "healthy": any(replica["healthy"] for replica in listed), "replicas": listed})
    reasons = [f"{service['name']} has no healthy replica" for service in services if not service["healthy"]]
    reasons += [f"{stream['dead_letters']} dead letters in {stream['stream']}" for stream in stream_states if stream["dead_letters"]]
    status = "ok" if not reasons else "degraded" if any("replica" in reason for reason in reasons) else "attention"
    return {"status": status, "reasons": reasons, "generated_at": iso(now), "services": services, "streams": stream_states,
            "throughput": meter, "redis": redis_health, "database": database}


async def refresh() -> dict[str, Any]:
    global latest_report, refreshing
    try:
        report = await collect()
        latest_report = (time.monotonic(), report)
        return report
    finally:
        refreshing = None


@app.get("/api/status")
async def status() -> dict[str, Any]:
    global refreshing
    if STATUS_CACHE_SECONDS <= 0:
        return await collect()
    if latest_report and time.monotonic() - latest_report[0] < STATUS_CACHE_SECONDS:
        return latest_report[1]
    # Requests arriving while the report is being built wait for that one build; shielded, so that a
    # client hanging up does not cancel it for the others.
    if refreshing is None:
        refreshing = asyncio.ensure_future(refresh())
    return await asyncio.shield(refreshing)
