import { describe, expect, it } from "vitest";

import {
  formatDate,
  formatDateTime,
  formatMoney,
  formatNumber,
  formatPercent,
  formatWan,
  formatYi,
  moneyUnit,
} from "@/composables/format";

describe("money as officials write it", () => {
  it("shows 亿元 with two decimals", () => {
    expect(formatYi("250000000.00")).toBe("2.50亿元");
    expect(formatYi("-100000000")).toBe("-1.00亿元");
  });
  it("shows 万元 with thousands separated", () => {
    expect(formatWan("1234500.00")).toBe("123.45万元");
    expect(formatWan("123456789000.00")).toBe("12,345,678.9万元");
  });
  it("picks the unit that reads best", () => {
    expect(formatMoney("99999999.99")).toBe("10,000万元");
    expect(formatMoney("150000000")).toBe("1.50亿元");
  });
  it("shows a dash where there is no figure", () => {
    expect(formatMoney(null)).toBe("—");
    expect(formatPercent(undefined)).toBe("—");
    expect(formatNumber(Number.NaN)).toBe("—");
  });
});

describe("one unit per column", () => {
  it("is 亿元 for the whole column once any amount reaches 1亿", () => {
    const unit = moneyUnit(["150000000.00", "3348226.20", null]);
    expect(unit.label).toBe("亿元");
    expect(["150000000.00", "3348226.20", null].map(unit.format)).toEqual(["1.50", "0.03", "—"]);
  });
  it("is 万元 below, with round figures", () => {
    const unit = moneyUnit(["3348226.20", "-12000.00"]);
    expect(unit.label).toBe("万元");
    expect(unit.of("3348226.20")).toBe(334.82);
    expect(unit.format("-12000.00")).toBe("-1.20");
  });
});

describe("numbers, rates and dates", () => {
  it("groups thousands", () => expect(formatNumber(1234567.891)).toBe("1,234,567.89"));
  it("keeps a column's decimals", () => expect(formatNumber(6589.8, 2, true)).toBe("6,589.80"));
  it("shows rates as percentages", () => expect(formatPercent(0.853)).toBe("85.3%"));
  it("writes dates the Chinese way, in Beijing time", () => {
    expect(formatDate("2023-06-30")).toBe("2023年6月30日");
    expect(formatDate("2023-06-30T17:30:00Z")).toBe("2023年7月1日");
    expect(formatDateTime("2023-06-30T06:05:00Z")).toBe("2023年6月30日 14:05");
  });
});
