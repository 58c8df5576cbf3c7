// Numbers, money and dates the way officials write them: 亿元 and 万元 with two decimals,
// thousands separated, dates as 2023年6月30日.

const grouping = new Intl.NumberFormat("zh-CN", { maximumFractionDigits: 2 });
// A column's figures keep their two decimals, so that they line up.
const column = new Intl.NumberFormat("zh-CN", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** 1234567.891 → "1,234,567.89"; `fixed` keeps every decimal (7.1 → "7.10"), for a column. */
export function formatNumber(value: number | null | undefined, digits = 2, fixed = false): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "—";
  return new Intl.NumberFormat("zh-CN", {
    minimumFractionDigits: fixed ? digits : 0,
    maximumFractionDigits: digits,
  }).format(value);
}

function yuanOf(amount: string | number | null | undefined): number | null {
  if (amount === null || amount === undefined || amount === "") return null;
  const value = typeof amount === "number" ? amount : Number(amount);
  return Number.isFinite(value) ? value : null;
}

/** "250000000.00" → "2.50亿元" */
export function formatYi(amount: string | number | null | undefined): string {
  const yuan = yuanOf(amount);
  if (yuan === null) return "—";
  return `${(yuan / 1e8).toFixed(2)}亿元`;
}

/** "1234500.00" → "123.45万元" */
export function formatWan(amount: string | number | null | undefined): string {
  const yuan = yuanOf(amount);
  if (yuan === null) return "—";
  return `${grouping.format(Math.round(yuan / 100) / 100)}万元`;
}

export interface MoneyUnit {
  label: "亿元" | "万元";
  /** The amount in this unit, two decimals; null without one. */
  of(amount: string | number | null | undefined): number | null;
  /** The amount written in this unit with two decimals (without the unit: the column heading
   * names it). */
  format(amount: string | number | null | undefined): string;
}

/** One unit for a whole column or chart, as officials write them: 亿元 when any amount reaches
 * 1亿, else 万元 (never both in one column). */
export function moneyUnit(amounts: (string | number | null | undefined)[]): MoneyUnit {
  const largest = Math.max(0, ...amounts.map((a) => Math.abs(yuanOf(a) ?? 0)));
  const divisor = largest >= 1e8 ? 1e8 : 1e4;
  const of = (amount: string | number | null | undefined): number | null => {
    const yuan = yuanOf(amount);
    return yuan === null ? null : Math.round((yuan / divisor) * 100) / 100;
  };
  return {
    label: divisor === 1e8 ? "亿元" : "万元",
    of,
    format: (amount) => {
      const value = of(amount);
      return value === null ? "—" : column.format(value);
    },
  };
}

/** An amount in the unit that reads best: 亿元 from 1亿, else 万元. */
export function formatMoney(amount: string | number | null | undefined): string {
  const yuan = yuanOf(amount);
  if (yuan === null) return "—";
  return Math.abs(yuan) >= 1e8 ? formatYi(yuan) : formatWan(yuan);
}

/** 0.853 → "85.3%" */
export function formatPercent(rate: number | null | undefined, digits = 1): string {
  if (rate === null || rate === undefined || Number.isNaN(rate)) return "—";
  return `${(rate * 100).toFixed(digits)}%`;
}

/** "2023-06-30" or an ISO time → "2023年6月30日" (Beijing time). */
export function formatDate(value: string | null | undefined): string {
  if (!value) return "—";
  const date = value.length === 10 ? new Date(`${value}T00:00:00+08:00`) : new Date(value);
  if (Number.isNaN(date.getTime())) return "—";
  const parts = new Intl.DateTimeFormat("zh-CN", {
    timeZone: "Asia/Shanghai",
    year: "numeric",
    month: "numeric",
    day: "numeric",
  }).formatToParts(date);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year")}年${get("month")}月${get("day")}日`;
}

/** An ISO time → "2023年6月30日 14:05" (Beijing time). */
export function formatDateTime(value: string | null | undefined): string {
  if (!value) return "—";
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return "—";
  const time = new Intl.DateTimeFormat("zh-CN", {
    timeZone: "Asia/Shanghai",
    hour: "2-digit",
    minute: "2-digit",
    hour12: false,
  }).format(date);
  return `${formatDate(value)} ${time}`;
}
