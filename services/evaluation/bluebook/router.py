"""HTTP route for the blue book."""

import asyncio
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request, Response

from services.evaluation.bluebook import render, service
from shared import OverseerDep, SessionDep, problem_responses

router = APIRouter(prefix="/api/v1/evaluation/bluebook", tags=["evaluation"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get(
    "/{year}",
    response_class=Response,
    responses={
        200: {
            "content": {
                "text/html": {"schema": {"type": "string"}},
                XLSX: {"schema": {"type": "string", "format": "binary"}},
            },
            "description": "The blue book as one HTML document, or as a workbook.",
        },
        **problem_responses(404),
    },
    summary="The year's 楼宇经济高质量发展蓝皮书",
)
async def bluebook(
    request: Request,
    session: SessionDep,
    principal: OverseerDep,
    year: Annotated[int, Path(ge=2000, le=2100, description="Calendar year.")],
    format: Annotated[Literal["html", "xlsx"], Query(description="html or xlsx.")] = "html",
) -> Response:
    """For the administrator and the supervision office: it names buildings' yearly tax."""
    book = await service.gather(session, year)
    if format == "xlsx":
        body = await asyncio.to_thread(render.xlsx, book)
        return Response(
            body,
            media_type=XLSX,
            headers={"Content-Disposition": f'attachment; filename="bluebook-{year}.xlsx"'},
        )
    return Response(
        await asyncio.to_thread(render.html, book), media_type="text/html; charset=utf-8"
    )
