"""USCC (GB 32100-2015) and GB/T 4754-2017 validation."""

from __future__ import annotations

import pytest

from policy import (
    FeaturedIndustry,
    featured_industry_of,
    industries,
    industry_problem,
    is_valid_uscc,
    uscc_check_character,
    uscc_problem,
)


class TestUscc:
    def test_the_seed_example_is_valid(self) -> None:
        assert is_valid_uscc("91350100M000100Y43")

    def test_check_character_is_computed_per_the_standard(self) -> None:
        assert uscc_check_character("91350100M000100Y4") == "3"

    @pytest.mark.parametrize(
        ("code", "problem"),
        [
            ("91350100M000100Y44", "check character"),
            ("91350100M000100Y4", "18 characters"),
            ("91350100M000100YI3", "outside"),  # I is not in the alphabet
            ("91350100m000100Y43", "outside"),  # lower case is not either
        ],
    )
    def test_invalid_codes_say_why(self, code: str, problem: str) -> None:
        assert problem in (uscc_problem(code) or "")

    def test_every_single_character_change_is_caught(self) -> None:
        code = "91350100M000100Y43"
        for position in range(18):
            for replacement in "0123456789ABCDEFGHJKLMNPQRTUWXY":
                if replacement != code[position]:
                    changed = code[:position] + replacement + code[position + 1 :]
                    assert not is_valid_uscc(changed), changed


class TestIndustryCodes:
    def test_the_table_holds_1380_classes_and_20_sections(self) -> None:
        levels = [ref.level for ref in industries().values()]
        assert levels.count(4) == 1380
        assert levels.count(1) == 20
        assert levels.count(2) == 97

    @pytest.mark.parametrize("code", ["J", "66", "662", "6621", "7231"])
    def test_codes_of_every_level_are_known(self, code: str) -> None:
        assert industry_problem(code) is None

    @pytest.mark.parametrize("code", ["9999", "7230x", "", "K1"])
    def test_unknown_codes_are_refused(self, code: str) -> None:
        assert industry_problem(code) is not None

    @pytest.mark.parametrize(
        ("code", "industry"),
        [
            ("7231", FeaturedIndustry.legal),
            ("723", FeaturedIndustry.legal),
            ("7241", FeaturedIndustry.accounting_audit),
            ("7520", FeaturedIndustry.intellectual_property),
            ("J", FeaturedIndustry.finance),
            ("66", FeaturedIndustry.finance),
            ("6820", FeaturedIndustry.finance),
            ("73", FeaturedIndustry.tech_rnd),
            ("7310", FeaturedIndustry.tech_rnd),
            ("7484", FeaturedIndustry.design),
            ("7492", FeaturedIndustry.design),
        ],
    )
    def test_featured_industries_follow_the_2017_codes(
        self, code: str, industry: FeaturedIndustry
    ) -> None:
        assert featured_industry_of(code) is industry

    @pytest.mark.parametrize("code", ["724", "74", "7242", "5111", "M"])
    def test_codes_only_partly_or_not_featured_are_not(self, code: str) -> None:
        assert featured_industry_of(code) is None
