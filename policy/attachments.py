"""Evidence (佐证材料) attached to a reviewed input: files or links.

A file is uploaded as the raw request body (`POST …/evidence?filename=…`, its media type in
`Content-Type`), at most `max_upload_bytes` (20 MiB), and accepted only when its content is a PDF,
an image or an Office document: the type is recognised from the bytes themselves, and a declared
type that contradicts them is refused. The owning service keeps each file's SHA-256 with its
record, and the bytes behind a `BlobStore`: `DatabaseBlobs` keeps them in the service's own
database (one copy per distinct content); an object store can implement the same two methods.

`evidence_router` gives a reviewed resource its routes: list, upload, add a link, download. The
resource says who may read and who may add through two FastAPI dependencies that return the
owner's key (or raise 403/404).
"""

import base64
import hashlib
import unicodedata
import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Annotated, Literal, Protocol
from urllib.parse import quote

import filetype
from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import AnyUrl, UrlConstraints, field_serializer, field_validator
from sqlalchemy import LargeBinary, func
from sqlmodel import Field, SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from shared import (
    SHANGHAI,
    Line,
    NotFound,
    Principal,
    PrincipalDep,
    RequestModel,
    SessionDep,
    UnsupportedMediaType,
    UTCDateTime,
    ValidationFailed,
    problem_responses,
    utcnow,
)
from shared.edge import UPLOAD_SUFFIX

# What evidence may be: PDF, common images, Office documents (old and new formats).
ACCEPTED_TYPES = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/gif": "GIF",
    "image/webp": "WebP",
    "image/tiff": "TIFF",
    "application/msword": "Word",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word",
    "application/vnd.ms-excel": "Excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel",
    "application/vnd.ms-powerpoint": "PowerPoint",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PowerPoint",
}
# Declared types that say nothing about the content: the bytes decide.
_GENERIC = {"", "application/octet-stream", "binary/octet-stream"}
_MAX_ATTACHMENTS = 50  # per input: evidence, not an archive


class AttachmentColumns(SQLModel):
    """One piece of evidence of one owner (a service's `attachment` table mixes this in)."""

    id: str = Field(primary_key=True, max_length=32)
    owner: str = Field(max_length=120, index=True, description="The owning input's key.")
    kind: str = Field(max_length=8, description="file or link.")
    title: str = Field(max_length=200)
    content_type: str | None = Field(default=None, max_length=100)
    size_bytes: int | None = None
    sha256: str | None = Field(default=None, max_length=64)
    url: str | None = Field(default=None, max_length=2000)
    added_by: str = Field(max_length=100)
    added_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class BlobColumns(SQLModel):
    """A file's bytes, once per distinct content (a service's `blob` table mixes this in)."""

    sha256: str = Field(primary_key=True, max_length=64)
    size_bytes: int
    content: bytes = Field(sa_type=LargeBinary)


class BlobStore(Protocol):
    """Where files' bytes are kept, by their SHA-256 (the database here; an object store later)."""

    async def put(self, session: AsyncSession, sha256: str, content: bytes) -> None: ...

    async def get(self, session: AsyncSession, sha256: str) -> bytes | None: ...


class DatabaseBlobs:
    """Files' bytes in the owning service's database, in the transaction of their record."""

    def __init__(self, table: type[BlobColumns]) -> None:
        self.table = table

    async def put(self, session: AsyncSession, sha256: str, content: bytes) -> None:
        if await session.get(self.table, sha256) is None:
            session.add(self.table(sha256=sha256, size_bytes=len(content), content=content))
            await session.flush()

    async def get(self, session: AsyncSession, sha256: str) -> bytes | None:
        row = await session.get(self.table, sha256)
        return row.content if row is not None else None


class AttachmentPublic(SQLModel):
    """A piece of evidence as the API shows it."""

    id: str = Field(description="Attachment id.")
    kind: Literal["file", "link"] = Field(description="An uploaded file or a link.")
    title: str = Field(description="File name or the link's title.")
    content_type: str | None = Field(description="The file's media type, as recognised.")
    size_bytes: int | None = Field(description="The file's size.")
    sha256: str | None = Field(description="The file's SHA-256 (hex).")
    url: str | None = Field(description="The link.")
    added_by: str = Field(description="Who added it.")
    added_at: datetime = Field(description="When (+08:00).")

    @field_serializer("added_at")
    def _beijing_time(self, value: datetime) -> str:
        return value.astimezone(SHANGHAI).isoformat()


class LinkCreate(RequestModel):
    """Evidence held elsewhere (an intranet document system, a government web page)."""

    url: Annotated[AnyUrl, UrlConstraints(max_length=2000, allowed_schemes=["http", "https"])] = (
        Field(description="http(s) link.")
    )
    title: Line = Field(min_length=1, max_length=200, description="What it is.")

    @field_validator("url")
    @classmethod
    def _short_once_normalised(cls, url: AnyUrl) -> AnyUrl:
        # Normalising may lengthen a link (a host gains its trailing slash): count that form.
        if len(str(url)) > 2000:
            raise ValueError("at most 2000 characters")
        return url


def recognise(content: bytes, declared: str) -> str:
    """The content's media type, when it is one evidence may be and agrees with the declared
    type (415 otherwise)."""
    kind = filetype.guess(content)
    found = kind.mime if kind is not None else None
    if found not in ACCEPTED_TYPES:
        raise UnsupportedMediaType(
            "Evidence is a PDF, an image (JPEG, PNG, GIF, WebP, TIFF) or an Office document; "
            "this file's content is none of them."
        )
    declared = declared.split(";", 1)[0].strip().lower()
    if declared not in _GENERIC and declared != found:
        raise UnsupportedMediaType(
            f"The file was declared as {declared} but its content is {found}."
        )
    return found


