"""Turns the other services' messages into the evaluation's copies, idempotently."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import orjson
from sqlmodel.ext.asyncio.session import AsyncSession

from services.evaluation.inputs import repository
from shared import parse_cents


async def apply_buildings(session: AsyncSession, snapshots: list[dict[str, Any]]) -> None:
    """Registry building snapshots: the building, its designations and its renovations."""
    latest: dict[str, dict[str, Any]] = {}
    for snapshot in snapshots:
        latest[snapshot["id"]] = snapshot  # within a batch, the later message wins
    rows = [
        {
            "id": s["id"],
            "name": s["name"],
            "district_id": s["district_id"],
            "gross_floor_area_m2": float(s["gross_floor_area_m2"]),
            "status": s.get("status", "operating"),
            "retired_on": date.fromisoformat(s["retired"]["retired_on"])
            if s.get("retired")
            else None,
            "registry_updated_at": datetime.fromisoformat(s["updated_at"]),
        }
        for s in latest.values()
    ]
    changed = await repository.upsert_buildings(session, rows)
    for building_id in sorted(changed):
        snapshot = latest[building_id]
        await repository.replace_children(
            session,
            building_id,
            [
                {"industry": d["industry"], "designated_on": date.fromisoformat(d["designated_on"])}
                for d in snapshot.get("designations", [])
            ],
            [
                {
                    "id": r["id"],
                    "started_on": date.fromisoformat(r["started_on"]),
                    "completed_on": date.fromisoformat(r["completed_on"])
                    if r["completed_on"]
                    else None,
                    "review_state": r.get("review"),
                }
                for r in snapshot.get("renovations", [])
            ],
        )


async def apply_movements(session: AsyncSession, movements: list[dict[str, Any]]) -> None:
    """Registry movements (only what net move-in needs)."""
    await repository.insert_movements(
        session,
        [
            {
                "district_id": m["district_id"],
                "record_id": m["record_id"],
                "building_id": m["building_id"],
                "kind": m["kind"],
                "date": date.fromisoformat(m["date"]),
                "version": int(m.get("version", 1)),
                "withdrawn": bool(m.get("withdrawn", False)),
            }
            for m in movements
        ],
    )


async def apply_events(session: AsyncSession, events: list[dict[str, Any]]) -> None:
    """Event states from the events service."""
    latest: dict[str, dict[str, Any]] = {}
    for e in events:
        row = {
            "id": e["id"],
            "kind": e["kind"],
            "scope": e["scope"],
            "district_id": e["district_id"],
            "title": e["title"],
            "status": e["status"],
            "review_state": (e.get("review") or {}).get("state"),
            "voided": e.get("voided") is not None,
            "starts_at": datetime.fromisoformat(e["starts_at"]),
            "updated_at": datetime.fromisoformat(e["updated_at"]),
        }
        kept = latest.get(row["id"])
        if kept is None or kept["updated_at"] <= row["updated_at"]:
            latest[row["id"]] = row  # within a batch, the latest state wins
    await repository.upsert_events(session, list(latest.values()))


async def apply_building_years(session: AsyncSession, figures: list[dict[str, Any]]) -> None:
    """Monitoring's building-year figures."""
    latest: dict[tuple[str, int], dict[str, Any]] = {}
    for f in figures:
        latest[(f["building_id"], int(f["year"]))] = f
    rows = []
    for (building_id, year), f in sorted(latest.items()):
        occupancy = f.get("latest_occupancy") or {}
        rows.append(
            {
                "building_id": building_id,
                "year": year,
                "tax_cents": parse_cents(f["tax_total_cny"]),
                "occupancy_period": occupancy.get("period"),
                "leasable_area_m2": occupancy.get("leasable_area_m2"),
                "occupied_area_m2": occupancy.get("occupied_area_m2"),
                "months": orjson.dumps(f.get("months", [])).decode(),
            }
        )
    await repository.upsert_building_years(session, rows)
