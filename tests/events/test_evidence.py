"""Evidence attached to events: files recognised by their content, links, who may add and read."""

from __future__ import annotations

import base64
import hashlib

import httpx
import pytest

from tests.events.conftest import event
from tests.support import SUPERVISION, as_, district

URL = "/api/v1/events"
GUSU = as_(district("gusu"))
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64
MiB = 1024 * 1024


async def held_by_gusu(events: httpx.AsyncClient) -> str:
    response = await events.post(URL, json=event(), auth=GUSU)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def upload(
    events: httpx.AsyncClient, event_id: str, content: bytes, media_type: str, **kwargs: object
) -> httpx.Response:
    return await events.post(
        f"{URL}/{event_id}/evidence",
        params={"filename": "签到表.pdf"},
        content=content,
        headers={"Content-Type": media_type},
        **kwargs,  # type: ignore[arg-type]
    )


class TestFiles:
    async def test_a_district_attaches_a_pdf_and_the_admin_downloads_it_intact(
        self, events: httpx.AsyncClient
    ) -> None:
        event_id = await held_by_gusu(events)
        response = await upload(events, event_id, PDF, "application/pdf", auth=GUSU)
        assert response.status_code == 201, response.text
        body = response.json()
        assert body["kind"] == "file" and body["title"] == "签到表.pdf"
        assert body["content_type"] == "application/pdf" and body["size_bytes"] == len(PDF)
        assert body["sha256"] == hashlib.sha256(PDF).hexdigest()
        listed = (await events.get(f"{URL}/{event_id}/evidence")).json()
        assert [a["id"] for a in listed] == [body["id"]]
        download = await events.get(f"{URL}/{event_id}/evidence/{body['id']}")
        assert download.status_code == 200 and download.content == PDF
        assert download.headers["content-type"] == "application/pdf"
        assert download.headers["x-content-type-options"] == "nosniff"
        digest = base64.b64encode(hashlib.sha256(PDF).digest()).decode()
        assert download.headers["repr-digest"] == f"sha-256=:{digest}:"
        assert "attachment" in download.headers["content-disposition"]
        history = (await events.get(f"{URL}/{event_id}/history")).json()
        assert history[-1]["action"] == "evidence"
        assert history[-1]["detail"]["sha256"] == body["sha256"]

    async def test_a_file_over_the_json_limit_but_within_20_mib_is_taken(
        self, events: httpx.AsyncClient
    ) -> None:
        event_id = await held_by_gusu(events)
        big = PDF + b"0" * (12 * MiB)
        response = await upload(events, event_id, big, "application/pdf", auth=GUSU)
        assert response.status_code == 201, response.text
        assert response.json()["size_bytes"] == len(big)

    async def test_a_file_over_20_mib_is_refused_and_nothing_is_stored(
        self, events: httpx.AsyncClient
    ) -> None:
        event_id = await held_by_gusu(events)
        response = await upload(
            events, event_id, PDF + b"0" * (20 * MiB), "application/pdf", auth=GUSU
        )
        assert response.status_code == 413
        assert response.headers["content-type"] == "application/problem+json"
        assert (await events.get(f"{URL}/{event_id}/evidence")).json() == []

    @pytest.mark.parametrize(
        ("content", "declared"),
        [
            (b"<html><script>alert(1)</script></html>", "application/pdf"),
            (b"MZ\x90\x00\x03" + b"\x00" * 100, "application/octet-stream"),
            (b"plain words, nothing more", "text/plain"),
            (PNG, "application/pdf"),  # an image claiming to be a PDF
        ],
        ids=["html-as-pdf", "executable", "text", "png-declared-pdf"],
    )
    async def test_content_that_is_not_evidence_is_refused(
        self, events: httpx.AsyncClient, content: bytes, declared: str
    ) -> None:
        event_id = await held_by_gusu(events)
        response = await upload(events, event_id, content, declared, auth=GUSU)
        assert response.status_code == 415
        assert (await events.get(f"{URL}/{event_id}/evidence")).json() == []

    async def test_an_image_declared_generically_is_recognised(
        self, events: httpx.AsyncClient
    ) -> None:
        event_id = await held_by_gusu(events)
        response = await upload(events, event_id, PNG, "application/octet-stream", auth=GUSU)
        assert response.status_code == 201 and response.json()["content_type"] == "image/png"

    async def test_an_empty_file_is_refused(self, events: httpx.AsyncClient) -> None:
        event_id = await held_by_gusu(events)
        assert (await upload(events, event_id, b"", "application/pdf")).status_code == 422

    async def test_a_folder_in_the_file_name_is_dropped(self, events: httpx.AsyncClient) -> None:
        event_id = await held_by_gusu(events)
        response = await events.post(
            f"{URL}/{event_id}/evidence",
            params={"filename": "../../etc/现场照片.png"},
            content=PNG,
            headers={"Content-Type": "image/png"},
        )
        assert response.json()["title"] == "现场照片.png"


class TestLinksAndAccess:
    async def test_a_link_is_evidence_too(self, events: httpx.AsyncClient) -> None:
        event_id = await held_by_gusu(events)
        response = await events.post(
            f"{URL}/{event_id}/evidence/links",
            json={"url": "https://oa.gusu.gov.cn/doc/2023-031", "title": "会议纪要"},
            auth=GUSU,
        )
        assert response.status_code == 201, response.text
        assert response.json()["kind"] == "link" and response.json()["sha256"] is None
        bad = await events.post(
            f"{URL}/{event_id}/evidence/links",
            json={"url": "javascript:alert(1)", "title": "x"},
            auth=GUSU,
        )
        assert bad.status_code == 422

    @pytest.mark.parametrize("principal", [district("sip"), SUPERVISION])
    async def test_others_cannot_attach(self, events: httpx.AsyncClient, principal: object) -> None:
        event_id = await held_by_gusu(events)
        response = await upload(
            events,
            event_id,
            PDF,
            "application/pdf",
            auth=as_(principal),  # type: ignore[arg-type]
        )
        assert response.status_code == 403

    async def test_another_district_cannot_read_or_download(
        self, events: httpx.AsyncClient
    ) -> None:
        event_id = await held_by_gusu(events)
        attached = (await upload(events, event_id, PDF, "application/pdf", auth=GUSU)).json()
        sip = as_(district("sip"))
        assert (await events.get(f"{URL}/{event_id}/evidence", auth=sip)).status_code == 403
        download = await events.get(f"{URL}/{event_id}/evidence/{attached['id']}", auth=sip)
        assert download.status_code == 403
        supervision = await events.get(
            f"{URL}/{event_id}/evidence/{attached['id']}", auth=as_(SUPERVISION)
        )
        assert supervision.status_code == 200

    async def test_an_attachment_is_found_only_under_its_own_event(
        self, events: httpx.AsyncClient
    ) -> None:
        first = await held_by_gusu(events)
        second = (
            await events.post(URL, json=event(venue="另一会场", title="第二场"), auth=GUSU)
        ).json()["id"]
        attached = (await upload(events, first, PDF, "application/pdf", auth=GUSU)).json()
        response = await events.get(f"{URL}/{second}/evidence/{attached['id']}")
        assert response.status_code == 404
