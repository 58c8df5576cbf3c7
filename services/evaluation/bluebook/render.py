"""The blue book as HTML (self-contained: inline CSS and SVG, printable to PDF) and as an XLSX
workbook, from a publication's frozen content."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from html import escape
from typing import TypeVar

from markdown_it import MarkdownIt
from openpyxl import Workbook
from openpyxl.styles import Font

from services.evaluation.bluebook.charts import line_chart
from services.evaluation.bluebook.schemas import BlueBook, Flow, IndustryLine, Overview
from services.evaluation.bluebook.service import amount_wan, amount_yi, growth
from services.evaluation.scoring.formula import TARGET_INDICATORS
from shared import safe_row
from shared.reference import TARGET_INDICATOR_NAMES_ZH

T = TypeVar("T")

STYLE = """
body{font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;margin:2em auto;
max-width:960px;color:#1f2937;line-height:1.6}h1{color:#9f1239;border-bottom:3px solid #9f1239}
h2{color:#9f1239;margin-top:2em}table{border-collapse:collapse;width:100%;margin:1em 0;font-size:14px}
th,td{border:1px solid #d1d5db;padding:4px 8px;text-align:right}th{background:#fdf2f8}
td.text,th.text{text-align:left}.figures{display:flex;gap:1em;flex-wrap:wrap}
.figure{border:1px solid #fbcfe8;border-radius:6px;padding:.6em 1em;min-width:150px}
.figure b{display:block;font-size:1.4em;color:#9f1239}.chart{width:100%;height:auto}
.chart .axis{stroke:#6b7280}.chart .line{fill:none;stroke:#9f1239;stroke-width:2}
.chart .dot{fill:#9f1239}.chart .tick{font-size:11px;fill:#374151}.chart-title{font-size:13px}
.late{color:#b91c1c;font-weight:bold}footer{margin-top:3em;color:#6b7280;font-size:12px}
.preface{border-left:4px solid #fbcfe8;padding:0 1em;margin:1.5em 0}.edition{color:#6b7280}
@page{size:A4;margin:16mm 14mm}@media print{body{margin:0;max-width:none}
h2{break-after:avoid}tr,.figure,svg{break-inside:avoid}}
.demo{background:#fff4e5;border:1px solid #8a5300;color:#8a5300;padding:6px 10px;font-weight:bold}
"""
# Nothing but the document itself: no script, no remote style, font or image.
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
TIER_ZH = {"100m": "1亿元", "500m": "5亿元", "1b": "10亿元"}


def _markdown() -> MarkdownIt:
    """CommonMark without raw HTML (shown as text) or images (never fetched); links only to
    http(s) and mailto."""
    md = MarkdownIt("commonmark", {"html": False}).disable("image")
    md.validateLink = _safe_link  # type: ignore[method-assign]
    return md


def _safe_link(url: str) -> bool:
    return url.strip().lower().startswith(("http://", "https://", "mailto:"))


MARKDOWN = _markdown()


def preface_html(markdown: str) -> str:
    return MARKDOWN.render(markdown)


def _table(headers: list[str], rows: list[list[str]], text_columns: int = 1) -> str:
    head = "".join(
        f'<th class="text">{escape(h)}</th>' if i < text_columns else f"<th>{escape(h)}</th>"
        for i, h in enumerate(headers)
    )
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="text">{cell}</td>' if i < text_columns else f"<td>{cell}</td>"
            for i, cell in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def pending_text(pending: dict[str, int]) -> str:
    """Inputs awaiting review, in words: 推介活动2、改造1."""
    return (
        "、".join(f"{TARGET_INDICATOR_NAMES_ZH[k]}{n}" for k, n in sorted(pending.items()) if n)
        or "—"
    )


def _percent(value: float | None) -> str:
    return f"{value:.1%}" if value is not None else "—"


def same_months(overview: Overview) -> str:
    """What a 同比 column says it compares: nothing to add for a whole year, the months else."""
    return "" if overview.compared == "全年" else f"（{overview.compared}）"


def previous(overview: Overview) -> str:
    """The previous year's column: the whole year, or its same months (上年同期)."""
    return "上年" if overview.compared == "全年" else "上年同期"


def _growth(now: int, before: int) -> str:
    change = growth(now, before)
    return f"{change:+.1%}" if change is not None else "—"


def _industry_rows(lines: list[IndustryLine]) -> list[list[str]]:
    enterprises = sum(i.enterprises for i in lines) or 1
    area = sum(i.area_m2 for i in lines) or 1.0
    return [
        [
            escape(i.code),
            escape(i.name_zh),
            f"{i.enterprises:,}",
            f"{i.enterprises / enterprises:.1%}",
            f"{i.area_m2:,.0f}",
            f"{i.area_m2 / area:.1%}",
        ]
        for i in lines
    ]


def _flow_totals(flows: list[Flow]) -> tuple[int, int, int]:
    return (
        sum(f.move_in for f in flows),
        sum(f.move_out for f in flows),
        sum(f.net for f in flows),
    )


def _title(book: BlueBook) -> str:
    return f"{book.year}年苏州楼宇经济高质量发展蓝皮书"


# While the platform holds the demonstration city, the book says so (HTML, PDF and workbook).
DEMO_NOTICE = "演示数据：本蓝皮书由演示城市的数据生成，不反映苏州市的真实情况。"


def html(book: BlueBook, preface: str | None = None, demo: bool = False) -> str:
    """One HTML document in Chinese, with everything inline; `preface` is Markdown."""
    o = book.overview
    per_m2 = f"{o.tax_cents / 100 / o.gross_floor_area_m2:,.2f}" if o.gross_floor_area_m2 else "—"
    figures = [
        ("监测楼宇", f"{o.buildings:,}栋"),
        ("建筑面积", f"{o.gross_floor_area_m2 / 10_000:,.1f}万平方米"),
        ("全口径税收", f"{amount_yi(o.tax_cents)}亿元"),
        (f"同比{same_months(o)}", _growth(o.tax_cents, o.tax_prev_cents)),
        ("亿元楼宇", f"{o.over_counts.get('100m', 0)}栋"),
        ("5亿元楼宇", f"{o.over_counts.get('500m', 0)}栋"),
        ("10亿元楼宇", f"{o.over_counts.get('1b', 0)}栋"),
        ("出租率（最近月份）", _percent(o.occupancy_rate)),
        ("单位面积税收", f"{per_m2}元/平方米"),
    ]
    full = book.edition == "full"
    names = {d.district_id: d.name for d in book.districts}
    district_rows = [
        [escape(line.name)]
        + [f"{_count(line.actuals.get(k))}／{line.targets.get(k, 0)}" for k in TARGET_INDICATORS]
        + [f"{line.total:.2f}" if line.total is not None else "—", str(line.rank or "—")]
        + ([escape(pending_text(line.pending))] if full else [])
        for line in book.districts
    ]
    year_rows = [
        [
            escape(line.name),
            amount_yi(line.tax_cents),
            amount_yi(line.tax_prev_cents),
            _growth(line.tax_cents, line.tax_prev_cents),
            _percent(line.occupancy_rate),
            *[str(line.over_counts.get(t, 0)) for t in TIER_ZH],
        ]
        for line in book.districts
    ]
    tier_sections = "".join(
        f"<h3>税收超过{TIER_ZH[tier]}的楼宇（{len(buildings)}栋）</h3>"
        + _table(
            ["地区", "楼宇", *(["税收（亿元）"] if full else [])],
            [
                [escape(b.district), escape(b.name)]
                + ([amount_yi(b.tax_cents or 0)] if full else [])
                for b in buildings
            ],
            text_columns=2,
        )
        for tier, buildings in book.tiers.items()
    )
    district_industry = "".join(
        f"<h3>{escape(names.get(d, d))}</h3>"
        + _table(
            ["门类", "名称", "企业数", "占比", "租用面积（㎡）", "占比"],
            _industry_rows(lines),
            text_columns=2,
        )
        for d, lines in book.district_industries.items()
        if lines
    )
    flow_rows = [
        [escape(names.get(d, d)), *[f"{n:,}" for n in _flow_totals(flows)]]
        for d, flows in book.district_flows.items()
    ]
    flow_chart = line_chart(
        "全市月度企业净迁入",
        [f"{int(f.period[5:])}月" for f in book.flows],
        [float(f.net) for f in book.flows],
        "家",
    )
    coverage_rows = [
        [
            escape(c.name),
            str(c.annex_1_count),
            str(c.registered),
            str(c.registered_in_pipeline),
            _percent(c.share),
        ]
        for c in book.coverage
    ]
    tax_chart = line_chart(
        "全市月度税收",
        book.months,
        [round(c / 10**6, 2) if c is not None else None for c in book.monthly_tax_cents],
        "万元",
    )
    occupancy_chart = line_chart(
        "全市月度出租率",
        book.months,
        [round(r * 100, 2) if r is not None else None for r in book.monthly_occupancy],
        "%",
    )
    if full:
        events = _table(
            ["日期", "类型", "主办", "名称"],
            [
                [
                    escape(e.day.isoformat()),
                    escape(e.kind),
                    escape(e.organiser),
                    escape(e.title or ""),
                ]
                for e in book.events
            ],
            text_columns=4,
        )
    else:
        counted: dict[tuple[str, str], int] = {}
        for e in book.events:
            counted[(e.organiser, e.kind)] = counted.get((e.organiser, e.kind), 0) + 1
        events = _table(
            ["主办", "类型", "场次"],
            [[escape(o), escape(k), str(n)] for (o, k), n in counted.items()],
            text_columns=2,
        )
    edition = "完整版（仅供市发改委、督查室使用）" if full else "公开版"
    published = (
        f"依据第{book.publication_id}号发布（{book.published_at}）" if book.publication_id else ""
    )
    sections = [
        f"<p class='demo' role='note'>{escape(DEMO_NOTICE)}</p>" if demo else "",
        f"<h1>{_title(book)}</h1>",
        f"<p class='edition'>{escape(edition)} · {escape(published)} · 考核方案 {escape(book.scheme)}</p>",
        f"<section class='preface'><h2>序言</h2>{preface_html(preface)}</section>"
        if preface
        else "",
        "<p>依据《关于促进楼宇经济高质量发展的推进方案》（苏府办〔2023〕48号），本蓝皮书汇总"
        f"{book.year}年度全市楼宇经济运行情况、各地目标任务完成情况和重点工作推进情况。"
        "书中数字均为发布时冻结的数字。</p>",
        "<h2>一、全市概况</h2><div class='figures'>"
        + "".join(f"<div class='figure'>{escape(k)}<b>{escape(v)}</b></div>" for k, v in figures)
        + "</div>",
        "<h2>二、各地目标完成情况</h2><p>单元格为“完成数／目标数”，只计经市发改委核实的数据"
        + ("；“待审核”为各地已填报、尚待核实、未计入的事项" if full else "")
        + "。</p>"
        + _table(
            [
                "地区",
                *[TARGET_INDICATOR_NAMES_ZH[k] for k in TARGET_INDICATORS],
                "考核得分",
                "排名",
                *(["待审核"] if full else []),
            ],
            district_rows,
        ),
        "<h2>三、各地区运行情况</h2>"
        + _table(
            [
                "地区",
                f"税收（亿元）{same_months(o)}",
                f"{previous(o)}（亿元）",
                "同比",
                "出租率",
                "超1亿元",
                "超5亿元",
                "超10亿元",
            ],
            year_rows,
        ),
        "<h2>四、亿元楼宇梯队</h2>"
        + ("" if full else "<p>公开版不列单栋楼宇税收。</p>")
        + tier_sections,
        "<h3>产业特色楼宇</h3>"
        + _table(
            ["地区", "楼宇", "特色产业", "认定日期"],
            [
                [
                    escape(f.district),
                    escape(f.building),
                    escape(f.industry),
                    f.designated_on.isoformat(),
                ]
                for f in book.featured
            ],
            text_columns=3,
        ),
        "<h2>五、产业结构</h2><p>在驻企业按《国民经济行业分类》（GB/T 4754—2017）门类统计，"
        "以企业数和租用面积计，不以税收计。</p><h3>全市</h3>"
        + _table(
            ["门类", "名称", "企业数", "占比", "租用面积（㎡）", "占比"],
            _industry_rows(book.industries),
            text_columns=2,
        )
        + district_industry,
        "<h2>六、企业迁入迁出</h2>"
        + flow_chart
        + _table(
            ["月份", "迁入", "迁出", "净迁入"],
            [[f.period, str(f.move_in), str(f.move_out), str(f.net)] for f in book.flows],
        )
        + "<h3>各地区全年</h3>"
        + _table(["地区", "迁入", "迁出", "净迁入"], flow_rows),
        f"<h2>七、出租率与税收走势</h2>{occupancy_chart}{tax_chart}",
        "<h2>八、招商推介与会议活动</h2>" + events,
        "<h2>九、重点任务推进情况</h2>"
        + _table(
            ["编号", "任务", "完成时限", "进展"],
            [
                [
                    escape(t.task_id),
                    escape(t.task),
                    escape(t.deadline.isoformat() if t.deadline else "持续推进"),
                    ("<span class='late'>逾期</span> " if t.overdue else "") + escape(t.status),
                ]
                for t in book.tasks
            ],
            text_columns=4,
        ),
        "<h2>十、楼宇覆盖情况</h2><p>各地已登记的万平方米以上商务楼宇（运营、改造中）"
        "对照方案附件1所列2022年数量；规划、在建楼宇另列。</p>"
        + _table(["地区", "附件1（2022年）", "已登记", "规划、在建", "覆盖率"], coverage_rows),
        "<footer>苏州楼宇经济智慧平台 · 税收数据仅到单栋楼宇合计（税收保密）</footer>",
    ]
    return (
        "<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'>"
        f"<meta http-equiv='Content-Security-Policy' content=\"{CSP}\">"
        f"<title>{_title(book)}</title><style>{STYLE}</style></head>"
        f"<body>{''.join(sections)}</body></html>"
    )


def _count(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:g}"


def _city_then_districts(
    city: Sequence[T],
    by_district: dict[str, list[T]],
    names: dict[str, str],
    cells: Callable[[T], list[object]],
) -> list[list[object]]:
    """Rows of a city-wide list, then each district's, the scope in the first column."""
    return [["全市", *cells(item)] for item in city] + [
        [names.get(d, d), *cells(item)] for d, items in by_district.items() for item in items
    ]


def xlsx(book: BlueBook, demo: bool = False) -> bytes:
    """The same figures as a workbook, one sheet per section."""
    full = book.edition == "full"
    o = book.overview
    names = {d.district_id: d.name for d in book.districts}
    sheets: list[tuple[str, list[str], list[list[object]]]] = [
        (
            "全市概况",
            ["指标", "数值"],
            [
                ["监测楼宇（栋）", o.buildings],
                ["建筑面积（平方米）", o.gross_floor_area_m2],
                ["全口径税收（万元）", float(amount_wan(o.tax_cents).replace(",", ""))],
                [
                    f"{previous(o)}税收（万元）{same_months(o)}",
                    float(amount_wan(o.tax_prev_cents).replace(",", "")),
                ],
                [f"同比{same_months(o)}", growth(o.tax_cents, o.tax_prev_cents)],
                ["亿元楼宇（栋）", o.over_counts.get("100m", 0)],
                ["5亿元楼宇（栋）", o.over_counts.get("500m", 0)],
                ["10亿元楼宇（栋）", o.over_counts.get("1b", 0)],
                ["出租率（最近月份）", o.occupancy_rate],
            ],
        ),
        (
            "目标完成",
            ["地区"]
            + [f"{TARGET_INDICATOR_NAMES_ZH[k]}（完成）" for k in TARGET_INDICATORS]
            + [f"{TARGET_INDICATOR_NAMES_ZH[k]}（目标）" for k in TARGET_INDICATORS]
            + ["考核得分", "排名"]
            + (["待审核"] if full else []),
            [
                [
                    line.name,
                    *[line.actuals.get(k) for k in TARGET_INDICATORS],
                    *[line.targets.get(k, 0) for k in TARGET_INDICATORS],
                    line.total,
                    line.rank,
                    *([pending_text(line.pending)] if full else []),
                ]
                for line in book.districts
            ],
        ),
        (
            "各地区运行",
            [
                "地区",
                f"税收（万元）{same_months(o)}",
                f"{previous(o)}（万元）",
                "同比",
                "出租率",
                "超1亿元",
                "超5亿元",
                "超10亿元",
            ],
            [
                [
                    line.name,
                    float(amount_wan(line.tax_cents).replace(",", "")),
                    float(amount_wan(line.tax_prev_cents).replace(",", "")),
                    growth(line.tax_cents, line.tax_prev_cents),
                    line.occupancy_rate,
                    *[line.over_counts.get(t, 0) for t in TIER_ZH],
                ]
                for line in book.districts
            ],
        ),
        (
            "亿元楼宇梯队",
            ["梯队", "地区", "楼宇编号", "楼宇", *(["税收（亿元）"] if full else [])],
            [
                [f"超{TIER_ZH[tier]}", b.district, b.building_id, b.name]
                + ([float(amount_yi(b.tax_cents or 0).replace(",", ""))] if full else [])
                for tier, buildings in book.tiers.items()
                for b in buildings
            ],
        ),
        (
            "产业特色楼宇",
            ["地区", "楼宇", "特色产业", "认定日期"],
            [
                [f.district, f.building, f.industry, f.designated_on.isoformat()]
                for f in book.featured
            ],
        ),
        (
            "产业结构",
            ["范围", "门类", "名称", "企业数", "租用面积（平方米）"],
            _city_then_districts(
                book.industries,
                book.district_industries,
                names,
                lambda i: [i.code, i.name_zh, i.enterprises, i.area_m2],
            ),
        ),
        (
            "企业迁入迁出",
            ["范围", "月份", "迁入", "迁出", "净迁入"],
            _city_then_districts(
                book.flows,
                book.district_flows,
                names,
                lambda f: [f.period, f.move_in, f.move_out, f.net],
            ),
        ),
        (
            "月度走势",
            ["月份", "税收（万元）", "出租率"],
            [
                [m, round(t / 10**6, 2) if t is not None else None, r]
                for m, t, r in zip(
                    book.months, book.monthly_tax_cents, book.monthly_occupancy, strict=True
                )
            ],
        ),
        (
            "活动",
            ["日期", "类型", "主办", *(["名称"] if full else [])],
            [
                [e.day.isoformat(), e.kind, e.organiser, *([e.title] if full else [])]
                for e in book.events
            ],
        ),
        (
            "楼宇覆盖",
            ["地区", "附件1（2022年万㎡以上商务楼宇）", "已登记", "规划、在建", "覆盖率"],
            [
                [c.name, c.annex_1_count, c.registered, c.registered_in_pipeline, c.share]
                for c in book.coverage
            ],
        ),
        (
            "重点任务",
            ["编号", "任务", "完成时限", "进展", "逾期"],
            [
                [
                    t.task_id,
                    t.task,
                    t.deadline.isoformat() if t.deadline else "持续推进",
                    t.status,
                    "是" if t.overdue else "否",
                ]
                for t in book.tasks
            ],
        ),
    ]
    if demo:
        sheets.insert(0, ("演示数据", ["说明"], [[DEMO_NOTICE]]))
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    workbook.remove(first)
    for title, headers, rows in sheets:
        sheet = workbook.create_sheet(title)
        sheet.append(headers)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(safe_row(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
