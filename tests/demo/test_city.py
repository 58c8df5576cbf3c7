"""The demonstration city looks like Suzhou, the same every time for a seed, and its feeds add up
to what it planned once corrections are applied."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, date, datetime

import pytest

from demo.city import YI, City, build_city
from demo.feeds import SEASON, occupancy_records, planned_months, tax_records
from policy import OccupancyMessage, TaxMessage, districts, industries, is_valid_uscc

TODAY = date(2026, 12, 7)


@pytest.fixture(scope="module")
def city() -> City:
    return build_city(seed=2023, scale=1, today=TODAY)


def tenants_by_building(city: City) -> dict[str, list]:
    found: dict[str, list] = defaultdict(list)
    for tenant in city.tenants:
        found[tenant.building_id].append(tenant)
    return found


class TestTheCity:
    def test_is_the_same_for_a_seed_and_another_for_another(self, city: City) -> None:
        again = build_city(seed=2023, scale=1, today=TODAY)
        assert again.buildings == city.buildings and again.tenants == city.tenants
        other = build_city(seed=7, scale=1, today=TODAY)
        assert [b.name for b in other.buildings] != [b.name for b in city.buildings]

    def test_each_district_has_at_least_its_annex_1_office_buildings(self, city: City) -> None:
        operating = Counter(b.district_id for b in city.buildings if b.status == "operating")
        for district in districts():
            assert operating[district.district_id] >= district.office_buildings_over_10k_m2_2022
        assert sum(operating.values()) >= 347
        assert {b.status for b in city.buildings} == {"operating", "planned", "under_construction"}
        assert all(
            b.gross_floor_area_m2 > 10_000 for b in city.buildings if b.status == "operating"
        )

    def test_names_are_distinct_within_a_district_and_addresses_name_it(self, city: City) -> None:
        names = Counter((b.district_id, b.name) for b in city.buildings)
        assert max(names.values()) == 1
        sip = next(b for b in city.buildings if b.district_id == "sip")
        assert sip.address.startswith("苏州工业园区")

    def test_about_87_buildings_pass_1yi_in_the_first_year_and_one_10yi(self, city: City) -> None:
        first = city.first_year
        over = [b for b in city.buildings if b.tax_cents.get(first, 0) > YI]
        assert len(over) == 87
        assert 3 <= sum(b.tax_cents[first] > 5 * YI for b in over) <= 15
        assert sum(b.tax_cents[first] > 10 * YI for b in over) == 1

    def test_three_full_years_and_this_years_months_so_far(self, city: City) -> None:
        months = city.months()
        assert (months[0], months[-1]) == (date(2023, 1, 1), date(2026, 11, 1))
        assert city.years == [2023, 2024, 2025, 2026]


class TestTheEnterprises:
    def test_have_valid_credit_codes_and_gbt_4754_classes(self, city: City) -> None:
        classes = {code for code, i in industries().items() if i.level == 4}
        assert all(is_valid_uscc(t.uscc) for t in city.tenants)
        assert all(t.industry_code in classes for t in city.tenants)
        assert len({t.uscc for t in city.tenants}) == len(city.tenants)

    def test_each_district_leans_its_own_way(self, city: City) -> None:
        def share(district: str, sections: set[str]) -> float:
            mine = [t for t in city.tenants if t.district_id == district]
            inside = sum(industries()[t.industry_code].section in sections for t in mine)
            return inside / len(mine)

        finance_and_rnd = {"J", "M"}
        assert share("sip", finance_and_rnd) > 0.45 > share("gusu", finance_and_rnd)
        assert share("gusu", {"L", "H", "R", "O"}) > 0.4

    def test_move_in_and_out_every_year_and_stay_many(self, city: City) -> None:
        for year in city.years:
            arrived = sum(t.moved_in.year == year for t in city.tenants)
            left = sum(t.moved_out is not None and t.moved_out.year == year for t in city.tenants)
            assert arrived > 100 and left > 100
        assert sum(t.moved_out is None for t in city.tenants) > 3_000


class TestTheFeeds:
    def test_add_up_to_each_buildings_plan_once_the_newest_of_each_record_is_kept(
        self, city: City
    ) -> None:
        kept: dict[str, object] = {}
        sent = 0
        for record in tax_records(city, tenants_by_building(city)):
            sent += 1
            held = kept.get(record.record_id)
            if held is None or record.reported_at > held.reported_at:  # type: ignore[attr-defined]
                kept[record.record_id] = record
        assert sent > len(kept)  # corrections: one record id sent twice
        months: dict[tuple[str, str], int] = defaultdict(int)
        for record in kept.values():
            months[(record.building_id, record.period)] += record.amount_cents  # type: ignore[attr-defined]
        for building in city.buildings:
            for period, planned in planned_months(city, building).items():
                assert months[(building.id, period)] == planned
        assert any(r.amount_cents < 0 for r in kept.values())  # type: ignore[attr-defined]

    def test_each_year_adds_up_to_its_plan_and_follows_the_tax_calendar(self, city: City) -> None:
        building = next(b for b in city.buildings if b.tax_cents)
        plan = planned_months(city, building)
        full = [y for y in city.years if y < TODAY.year]
        for year in full:
            assert (
                sum(v for p, v in plan.items() if p.startswith(f"{year}-"))
                == building.tax_cents[year]
            )
        may = SEASON[4] / sum(SEASON) * 12
        assert may > 1.3 and SEASON[1] < SEASON[4]

    def test_every_message_is_one_the_feeds_take(self, city: City) -> None:
        # The contract's own models (unknown fields refused): the generator cannot drift.
        tenants = tenants_by_building(city)
        for record in tax_records(city, tenants):
            TaxMessage.model_validate(record.message())
        for occupancy in occupancy_records(city, tenants):
            OccupancyMessage.model_validate(occupancy.message())

    def test_nothing_is_reported_after_the_day_the_city_is_drawn(self, city: City) -> None:
        # The feeds refuse a report from the future: last month's figures come in before today.
        drawn = datetime(TODAY.year, TODAY.month, TODAY.day, tzinfo=UTC)
        tenants = tenants_by_building(city)
        assert all(r.reported_at < drawn for r in tax_records(city, tenants))
        assert all(r.reported_at < drawn for r in occupancy_records(city, tenants))

    def test_occupancy_is_reported_for_every_operating_building_every_month(
        self, city: City
    ) -> None:
        records = list(occupancy_records(city, tenants_by_building(city)))
        operating = sum(b.status == "operating" for b in city.buildings)
        assert len(records) == operating * len(city.months())
        assert all(0 <= r.occupied_area_m2 <= r.leasable_area_m2 for r in records)
