"""Daily digests of open warnings: kept in the platform per district and for the 发改委, and
e-mailed through an SMTP server (a local aiosmtpd sink here)."""

from __future__ import annotations

import email
from collections.abc import Awaitable, Callable, Iterator
from email import policy
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller

from services.monitoring.notifications.mail import Mailer
from services.monitoring.notifications.service import produce
from shared import beijing_today as today
from tests.monitoring.test_warnings import a_drop
from tests.support import SUPERVISION, Feed, as_, district, free_port

Register = Callable[..., Awaitable[str]]
URL = "/api/v1/monitoring/notifications"


class Sink:
    """Keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append(parsed)  # type: ignore[arg-type]
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[Sink, int]]:
    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield sink, port
    finally:
        controller.stop()


async def a_warning(monitoring: httpx.AsyncClient, feed: Feed, register: Register) -> str:
    return str((await a_drop(monitoring, feed, register, "changshu"))["building_id"])


class TestDigests:
    async def test_digests_are_kept_and_emailed_to_their_audience(
        self,
        monitoring: httpx.AsyncClient,
        feed: Feed,
        register: Register,
        services: Any,
        smtp: tuple[Sink, int],
    ) -> None:
        sink, port = smtp
        await a_warning(monitoring, feed, register)
        mailer = Mailer(host="127.0.0.1", port=port, sender="sbe@suzhou.gov.cn")
        recipients = {"changshu": ["lyjj@changshu.gov.cn"], "admin": ["fgw@suzhou.gov.cn"]}
        database = services.apps["monitoring"].state.database
        async with database.unit_of_work() as session:
            made = await produce(session, today(), mailer=mailer, recipients=recipients)
        assert sorted(n.audience for n in made) == ["admin", "changshu"]
        assert all(n.emailed_at is not None for n in made)
        by_to = {m["To"]: m for m in sink.messages}
        district_mail = by_to["lyjj@changshu.gov.cn"]
        assert "常熟市" in district_mail["Subject"] and "楼宇预警摘要" in district_mail["Subject"]
        text = district_mail.get_content()
        assert "未关闭预警1条" in text and "出租率下降" in text
        assert "按地区：常熟市1条" in by_to["fgw@suzhou.gov.cn"].get_content()
        # Once a day per audience, however often it runs.
        async with database.unit_of_work() as session:
            assert await produce(session, today(), mailer=mailer, recipients=recipients) == []
        assert len(sink.messages) == 2

    async def test_each_role_reads_its_own_digests(
        self, monitoring: httpx.AsyncClient, feed: Feed, register: Register
    ) -> None:
        await a_warning(monitoring, feed, register)
        made = await monitoring.post(f"{URL}/digests")
        assert made.status_code == 201, made.text
        assert {n["audience"] for n in made.json()} == {"admin", "changshu"}
        assert all(n["emailed_at"] is None for n in made.json())  # no SMTP server set
        own = (await monitoring.get(URL, auth=as_(district("changshu")))).json()
        assert [n["audience"] for n in own["items"]] == ["changshu"]
        other = (await monitoring.get(URL, auth=as_(district("gusu")))).json()
        assert other["total"] == 0
        everything = (await monitoring.get(URL, auth=as_(SUPERVISION))).json()
        assert everything["total"] == 2
        refused = await monitoring.post(f"{URL}/digests", auth=as_(district("changshu")))
        assert refused.status_code == 403

    async def test_an_unreachable_server_is_recorded_not_raised(
        self, monitoring: httpx.AsyncClient, feed: Feed, register: Register, services: Any
    ) -> None:
        await a_warning(monitoring, feed, register)
        mailer = Mailer(host="127.0.0.1", port=free_port(), sender="sbe@x", timeout=2)
        database = services.apps["monitoring"].state.database
        async with database.unit_of_work() as session:
            made = await produce(
                session, today(), mailer=mailer, recipients={"admin": ["fgw@suzhou.gov.cn"]}
            )
        admin = next(n for n in made if n.audience == "admin")
        assert admin.emailed_at is None and admin.email_error
