"""The blue book as one HTML document in Chinese (templates/book.html), from a publication's
frozen content: printable to PDF, nothing fetched."""

from __future__ import annotations

from markdown_it import MarkdownIt
from markupsafe import Markup

from policy import TARGET_INDICATOR_NAMES_ZH
from services.evaluation.bluebook import templates
from services.evaluation.bluebook.charts import line_chart
from services.evaluation.bluebook.schemas import BlueBook, Flow, IndustryLine
from services.evaluation.bluebook.service import amount_yi
from services.evaluation.bluebook.wording import (
    DEMO_NOTICE,
    EDITION_ZH,
    TIER_ZH,
    count_text,
    growth_text,
    pending_text,
    percent,
    previous,
    same_months,
    title,
)
from services.evaluation.scoring.formula import TARGET_INDICATORS

INDUSTRY_HEADERS = ["门类", "名称", "企业数", "占比", "租用面积（㎡）", "占比"]


def _markdown() -> MarkdownIt:
    """CommonMark without raw HTML (shown as text) or images (never fetched); links only to
    http(s) and mailto."""
    md = MarkdownIt("commonmark", {"html": False}).disable("image")
    md.validateLink = _safe_link  # type: ignore[method-assign]
    return md


def _safe_link(url: str) -> bool:
    return url.strip().lower().startswith(("http://", "https://", "mailto:"))


MARKDOWN = _markdown()


def preface_html(markdown: str) -> Markup:
    """The preface's Markdown as HTML: markdown-it escapes the text and allows no raw HTML."""
    return Markup(MARKDOWN.render(markdown))  # noqa: S704 - markdown-it escapes, raw HTML off


def _industry_rows(lines: list[IndustryLine]) -> list[list[str]]:
    enterprises = sum(i.enterprises for i in lines) or 1
    area = sum(i.area_m2 for i in lines) or 1.0
    return [
        [
            i.code,
            i.name_zh,
            f"{i.enterprises:,}",
            f"{i.enterprises / enterprises:.1%}",
            f"{i.area_m2:,.0f}",
            f"{i.area_m2 / area:.1%}",
        ]
        for i in lines
    ]


def _flow_totals(flows: list[Flow]) -> list[str]:
    return [
        f"{sum(f.move_in for f in flows):,}",
        f"{sum(f.move_out for f in flows):,}",
        f"{sum(f.net for f in flows):,}",
    ]


def _events(book: BlueBook) -> dict[str, object]:
    """The full edition lists every event; the public one counts them per organiser and kind."""
    if book.edition == "full":
        return {
            "event_headers": ["日期", "类型", "主办", "名称"],
            "event_rows": [
                [e.day.isoformat(), e.kind, e.organiser, e.title or ""] for e in book.events
            ],
            "event_text_columns": 4,
        }
    counted: dict[tuple[str, str], int] = {}
    for e in book.events:
        counted[(e.organiser, e.kind)] = counted.get((e.organiser, e.kind), 0) + 1
    return {
        "event_headers": ["主办", "类型", "场次"],
        "event_rows": [[o, k, str(n)] for (o, k), n in counted.items()],
        "event_text_columns": 2,
    }


