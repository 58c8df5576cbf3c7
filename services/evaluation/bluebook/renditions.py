"""A publication's blue book is rendered once per edition and format and then served from
storage: printing a PDF takes Chromium seconds, and a frozen publication's book only changes
when its preface does, or the code that lays it out."""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path

from sqlmodel.ext.asyncio.session import AsyncSession

from services.evaluation.bluebook import (
    charts,
    page,
    repository,
    service,
    templates,
    wording,
    workbook,
)
from services.evaluation.bluebook.models import BookRendition
from services.evaluation.bluebook.pdf import Printer
from services.evaluation.bluebook.schemas import BlueBook

# The layout's own source: a change to the templates or the charts renders every book afresh.
RENDERER = hashlib.sha256(
    b"".join(
        Path(module.__file__ or "").read_bytes()
        for module in (page, workbook, wording, charts, templates)
    )
    + templates.sources()
).hexdigest()


async def rendition(
    session: AsyncSession, printer: Printer, book: BlueBook, format: str, demo: bool
) -> BookRendition:
    """The book in `format` as kept, or rendered now and kept when nothing kept matches (the
    preface, the renderer, and whether the platform holds demonstration data)."""
    preface = await service.preface_of(session, book.publication_id)
    source = hashlib.sha256(f"{RENDERER}\n{demo}\n{preface or ''}".encode()).hexdigest()
    kept = await repository.rendition(session, book.publication_id, book.edition, format)
    if kept is not None and kept.source == source:
        return kept
    content = await _produce(printer, book, format, preface, demo)
    return await repository.keep_rendition(
        session,
        BookRendition(
            publication_id=book.publication_id,
            edition=book.edition,
            format=format,
            source=source,
            etag=hashlib.sha256(content).hexdigest()[:32],
            content=content,
        ),
    )


async def _produce(
    printer: Printer, book: BlueBook, format: str, preface: str | None, demo: bool
) -> bytes:
    if format == "xlsx":
        return await asyncio.to_thread(workbook.xlsx, book, demo)
    document = await asyncio.to_thread(page.html, book, preface, demo)
    if format == "pdf":
        return await printer.pdf(document)
    return document.encode()
