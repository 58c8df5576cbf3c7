// The charts pages share, written once: a building's, a district's or the city's months of tax
// (bars) and occupancy (a line). Amounts in one unit for the whole chart, ticks on round numbers.
import type { EChartsCoreOption } from "echarts/core";

import { formatNumber, moneyUnit } from "@/composables/format";

export interface MonthPoint {
  period: string;
  tax_total_cny: string | null;
  occupancy_rate: number | null;
}

/** Tax bars and an occupancy line over the months given (a month without data is a gap). */
export function taxAndOccupancy(
  months: MonthPoint[],
  names: { tax: (unit: string) => string; occupancy: string },
): EChartsCoreOption {
  const unit = moneyUnit(months.map((m) => m.tax_total_cny));
  const tax = names.tax(unit.label);
  return {
    tooltip: { trigger: "axis" },
    legend: { top: 0, data: [tax, names.occupancy] },
    grid: { left: 70, right: 60, top: 60, bottom: 30 },
    xAxis: { type: "category", data: months.map((m) => m.period) },
    yAxis: [
      {
        type: "value",
        name: tax,
        // ECharts picks round intervals (0.4, 500, 20,000); the label shows them as such, never
        // a float's tail.
        axisLabel: { formatter: (value: number) => formatNumber(value) },
      },
      {
        type: "value",
        name: names.occupancy,
        min: 0,
        max: 100,
        interval: 20,
        axisLabel: { formatter: "{value}%" },
      },
    ],
    series: [
      {
        name: tax,
        type: "bar",
        data: months.map((m) => unit.of(m.tax_total_cny)),
        itemStyle: { color: "#1d5fa8" },
      },
      {
        name: names.occupancy,
        type: "line",
        yAxisIndex: 1,
        connectNulls: false,
        data: months.map((m) => (m.occupancy_rate == null ? null : Math.round(m.occupancy_rate * 1000) / 10)),
        itemStyle: { color: "#e6a23c" },
      },
    ],
  };
}