def html(book: BlueBook, preface: str | None = None, demo: bool = False) -> str:
    """One HTML document in Chinese, with everything inline; `preface` is Markdown."""
    o = book.overview
    full = book.edition == "full"
    names = {d.district_id: d.name for d in book.districts}
    per_m2 = f"{o.tax_cents / 100 / o.gross_floor_area_m2:,.2f}" if o.gross_floor_area_m2 else "—"
    return templates.render(
        "book.html",
        book=book,
        full=full,
        demo=demo,
        demo_notice=DEMO_NOTICE,
        title=title(book),
        edition=EDITION_ZH[book.edition],
        published=(
            f"依据第{book.publication_id}号发布（{book.published_at}）"
            if book.publication_id
            else ""
        ),
        preface=preface_html(preface) if preface else None,
        figures=[
            ("监测楼宇", f"{o.buildings:,}栋"),
            ("建筑面积", f"{o.gross_floor_area_m2 / 10_000:,.1f}万平方米"),
            ("全口径税收", f"{amount_yi(o.tax_cents)}亿元"),
            (f"同比{same_months(o)}", growth_text(o.tax_cents, o.tax_prev_cents)),
            ("亿元楼宇", f"{o.over_counts.get('100m', 0)}栋"),
            ("5亿元楼宇", f"{o.over_counts.get('500m', 0)}栋"),
            ("10亿元楼宇", f"{o.over_counts.get('1b', 0)}栋"),
            ("出租率（最近月份）", percent(o.occupancy_rate)),
            ("单位面积税收", f"{per_m2}元/平方米"),
        ],
        target_headers=[
            "地区",
            *[TARGET_INDICATOR_NAMES_ZH[k] for k in TARGET_INDICATORS],
            "考核得分",
            "排名",
            *(["待审核"] if full else []),
        ],
        target_rows=[
            [line.name]
            + [
                f"{count_text(line.actuals.get(k))}／{line.targets.get(k, 0)}"
                for k in TARGET_INDICATORS
            ]
            + [f"{line.total:.2f}" if line.total is not None else "—", str(line.rank or "—")]
            + ([pending_text(line.pending)] if full else [])
            for line in book.districts
        ],
        year_headers=[
            "地区",
            f"税收（亿元）{same_months(o)}",
            f"{previous(o)}（亿元）",
            "同比",
            "出租率",
            "超1亿元",
            "超5亿元",
            "超10亿元",
        ],
        year_rows=[
            [
                line.name,
                amount_yi(line.tax_cents),
                amount_yi(line.tax_prev_cents),
                growth_text(line.tax_cents, line.tax_prev_cents),
                percent(line.occupancy_rate),
                *[str(line.over_counts.get(t, 0)) for t in TIER_ZH],
            ]
            for line in book.districts
        ],
        tier_headers=["地区", "楼宇", *(["税收（亿元）"] if full else [])],
        tiers=[
            (
                f"税收超过{TIER_ZH[tier]}的楼宇（{len(buildings)}栋）",
                [
                    [b.district, b.name, *([amount_yi(b.tax_cents or 0)] if full else [])]
                    for b in buildings
                ],
            )
            for tier, buildings in book.tiers.items()
        ],
        featured_rows=[
            [f.district, f.building, f.industry, f.designated_on.isoformat()] for f in book.featured
        ],
        industry_headers=INDUSTRY_HEADERS,
        industry_rows=_industry_rows(book.industries),
        district_industries=[
            (names.get(d, d), _industry_rows(lines))
            for d, lines in book.district_industries.items()
            if lines
        ],
        flow_chart=line_chart(
            "全市月度企业净迁入",
            [f"{int(f.period[5:])}月" for f in book.flows],
            [float(f.net) for f in book.flows],
            "家",
        ),
        flow_rows=[[f.period, str(f.move_in), str(f.move_out), str(f.net)] for f in book.flows],
        district_flow_rows=[
            [names.get(d, d), *_flow_totals(flows)] for d, flows in book.district_flows.items()
        ],
        occupancy_chart=line_chart(
            "全市月度出租率",
            book.months,
            [round(r * 100, 2) if r is not None else None for r in book.monthly_occupancy],
            "%",
        ),
        tax_chart=line_chart(
            "全市月度税收",
            book.months,
            [round(c / 10**6, 2) if c is not None else None for c in book.monthly_tax_cents],
            "万元",
        ),
        **_events(book),
        tasks=book.tasks,
        coverage_rows=[
            [
                c.name,
                str(c.annex_1_count),
                str(c.registered),
                str(c.registered_in_pipeline),
                percent(c.share),
            ]
            for c in book.coverage
        ],
    )
