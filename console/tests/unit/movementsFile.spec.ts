import { describe, expect, it } from "vitest";

import { parseCsv, recordsOf } from "@/composables/movementsFile";

describe("a movements file", () => {
  it("reads Chinese headers and 迁入/迁出", () => {
    const rows = parseCsv(
      "\uFEFF记录编号,统一社会信用代码,企业名称,楼宇编号,类型,日期,面积,行业代码\r\n" +
        'r1,91350100M000100Y43,"苏州某律所,有限合伙",b1,迁入,2023-03-01,120,7231\r\n' +
        "r2,91350100M000100Y43,苏州某律所,b1,迁出,2023-09-01,,\r\n",
    );
    const records = recordsOf(rows);
    expect(records).toHaveLength(2);
    expect(records[0]).toEqual({
      record_id: "r1",
      uscc: "91350100M000100Y43",
      enterprise_name: "苏州某律所,有限合伙",
      building_id: "b1",
      kind: "move_in",
      date: "2023-03-01",
      area_m2: 120,
      industry_code: "7231",
    });
    expect(records[1].kind).toBe("move_out");
    expect(records[1].area_m2).toBeNull();
  });
  it("reads the API's own field names and skips empty rows", () => {
    const rows = [
      ["record_id", "uscc", "enterprise_name", "building_id", "kind", "date", "ignored"],
      ["r9", "x", "企业", "b2", "move_in", new Date("2023-05-02T00:00:00Z"), "z"],
      ["", "", "", "", "", "", ""],
    ];
    expect(recordsOf(rows)).toEqual([
      { record_id: "r9", uscc: "x", enterprise_name: "企业", building_id: "b2", kind: "move_in", date: "2023-05-02" },
    ]);
  });
});
