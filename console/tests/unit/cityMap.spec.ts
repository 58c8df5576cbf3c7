import { describe, expect, it } from "vitest";

import { featuredIndustryValues } from "@/api/schema";
import { cityMapOption, focusOn, LARGE, pointGroups, shade, type BuildingFeature } from "@/composables/cityMap";

function building(id: string, over: Partial<BuildingFeature["properties"]> = {}): BuildingFeature {
  return {
    type: "Feature",
    geometry: { type: "Point", coordinates: [120.7, 31.3] },
    properties: {
      id,
      name: `楼宇${id}`,
      district_id: "sip",
      lists: [],
      featured_industries: [],
      tax_total_cny: null,
      tier: null,
      occupancy_rate: null,
      ...over,
    },
  };
}

const labels = {
  tier: (key: string) => `档${key}`,
  occupancy: (band: string) => `率${band}`,
  industry: (key: string) => `业${key}`,
  none: "无",
};

describe("the map's points", () => {
  const city = [
    building("a", { tier: "100m", occupancy_rate: 0.95, featured_industries: ["finance"] }),
    building("b", { tier: "1b", occupancy_rate: 0.5 }),
    building("c"),
    building("d", { tier: "100m", occupancy_rate: 0.85, featured_industries: ["design", "legal"] }),
  ];

  it("fall into the tiers, lowest first, the higher tiers drawn larger", () => {
    const groups = pointGroups(city, "tier", labels, featuredIndustryValues);
    expect(groups.map((g) => [g.key, g.buildings.map((b) => b.properties.id)])).toEqual([
      ["none", ["c"]],
      ["100m", ["a", "d"]],
      ["1b", ["b"]],
    ]);
    expect(groups[2].size).toBeGreaterThan(groups[1].size);
  });

  it("fall into occupancy bands, the buildings without a report apart", () => {
    const groups = pointGroups(city, "occupancy", labels, featuredIndustryValues);
    expect(groups.map((g) => [g.label, g.buildings.map((b) => b.properties.id)])).toEqual([
      ["无", ["c"]],
      ["率low", ["b"]],
      ["率good", ["d"]],
      ["率full", ["a"]],
    ]);
  });

  it("fall under their first featured industry, the others together", () => {
    const groups = pointGroups(city, "industry", labels, featuredIndustryValues);
    expect(groups.map((g) => [g.key, g.buildings.map((b) => b.properties.id)])).toEqual([
      ["none", ["b", "c"]],
      ["finance", ["a"]],
      ["design", ["d"]],
    ]);
  });
});

describe("the map's option", () => {
  it("shades the districts by the figure, leaves those without one pale, and puts the points on the map", () => {
    const groups = pointGroups([building("a", { tax_total_cny: "150000000.00", tier: "100m" })], "tier", labels, featuredIndustryValues);
    const option = cityMapOption({
      mapName: "districts-v0",
      districtIds: ["sip", "gusu", "wujiang"],
      districtName: (d) => (d === "sip" ? "苏州工业园区" : d),
      values: { sip: 90, gusu: 70 },
      valueLabel: "总分",
      groups,
    }) as {
      geo: { map: string; regions: { name: string; itemStyle: { areaColor: string } }[] };
      visualMap: { min: number; max: number };
      series: Record<string, unknown>[];
    };
    expect(option.geo.map).toBe("districts-v0");
    expect([option.visualMap.min, option.visualMap.max]).toEqual([70, 90]);
    expect(option.geo.regions).toEqual([
      { name: "sip", itemStyle: { areaColor: shade(90, 70, 90) } },
      { name: "gusu", itemStyle: { areaColor: shade(70, 70, 90) } },
      { name: "wujiang", itemStyle: { areaColor: "#f4f6f9" } },
    ]);
    expect(shade(90, 70, 90)).toBe("rgb(29, 95, 168)");
    expect(shade(70, 70, 90)).toBe("rgb(219, 233, 248)");
    expect(option.series[0]).toMatchObject({ type: "scatter", coordinateSystem: "geo", large: false });
    expect((option.series[0].data as unknown[][])[0]).toEqual([120.7, 31.3, 150000000, "a"]);
  });

  it("draws a city of tens of thousands of buildings in ECharts' large mode", () => {
    const many = Array.from({ length: LARGE + 1 }, (_, i) => building(String(i)));
    const option = cityMapOption({
      mapName: "districts-v0",
      districtIds: [],
      districtName: (d) => d,
      values: {},
      valueLabel: "总分",
      groups: pointGroups(many, "tier", labels, featuredIndustryValues),
    }) as { series: Record<string, unknown>[] };
    expect(option.series[0]).toMatchObject({ large: true, symbolSize: 5 });
  });
});

describe("a district in focus", () => {
  const square = (w: number, s: number, size: number) => ({
    type: "Polygon",
    coordinates: [[[w, s], [w + size, s], [w + size, s + size], [w, s + size], [w, s]]],
  });
  const map = {
    type: "FeatureCollection" as const,
    version: 0,
    source: "test",
    features: [
      { type: "Feature" as const, properties: { district_id: "a", name_zh: "甲", schematic: false }, geometry: square(120, 31, 1) },
      { type: "Feature" as const, properties: { district_id: "b", name_zh: "乙", schematic: false }, geometry: square(121, 31, 0.1) },
    ],
  };

  it("centres the map on the district and zooms until it fills most of it", () => {
    const focus = focusOn(map, "b");
    expect(focus.center).toEqual([121.05, 31.05]);
    expect(focus.zoom).toBeCloseTo(0.8 * Math.min(1.1 / 0.1, 1 / 0.1));
    expect(focusOn(map, "a").zoom).toBe(1);
    expect(focusOn(map, undefined)).toEqual({});
  });
});
