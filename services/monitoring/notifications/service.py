"""Daily digests (每日预警摘要): one per district with open warnings, and one for the 发改委 with
every district's. Kept in the platform; e-mailed too when an SMTP server and recipients are set.
A district's digest never mentions a large taxpayer's move-out (enterprise tax standing is for
the 发改委 and the 督查室 only)."""

from __future__ import annotations

import asyncio
import logging
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from policy import districts
from services.monitoring.notifications import repository
from services.monitoring.notifications.mail import Mailer
from services.monitoring.notifications.models import Notification
from services.monitoring.notifications.schemas import NotificationPage, NotificationPublic
from services.monitoring.warnings.models import EarlyWarning
from services.monitoring.warnings.schemas import WarningKind
from shared import SHANGHAI, Database, Principal, beijing_today, utcnow

logger = logging.getLogger("sbe.monitoring.notifications")

ADMIN = "admin"
KIND_ZH = {
    WarningKind.occupancy_drop: "出租率下降",
    WarningKind.tax_drop: "税收同比下降",
    WarningKind.below_100m: "跌破亿元",
    WarningKind.large_taxpayer_moved_out: "重点纳税企业迁出",
    WarningKind.reports_missing: "数据中断",
    WarningKind.behind_pace: "落后于时序进度",
}
LISTED = 50  # warnings listed by name in one digest; the counts cover all


class Delivery:
    """How digests leave the platform: the mailer (if any) and the recipients per audience."""

    def __init__(self, mailer: Mailer | None, recipients: dict[str, list[str]]) -> None:
        self.mailer = mailer
        self.recipients = recipients


def _line(warning: EarlyWarning, since: datetime) -> str:
    new = "【新】" if warning.created_at >= since else ""
    kind = KIND_ZH.get(WarningKind(warning.kind), warning.kind)
    return f"- {new}{kind}：{warning.message}（预警编号{warning.id}）"


def _digest(title: str, warnings: list[EarlyWarning], since: datetime) -> str:
    counts = Counter(KIND_ZH.get(WarningKind(w.kind), w.kind) for w in warnings)
    fresh = sum(1 for w in warnings if w.created_at >= since)
    lines = [
        title,
        f"未关闭预警{len(warnings)}条，其中过去24小时新增{fresh}条。",
        "按类型：" + "；".join(f"{k}{n}条" for k, n in sorted(counts.items())),
        "",
        *(_line(w, since) for w in warnings[:LISTED]),
    ]
    if len(warnings) > LISTED:
        lines.append(f"……另有{len(warnings) - LISTED}条，请登录平台查看。")
    return "\n".join(lines)


async def produce(
    session: AsyncSession,
    day: date,
    *,
    mailer: Mailer | None = None,
    recipients: dict[str, list[str]] | None = None,
) -> list[Notification]:
    """The day's digests (once per audience and day), e-mailed where recipients are set."""
    since = utcnow() - timedelta(days=1)
    open_ones = await repository.open_warnings(session)
    by_district: dict[str, list[EarlyWarning]] = defaultdict(list)
    for warning in open_ones:
        by_district[warning.district_id].append(warning)
    names = {d.district_id: d.name_zh for d in districts()}
    drafts: list[tuple[str, str, str]] = []
    for district_id, warnings in sorted(by_district.items()):
        visible = [w for w in warnings if w.kind != WarningKind.large_taxpayer_moved_out]
        if visible:
            name = names.get(district_id, district_id)
            title = f"{name}{day.isoformat()}楼宇预警摘要"
            drafts.append((district_id, title, _digest(title, visible, since)))
    if open_ones:
        title = f"全市{day.isoformat()}楼宇预警摘要"
        per_district = "；".join(
            f"{names.get(d, d)}{len(ws)}条" for d, ws in sorted(by_district.items())
        )
        body = _digest(title, open_ones, since).replace(
            "\n按类型：", f"\n按地区：{per_district}\n按类型：", 1
        )
        drafts.append((ADMIN, title, body))
    made: list[Notification] = []
    for audience, subject, body in drafts:
        if await repository.existing(session, audience, day) is not None:
            continue
        made.append(
            await repository.save(
                session, Notification(audience=audience, day=day, subject=subject, body=body)
            )
        )
    for notification in made:
        to = (recipients or {}).get(notification.audience, [])
        if mailer is None or not to:
            continue
        try:
            await mailer.send(to, notification.subject, notification.body)
            notification.emailed_at = utcnow()
        except (OSError, ValueError) as exc:  # smtplib's errors are OSErrors
            notification.email_error = f"{type(exc).__name__}: {exc}"[:500]
            logger.warning("the %s digest was not e-mailed", notification.audience)
        await repository.save(session, notification)
    return made


async def daily(
    database: Database,
    hour: int,
    mailer: Mailer | None,
    recipients: dict[str, list[str]],
) -> None:
    """Produce the digests every day at `hour` (Beijing time), until cancelled."""
    while True:
        now = utcnow().astimezone(SHANGHAI)
        at = now.replace(hour=hour, minute=0, second=0, microsecond=0)
        if at <= now:
            at += timedelta(days=1)
        await asyncio.sleep((at - now).total_seconds())
        try:
            async with database.unit_of_work() as session:
                await produce(session, at.date(), mailer=mailer, recipients=recipients)
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.warning("the daily digests failed; trying again tomorrow", exc_info=True)


def _public(n: Notification) -> NotificationPublic:
    return NotificationPublic.model_validate(n, from_attributes=True)


async def list_page(
    session: AsyncSession, principal: Principal, limit: int, offset: int
) -> NotificationPage:
    """A district sees its own digests; the administrator and the supervision office all."""
    audience = None if principal.reads_everything else (principal.district_id or "-")
    rows, total = await repository.page(session, audience, limit, offset)
    return NotificationPage(items=[_public(n) for n in rows], total=total)


async def produce_now(
    session: AsyncSession, mailer: Mailer | None, recipients: dict[str, list[str]]
) -> list[NotificationPublic]:
    """Today's digests on demand (those already produced today stay as they were)."""
    return [
        _public(n)
        for n in await produce(session, beijing_today(), mailer=mailer, recipients=recipients)
    ]