def _public(row: AttachmentColumns) -> AttachmentPublic:
    return AttachmentPublic.model_validate(row, from_attributes=True)


def _safe_title(filename: str) -> str:
    """A file name without any folder part or control character."""
    printable = "".join(c for c in filename if unicodedata.category(c)[0] != "C")
    return printable.replace("\\", "/").rsplit("/", 1)[-1].strip()[:200] or "evidence"


OwnerDep = Callable[..., Awaitable[str]]
Added = Callable[[AsyncSession, Principal, str, AttachmentPublic], Awaitable[None]]


def evidence_router(
    path: str,
    *,
    tag: str,
    table: type[AttachmentColumns],
    blobs: BlobStore,
    readable: OwnerDep,
    writable: OwnerDep,
    added: Added | None = None,
) -> APIRouter:
    """Routes for an input's evidence under `path` (which ends in `/evidence`)."""
    assert path.endswith(UPLOAD_SUFFIX)
    router = APIRouter(tags=[tag])
    ReadOwner = Annotated[str, Depends(readable)]
    WriteOwner = Annotated[str, Depends(writable)]

    async def _count(session: AsyncSession, owner: str) -> int:
        count = await session.scalar(
            select(func.count()).select_from(table).where(col(table.owner) == owner)
        )
        return int(count or 0)

    async def _store(
        session: AsyncSession, principal: Principal, owner: str, row: AttachmentColumns
    ) -> AttachmentPublic:
        if await _count(session, owner) >= _MAX_ATTACHMENTS:
            raise ValidationFailed(f"An input carries at most {_MAX_ATTACHMENTS} attachments.")
        session.add(row)
        await session.flush()
        public = _public(row)
        if added is not None:
            await added(session, principal, owner, public)
        return public

    @router.get(
        path,
        response_model=list[AttachmentPublic],
        responses=problem_responses(403, 404),
        summary="Evidence attached",
    )
    async def list_evidence(session: SessionDep, owner: ReadOwner) -> list[AttachmentPublic]:
        rows = await session.exec(
            select(table).where(col(table.owner) == owner).order_by(col(table.added_at))
        )
        return [_public(r) for r in rows]

    @router.post(
        path,
        status_code=201,
        response_model=AttachmentPublic,
        responses=problem_responses(403, 404, 409, 413, 415, 422),
        summary="Attach a file (the raw body; PDF, image or Office document, ≤ 20 MiB)",
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    t: {"schema": {"type": "string", "format": "binary"}} for t in ACCEPTED_TYPES
                },
            }
        },
    )
    async def upload_evidence(
        request: Request,
        session: SessionDep,
        principal: PrincipalDep,
        owner: WriteOwner,
        filename: Annotated[
            str, Query(min_length=1, max_length=200, description="The file's name.")
        ],
    ) -> AttachmentPublic:
        content = await request.body()
        if not content:
            raise ValidationFailed("The file is empty.")
        media_type = recognise(content, request.headers.get("content-type", ""))
        digest = hashlib.sha256(content).hexdigest()
        await blobs.put(session, digest, content)
        row = table(
            id=uuid.uuid4().hex,
            owner=owner,
            kind="file",
            title=_safe_title(filename),
            content_type=media_type,
            size_bytes=len(content),
            sha256=digest,
            added_by=principal.name,
        )
        return await _store(session, principal, owner, row)

    @router.post(
        f"{path}/links",
        status_code=201,
        response_model=AttachmentPublic,
        responses=problem_responses(403, 404, 409, 422),
        summary="Attach a link",
    )
    async def link_evidence(
        session: SessionDep, principal: PrincipalDep, owner: WriteOwner, body: LinkCreate
    ) -> AttachmentPublic:
        row = table(
            id=uuid.uuid4().hex,
            owner=owner,
            kind="link",
            title=body.title,
            url=str(body.url),
            added_by=principal.name,
        )
        return await _store(session, principal, owner, row)

    @router.get(
        f"{path}/{{attachment_id}}",
        response_class=Response,
        responses={
            200: {"content": {"application/octet-stream": {}}, "description": "The file."},
            **problem_responses(403, 404),
        },
        summary="Download an attached file",
    )
    async def download_evidence(
        session: SessionDep,
        owner: ReadOwner,
        attachment_id: Annotated[str, Depends(_attachment_id)],
    ) -> Response:
        row = await session.get(table, attachment_id)
        if row is None or row.owner != owner or row.kind != "file" or row.sha256 is None:
            raise NotFound(f"No attached file {attachment_id!r} here.")
        content = await blobs.get(session, row.sha256)
        if content is None:
            raise NotFound(f"The bytes of attachment {attachment_id!r} are missing.")
        return Response(
            content,
            media_type=row.content_type or "application/octet-stream",
            headers={
                "Content-Disposition": f"attachment; filename*=UTF-8''{quote(row.title)}",
                "X-Content-Type-Options": "nosniff",
                "Repr-Digest": f"sha-256=:{_base64(row.sha256)}:",
                "Cache-Control": "private, no-store",
            },
        )

    return router


async def _attachment_id(attachment_id: str) -> str:
    if not (1 <= len(attachment_id) <= 32 and attachment_id.isascii() and attachment_id.isalnum()):
        raise NotFound(f"No attachment {attachment_id[:40]!r}.")
    return attachment_id


def _base64(hex_digest: str) -> str:
    return base64.b64encode(bytes.fromhex(hex_digest)).decode()
