"""GET|POST /api/v1/monitoring/notifications."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from services.monitoring.notifications import service
from services.monitoring.notifications.schemas import NotificationPage, NotificationPublic
from services.monitoring.notifications.service import Delivery
from shared import AdminDep, PrincipalDep, SessionDep
from shared.params import Limit, Offset

router = APIRouter(prefix="/api/v1/monitoring/notifications", tags=["monitoring"])


async def _delivery(request: Request) -> Delivery:
    delivery: Delivery = request.app.state.delivery
    return delivery


DeliveryDep = Annotated[Delivery, Depends(_delivery)]


@router.get("", response_model=NotificationPage, summary="Daily digests of open warnings")
async def list_notifications(
    session: SessionDep, principal: PrincipalDep, limit: Limit = 50, offset: Offset = 0
) -> NotificationPage:
    """A district sees its own district's digests; the 发改委 and the 督查室 see every one."""
    return await service.list_page(session, principal, limit, offset)


@router.post(
    "/digests",
    status_code=201,
    response_model=list[NotificationPublic],
    summary="Produce today's digests now (administrator)",
)
async def produce_digests(
    session: SessionDep, principal: AdminDep, delivery: DeliveryDep
) -> list[NotificationPublic]:
    """They are also produced every day at SBE_DIGEST_HOUR (Beijing time); each audience gets
    one a day, e-mailed when SBE_SMTP_HOST and SBE_DIGEST_RECIPIENTS say where."""
    return await service.produce_now(session, delivery.mailer, delivery.recipients)
