// A movements file (CSV or XLSX) as the records the API takes: headers in Chinese or as the
// API names them; 迁入/迁出 or move_in/move_out. Nothing is judged here: the platform checks
// every row and answers with each bad one.

export interface MovementRow {
  record_id: string;
  uscc: string;
  enterprise_name: string;
  building_id: string;
  kind: string;
  date: string;
  area_m2?: number | null;
  industry_code?: string | null;
}

const HEADERS: Record<string, keyof MovementRow> = {
  record_id: "record_id",
  记录编号: "record_id",
  uscc: "uscc",
  统一社会信用代码: "uscc",
  enterprise_name: "enterprise_name",
  企业名称: "enterprise_name",
  building_id: "building_id",
  楼宇编号: "building_id",
  kind: "kind",
  类型: "kind",
  date: "date",
  日期: "date",
  area_m2: "area_m2",
  "面积（平方米）": "area_m2",
  面积: "area_m2",
  industry_code: "industry_code",
  行业代码: "industry_code",
};
const KINDS: Record<string, string> = { 迁入: "move_in", 迁出: "move_out" };

function text(value: unknown): string {
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return value === null || value === undefined ? "" : String(value).trim();
}

/** Rows of cells (the first row the headers) → records; unknown columns are left out. */
export function recordsOf(table: unknown[][]): MovementRow[] {
  const [header = [], ...rows] = table;
  const fields = header.map((h) => HEADERS[text(h)]);
  return rows
    .filter((row) => row.some((cell) => text(cell) !== ""))
    .map((row) => {
      const record: Record<string, unknown> = {};
      fields.forEach((field, i) => {
        if (!field) return;
        const value = text(row[i]);
        if (field === "area_m2") record[field] = value === "" ? null : Number(value);
        else if (field === "industry_code") record[field] = value === "" ? null : value;
        else if (field === "kind") record[field] = KINDS[value] ?? value;
        else record[field] = value;
      });
      return record as unknown as MovementRow;
    });
}

/** A CSV text (UTF-8, with or without BOM; quoted cells allowed) as rows of cells. */
export function parseCsv(input: string): string[][] {
  const source = input.replace(/^\uFEFF/, "");
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (quoted) {
      if (ch === '"' && source[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(cell);
      cell = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && source[i + 1] === "\n") i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else cell += ch;
  }
  if (cell !== "" || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}
