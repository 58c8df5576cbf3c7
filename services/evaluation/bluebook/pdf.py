"""The blue book as PDF, printed from its HTML by headless Chromium (a maintained engine that
lays out Chinese text with the system's Noto CJK fonts and keeps the inline SVG charts sharp).

Each print runs in a fresh, throw-away profile with networking switched off: the HTML is
self-contained, so nothing is fetched, and a preface can never make the server reach out."""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import Depends, Request

from shared import ServiceUnavailable
from shared.ops import CHROMIUM_FLAGS

FLAGS = (
    "--headless",
    *CHROMIUM_FLAGS,
    "--disable-extensions",
    "--no-pdf-header-footer",
    # Any address but the file itself resolves nowhere.
    "--host-resolver-rules=MAP * ~NOTFOUND",
)


class Printer:
    """Prints HTML to PDF, one print at a time (Chromium is heavy on a small machine)."""

    def __init__(self, chromium: str, *, timeout: float = 60.0) -> None:
        self.chromium = chromium
        self.timeout = timeout
        self._one_at_a_time = asyncio.Semaphore(1)

    def available(self) -> bool:
        return shutil.which(self.chromium) is not None

    async def pdf(self, html: str) -> bytes:
        if not self.available():
            raise ServiceUnavailable(
                f"PDF printing needs Chromium at {self.chromium} (SBE_CHROMIUM_PATH); the HTML "
                "and XLSX editions are available."
            )
        async with self._one_at_a_time:
            with tempfile.TemporaryDirectory(prefix="sbe-print-") as work:
                page, out = Path(work) / "book.html", Path(work) / "book.pdf"
                page.write_text(html, encoding="utf-8")
                process = await asyncio.create_subprocess_exec(
                    self.chromium,
                    *FLAGS,
                    f"--user-data-dir={work}/profile",
                    f"--print-to-pdf={out}",
                    page.as_uri(),
                    stdout=asyncio.subprocess.DEVNULL,
                    stderr=asyncio.subprocess.PIPE,
                    env={**os.environ, "HOME": work},
                )
                try:
                    _, errors = await asyncio.wait_for(process.communicate(), self.timeout)
                except TimeoutError:
                    process.kill()
                    await process.wait()
                    raise ServiceUnavailable("Printing the PDF took too long.") from None
                if process.returncode != 0 or not out.exists():
                    tail = errors.decode(errors="replace").strip().splitlines()[-1:]
                    raise ServiceUnavailable(f"Printing the PDF failed: {' '.join(tail)}")
                return out.read_bytes()


async def _printer(request: Request) -> Printer:
    printer: Printer = request.app.state.printer
    return printer


PrinterDep = Annotated[Printer, Depends(_printer)]
