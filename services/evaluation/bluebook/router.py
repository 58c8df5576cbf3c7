"""HTTP routes for the blue book: rendered from a publication, in two editions and three formats.

The full edition names buildings' yearly tax and what awaits review: the administrator and the
supervision office read it. The public edition (no building's tax, no event titles) is for every
signed-in caller, districts and bureaus included."""

import asyncio
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Response
from sqlmodel.ext.asyncio.session import AsyncSession

from services.evaluation.bluebook import render, service
from services.evaluation.bluebook.pdf import Printer, PrinterDep
from services.evaluation.bluebook.schemas import BlueBook, Edition
from shared import (
    Forbidden,
    Principal,
    PrincipalDep,
    Role,
    RowId,
    SessionDep,
    problem_responses,
)

router = APIRouter(tags=["evaluation"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Format = Literal["html", "xlsx", "pdf"]
FormatQuery = Annotated[Format, Query(description="html, xlsx or pdf.")]
EditionQuery = Annotated[
    Edition,
    Query(description="full (administrator and supervision office) or public (every role)."),
]
RESPONSES = {
    200: {
        "content": {
            "text/html": {"schema": {"type": "string"}},
            XLSX: {"schema": {"type": "string", "format": "binary"}},
            "application/pdf": {"schema": {"type": "string", "format": "binary"}},
        },
        "description": "The blue book as one HTML document, a workbook or a PDF.",
    },
    **problem_responses(403, 404, 503),
}


def _check(principal: Principal, edition: Edition) -> None:
    if edition == "full" and principal.role not in (Role.admin, Role.supervision):
        raise Forbidden(
            "The full blue book names buildings' tax: only the administrator and the "
            "supervision office read it. Ask for edition=public."
        )


def _edition(book: BlueBook, edition: Edition) -> BlueBook:
    return book.public() if edition == "public" else book


async def _render(
    session: AsyncSession,
    printer: Printer,
    book: BlueBook,
    format: Format,
) -> Response:
    name = f"bluebook-{book.year}-{book.publication_id}-{book.edition}"
    if format == "xlsx":
        return Response(
            await asyncio.to_thread(render.xlsx, book),
            media_type=XLSX,
            headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'},
        )
    preface = await service.preface_of(session, book.publication_id)
    page = await asyncio.to_thread(render.html, book, preface)
    if format == "pdf":
        return Response(
            await printer.pdf(page),
            media_type="application/pdf",
            headers={"Content-Disposition": f'inline; filename="{name}.pdf"'},
        )
    return Response(page, media_type="text/html; charset=utf-8")


@router.get(
    "/api/v1/evaluation/bluebook/{year}",
    response_class=Response,
    responses=RESPONSES,
    summary="The year's 楼宇经济高质量发展蓝皮书 (from its latest publication)",
)
async def bluebook(
    session: SessionDep,
    principal: PrincipalDep,
    printer: PrinterDep,
    year: Annotated[int, Path(ge=2000, le=2100, description="Calendar year.")],
    format: FormatQuery = "html",
    edition: EditionQuery = "full",
) -> Response:
    """404 until the year is published: the blue book prints the published figures."""
    _check(principal, edition)
    book = _edition(await service.of_year(session, year), edition)
    return await _render(session, printer, book, format)


@router.get(
    "/api/v1/evaluation/publications/{publication_id}/bluebook",
    response_class=Response,
    responses=RESPONSES,
    summary="A publication's blue book",
)
async def publication_bluebook(
    session: SessionDep,
    principal: PrincipalDep,
    printer: PrinterDep,
    publication_id: RowId,
    format: FormatQuery = "html",
    edition: EditionQuery = "full",
) -> Response:
    _check(principal, edition)
    book = _edition(await service.of_publication(session, publication_id), edition)
    return await _render(session, printer, book, format)
