"""The early-warning thresholds in force: the newest an administrator set, else the settings'."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel.ext.asyncio.session import AsyncSession

from services.monitoring.warnings import repository
from services.monitoring.warnings.models import WarningSetting
from services.monitoring.warnings.schemas import WarningSettingsPublic, WarningSettingsUpdate
from shared import Principal


@dataclass(frozen=True)
class WarningRules:
    """The configurable thresholds."""

    occupancy_drop_points: float
    tax_drop_share: float
    line_100m_cents: int
    large_taxpayer_cents: int
    pace_share: float = 0.5


class RulesStore:
    """The rules in force: the newest thresholds an administrator set, else the settings'."""

    def __init__(self, defaults: WarningRules) -> None:
        self.defaults = defaults

    async def rules(self, session: AsyncSession) -> WarningRules:
        latest = await repository.latest_setting(session)
        if latest is None:
            return self.defaults
        return WarningRules(
            occupancy_drop_points=latest.occupancy_drop_points,
            tax_drop_share=latest.tax_drop_share,
            line_100m_cents=self.defaults.line_100m_cents,
            large_taxpayer_cents=latest.large_taxpayer_cny * 100,
            pace_share=latest.pace_share,
        )

    def _default_view(self) -> WarningSettingsPublic:
        return WarningSettingsPublic(
            occupancy_drop_points=self.defaults.occupancy_drop_points,
            tax_drop_share=self.defaults.tax_drop_share,
            large_taxpayer_cny=self.defaults.large_taxpayer_cents // 100,
            pace_share=self.defaults.pace_share,
            version=0,
            reason=None,
            changed_by=None,
            changed_at=None,
        )

    async def current(self, session: AsyncSession) -> WarningSettingsPublic:
        latest = await repository.latest_setting(session)
        return self._default_view() if latest is None else _setting_view(latest)

    async def change(
        self, session: AsyncSession, principal: Principal, data: WarningSettingsUpdate
    ) -> WarningSettingsPublic:
        """New thresholds from now on; earlier warnings stay as they were raised."""
        row = await repository.add_setting(
            session,
            WarningSetting(
                occupancy_drop_points=data.occupancy_drop_points,
                tax_drop_share=data.tax_drop_share,
                large_taxpayer_cny=data.large_taxpayer_cny,
                pace_share=data.pace_share,
                reason=data.reason,
                changed_by=principal.name,
            ),
        )
        return _setting_view(row)

    async def history(self, session: AsyncSession) -> list[WarningSettingsPublic]:
        """The settings' thresholds, then every administrator's version, oldest first."""
        return [self._default_view()] + [
            _setting_view(s) for s in await repository.settings_history(session)
        ]


def _setting_view(row: WarningSetting) -> WarningSettingsPublic:
    return WarningSettingsPublic(
        occupancy_drop_points=row.occupancy_drop_points,
        tax_drop_share=row.tax_drop_share,
        large_taxpayer_cny=row.large_taxpayer_cny,
        pace_share=row.pace_share,
        version=row.id or 0,
        reason=row.reason,
        changed_by=row.changed_by,
        changed_at=row.changed_at,
    )
