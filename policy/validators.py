"""Validators for the codes district systems send: USCC (GB 32100-2015) and GB/T 4754-2017."""

from __future__ import annotations

from enum import StrEnum
from functools import cache

from policy.reference import industries

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
_USCC_VALUE = {ch: i for i, ch in enumerate(USCC_ALPHABET)}
_USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))


def uscc_check_character(first17: str) -> str:
    """The check character for the first 17 characters of a 统一社会信用代码."""
    total = sum(_USCC_VALUE[ch] * w for ch, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def uscc_problem(code: str) -> str | None:
    """Why `code` is not a valid 统一社会信用代码, or None when it is."""
    if len(code) != 18:
        return "must be 18 characters"
    bad = sorted({ch for ch in code if ch not in _USCC_VALUE})
    if bad:
        return f"contains characters outside GB 32100-2015's set: {''.join(bad)}"
    expected = uscc_check_character(code[:17])
    if code[17] != expected:
        return f"check character is {code[17]!r}, GB 32100-2015 gives {expected!r}"
    return None


def is_valid_uscc(code: str) -> bool:
    """True for an 18-character code whose check character is right."""
    return uscc_problem(code) is None


def industry_problem(code: str) -> str | None:
    """Why `code` is not a GB/T 4754-2017 code, or None when it is."""
    if code in industries():
        return None
    return "is not a GB/T 4754-2017 industry code"


class FeaturedIndustry(StrEnum):
    """The six featured industries of the plan's 产业特色楼宇."""

    legal = "legal"
    accounting_audit = "accounting_audit"
    intellectual_property = "intellectual_property"
    finance = "finance"
    tech_rnd = "tech_rnd"
    design = "design"


# Their names as the plan writes them, for exports and the blue book (keyed by the enum, which
# is its value as text too).
FEATURED_INDUSTRY_ZH: dict[str, str] = {
    FeaturedIndustry.legal: "法律服务",
    FeaturedIndustry.accounting_audit: "会计审计服务",
    FeaturedIndustry.intellectual_property: "知识产权服务",
    FeaturedIndustry.finance: "金融服务",
    FeaturedIndustry.tech_rnd: "科技研发服务",
    FeaturedIndustry.design: "设计服务",
}


# Seed README: the 2017 codes of each featured industry. Entries may be classes, divisions or a
# section; they are expanded to the classes below them.
FEATURED_INDUSTRY_CODES: dict[FeaturedIndustry, tuple[str, ...]] = {
    FeaturedIndustry.legal: ("7231", "7232", "7239"),
    FeaturedIndustry.accounting_audit: ("7241",),
    FeaturedIndustry.intellectual_property: ("7520",),
    FeaturedIndustry.finance: ("66", "67", "68", "69"),
    FeaturedIndustry.tech_rnd: ("73",),
    FeaturedIndustry.design: ("7484", "7485", "7491", "7492"),
}


@cache
def _classes_under(code: str) -> frozenset[str]:
    table = industries()
    ref = table[code]
    if ref.level == 4:
        return frozenset({code})
    field = {1: "section", 2: "division", 3: "group"}[ref.level]
    return frozenset(c for c, r in table.items() if r.level == 4 and getattr(r, field) == code)


@cache
def _featured_classes() -> dict[FeaturedIndustry, frozenset[str]]:
    return {
        industry: frozenset().union(*(_classes_under(code) for code in codes))
        for industry, codes in FEATURED_INDUSTRY_CODES.items()
    }


@cache
def featured_codes() -> dict[FeaturedIndustry, tuple[str, ...]]:
    """Every industry code, of any level, that lies wholly in each featured industry (what
    `featured_industry_of` answers, the other way round: for a query's IN lists)."""
    return {
        industry: tuple(sorted(c for c in industries() if featured_industry_of(c) is industry))
        for industry in FeaturedIndustry
    }


@cache
def featured_industry_of(code: str) -> FeaturedIndustry | None:
    """The featured industry an industry code belongs to, if all of it lies in one."""
    if code not in industries():
        return None
    classes = _classes_under(code)
    if not classes:
        return None
    for industry, featured in _featured_classes().items():
        if classes <= featured:
            return industry
    return None
