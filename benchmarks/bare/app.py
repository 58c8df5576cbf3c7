"""The baseline of benchmarks/http.py: FastAPI and asyncpg doing the registry's work for the two
requests measured, and nothing else (no identity, middleware, ORM, validation, logging or
metrics): a building read as one row turned into JSON, and a movement stored as one INSERT.

    BARE_DSN=postgresql://… uvicorn app:app --app-dir benchmarks/bare --loop uvloop --http httptools
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime

import asyncpg
import orjson
from fastapi import FastAPI, Request, Response


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    app.state.pool = await asyncpg.create_pool(os.environ["BARE_DSN"], min_size=20, max_size=20)
    yield
    await app.state.pool.close()


app = FastAPI(lifespan=lifespan)


@app.get("/api/v1/buildings/{building_id}")
async def read(building_id: str) -> Response:
    async with app.state.pool.acquire() as conn:
        row = await conn.fetchrow("SELECT * FROM registry.building WHERE id = $1", building_id)
    if row is None:
        return Response(status_code=404)
    return Response(orjson.dumps(dict(row), default=str), media_type="application/json")


@app.post("/api/v1/enterprise-movements")
async def push(request: Request) -> Response:
    (record,) = orjson.loads(await request.body())["records"]
    async with app.state.pool.acquire() as conn:
        await conn.execute(
            "INSERT INTO bare_movement (record_id, uscc, enterprise_name, building_id, kind, date,"
            " received_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            record["record_id"],
            record["uscc"],
            record["enterprise_name"],
            record["building_id"],
            record["kind"],
            date.fromisoformat(record["date"]),
            datetime.now(UTC),
        )
    return Response(orjson.dumps({"accepted": 1, "duplicates": 0}), media_type="application/json")
