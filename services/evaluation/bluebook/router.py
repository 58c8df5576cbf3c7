"""HTTP routes for the blue book: rendered from a publication, in two editions and three formats.

The full edition names buildings' yearly tax and what awaits review: the administrator and the
supervision office read it. The public edition (no building's tax, no event titles) is for every
signed-in caller, districts and bureaus included."""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Path, Query, Response
from sqlmodel.ext.asyncio.session import AsyncSession

from services.evaluation.bluebook import renditions, service
from services.evaluation.bluebook.pdf import Printer, PrinterDep
from services.evaluation.bluebook.peers import Peers, PeersDep
from services.evaluation.bluebook.schemas import BlueBook, Edition
from shared import Forbidden, Principal, PrincipalDep, Role, SessionDep, problem_responses
from shared.params import RowId

router = APIRouter(tags=["evaluation"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Format = Literal["html", "xlsx", "pdf"]
FormatQuery = Annotated[Format, Query(description="html, xlsx or pdf.")]
EditionQuery = Annotated[
    Edition,
    Query(description="full (administrator and supervision office) or public (every role)."),
]
RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {
            "text/html": {"schema": {"type": "string"}},
            XLSX: {"schema": {"type": "string", "format": "binary"}},
            "application/pdf": {"schema": {"type": "string", "format": "binary"}},
        },
        "description": "The blue book as one HTML document, a workbook or a PDF.",
    },
    304: {"description": "Unchanged since the copy whose ETag came in If-None-Match."},
    **problem_responses(403, 404, 503),
}
MEDIA = {"html": "text/html; charset=utf-8", "xlsx": XLSX, "pdf": "application/pdf"}
IfNoneMatch = Annotated[
    str | None, Header(description="The ETag of a copy already held: 304 while it is current.")
]


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
    peers: Peers,
    book: BlueBook,
    format: Format,
    if_none_match: str | None,
) -> Response:
    """The kept rendition (rendered on the first request), with its ETag; 304 to a client
    holding it already. Private: an edition is for the roles allowed to read it."""
    kept = await renditions.rendition(session, printer, book, format, await peers.demo())
    headers = {"ETag": f'"{kept.etag}"', "Cache-Control": "private, no-cache"}
    held = {tag.strip().removeprefix("W/") for tag in (if_none_match or "").split(",")}
    if headers["ETag"] in held:
        return Response(status_code=304, headers=headers)
    name = f"bluebook-{book.year}-{book.publication_id}-{book.edition}"
    if format != "html":
        disposition = "attachment" if format == "xlsx" else "inline"
        headers["Content-Disposition"] = f'{disposition}; filename="{name}.{format}"'
    return Response(kept.content, media_type=MEDIA[format], headers=headers)


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
    peers: PeersDep,
    year: Annotated[int, Path(ge=2000, le=2100, description="Calendar year.")],
    if_none_match: IfNoneMatch = None,
    format: FormatQuery = "html",
    edition: EditionQuery = "full",
) -> Response:
    """404 until the year is published: the blue book prints the published figures."""
    _check(principal, edition)
    book = _edition(await service.of_year(session, year), edition)
    return await _render(session, printer, peers, book, format, if_none_match)


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
    peers: PeersDep,
    publication_id: RowId,
    if_none_match: IfNoneMatch = None,
    format: FormatQuery = "html",
    edition: EditionQuery = "full",
) -> Response:
    _check(principal, edition)
    book = _edition(await service.of_publication(session, publication_id), edition)
    return await _render(session, printer, peers, book, format, if_none_match)
