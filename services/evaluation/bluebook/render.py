"""The blue book as HTML (self-contained: inline CSS and SVG) and as an XLSX workbook."""

from __future__ import annotations

import io
from html import escape

from openpyxl import Workbook
from openpyxl.styles import Font

from services.evaluation.bluebook.charts import line_chart
from services.evaluation.bluebook.service import (
    INDICATOR_ZH,
    STATUS_ZH,
    BlueBook,
    amount_wan,
    amount_yi,
)
from services.evaluation.scoring.formula import TARGET_INDICATORS
from shared import safe_row

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
"""


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
    return "、".join(f"{INDICATOR_ZH[k]}{n}" for k, n in sorted(pending.items()) if n) or "—"


def html(book: BlueBook) -> str:
    """One HTML document in Chinese, with everything inline."""
    rate = f"{book.occupancy_rate:.1%}" if book.occupancy_rate is not None else "—"
    per_m2 = (
        f"{book.tax_cents / 100 / book.gross_floor_area_m2:,.2f}"
        if book.gross_floor_area_m2
        else "—"
    )
    figures = [
        ("监测楼宇", f"{book.buildings:,}栋"),
        ("建筑面积", f"{book.gross_floor_area_m2 / 10_000:,.1f}万平方米"),
        ("全口径税收", f"{amount_yi(book.tax_cents)}亿元"),
        ("亿元楼宇", f"{len(book.over_100m)}栋"),
        ("出租率（最近月份）", rate),
        ("单位面积税收", f"{per_m2}元/平方米"),
    ]
    district_rows = [
        [escape(line.name)]
        + [f"{line.actuals.get(k, 0)}／{line.targets.get(k, 0)}" for k in TARGET_INDICATORS]
        + [
            f"{line.total}" if line.total is not None else "—",
            str(line.rank or "—"),
            escape(pending_text(line.pending)),
        ]
        for line in book.districts
    ]
    coverage_rows = [
        [
            escape(c.name),
            str(c.annex_1_count),
            str(c.registered),
            str(c.registered_in_pipeline),
            f"{c.share:.0%}" if c.share is not None else "—",
        ]
        for c in (book.coverage.districts if book.coverage else [])
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
    sections = [
        f"<h1>{book.year}年苏州楼宇经济高质量发展蓝皮书</h1>",
        "<p>依据《关于促进楼宇经济高质量发展的推进方案》（苏府办〔2023〕48号），本蓝皮书汇总"
        f"{book.year}年度全市楼宇经济运行情况、各地目标任务完成情况和重点工作推进情况。</p>",
        "<h2>一、全市概况</h2><div class='figures'>"
        + "".join(f"<div class='figure'>{escape(k)}<b>{escape(v)}</b></div>" for k, v in figures)
        + "</div>",
        "<h2>二、各地目标完成情况</h2><p>单元格为“完成数／目标数”，只计经市发改委核实的数据；"
        "考核得分按默认方案计算；“待审核”为各地已填报、尚待核实、未计入的事项。</p>"
        + _table(
            ["地区", *[INDICATOR_ZH[k] for k in TARGET_INDICATORS], "考核得分", "排名", "待审核"],
            district_rows,
        ),
        "<h2>三、亿元楼宇与产业特色楼宇</h2><h3>亿元楼宇（全口径税收超过1亿元）</h3>"
        + _table(
            ["地区", "楼宇", "税收（亿元）"],
            [[escape(d), escape(n), amount_yi(t)] for d, _, n, t in book.over_100m],
            text_columns=2,
        )
        + "<h3>产业特色楼宇</h3>"
        + _table(
            ["地区", "楼宇", "特色产业", "认定日期"],
            [[escape(a), escape(b), escape(c), escape(d)] for a, b, c, d in book.featured],
            text_columns=4,
        ),
        f"<h2>四、出租率与税收走势</h2>{occupancy_chart}{tax_chart}",
        "<h2>五、招商推介与会议活动</h2>"
        + _table(
            ["日期", "类型", "主办", "名称"],
            [[escape(a), escape(b), escape(c), escape(d)] for a, b, c, d in book.events],
            text_columns=4,
        ),
        "<h2>六、重点任务推进情况</h2>"
        + _table(
            ["编号", "任务", "完成时限", "进展"],
            [
                [
                    escape(t.task_id),
                    escape(t.task),
                    escape(t.deadline.isoformat() if t.deadline else "持续推进"),
                    ("<span class='late'>逾期</span> " if t.overdue else "")
                    + escape(STATUS_ZH[t.status.value]),
                ]
                for t in book.tasks
            ],
            text_columns=4,
        ),
        "<h2>七、楼宇覆盖情况</h2><p>各地已登记的万平方米以上商务楼宇（运营、改造中）"
        "对照方案附件1所列2022年数量；规划、在建楼宇另列。</p>"
        + _table(["地区", "附件1（2022年）", "已登记", "规划、在建", "覆盖率"], coverage_rows),
        "<footer>苏州楼宇经济智慧平台 自动生成 · 税收数据仅到单栋楼宇合计（税收保密）</footer>",
    ]
    return (
        "<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'>"
        f"<title>{book.year}年苏州楼宇经济高质量发展蓝皮书</title><style>{STYLE}</style></head>"
        f"<body>{''.join(sections)}</body></html>"
    )


def xlsx(book: BlueBook) -> bytes:
    """The same figures as a workbook, one sheet per section."""
    workbook = Workbook()
    sheets: list[tuple[str, list[str], list[list[object]]]] = [
        (
            "全市概况",
            ["指标", "数值"],
            [
                ["监测楼宇（栋）", book.buildings],
                ["建筑面积（平方米）", book.gross_floor_area_m2],
                ["全口径税收（万元）", float(amount_wan(book.tax_cents).replace(",", ""))],
                ["亿元楼宇（栋）", len(book.over_100m)],
                ["出租率（最近月份）", book.occupancy_rate],
            ],
        ),
        (
            "目标完成",
            ["地区"]
            + [f"{INDICATOR_ZH[k]}（完成）" for k in TARGET_INDICATORS]
            + [f"{INDICATOR_ZH[k]}（目标）" for k in TARGET_INDICATORS]
            + ["考核得分", "排名", "待审核"],
            [
                [
                    line.name,
                    *[line.actuals.get(k, 0) for k in TARGET_INDICATORS],
                    *[line.targets.get(k, 0) for k in TARGET_INDICATORS],
                    float(line.total) if line.total is not None else None,
                    line.rank,
                    pending_text(line.pending),
                ]
                for line in book.districts
            ],
        ),
        (
            "亿元楼宇",
            ["地区", "楼宇编号", "楼宇", "税收（亿元）"],
            [[d, b, n, float(amount_yi(t).replace(",", ""))] for d, b, n, t in book.over_100m],
        ),
        (
            "产业特色楼宇",
            ["地区", "楼宇", "特色产业", "认定日期"],
            [list(r) for r in book.featured],
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
        ("活动", ["日期", "类型", "主办", "名称"], [list(e) for e in book.events]),
        (
            "楼宇覆盖",
            ["地区", "附件1（2022年万㎡以上商务楼宇）", "已登记", "规划、在建", "覆盖率"],
            [
                [c.name, c.annex_1_count, c.registered, c.registered_in_pipeline, c.share]
                for c in (book.coverage.districts if book.coverage else [])
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
                    STATUS_ZH[t.status.value],
                    "是" if t.overdue else "否",
                ]
                for t in book.tasks
            ],
        ),
    ]
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
